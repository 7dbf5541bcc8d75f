package dev.darkfactory.operator.gateway;

import dev.darkfactory.operator.api.v1alpha1.ModelProvider;
import dev.darkfactory.operator.api.v1alpha1.ProviderEndpoint;
import java.util.Optional;

/**
 * Where a run's calls go and what they cost: from the GeneratorClass snapshot in the run's spec.
 */
public record RunRoute(String className, ModelProvider provider, Optional<Pricing> pricing) {

    public Optional<ProviderEndpoint> endpoint(ModelApi.Family family) {
        if (provider == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(
                family == ModelApi.Family.OPENAI ? provider.openai : provider.anthropic);
    }
}
