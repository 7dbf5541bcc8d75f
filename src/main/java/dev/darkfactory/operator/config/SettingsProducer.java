package dev.darkfactory.operator.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Makes the operator's settings injectable into the reconcilers. */
@ApplicationScoped
public class SettingsProducer {

    @Produces
    @Singleton
    FactorySettings settings(FactoryConfig config) {
        return FactorySettings.from(config);
    }
}
