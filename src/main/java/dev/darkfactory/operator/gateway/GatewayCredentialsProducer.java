package dev.darkfactory.operator.gateway;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * Makes the per-attempt credentials injectable; a gateway URL without a signing key or namespace
 * stops the operator at start.
 */
@ApplicationScoped
public class GatewayCredentialsProducer {

    @Produces
    @Singleton
    GatewayCredentials credentials(GatewayConfig config) {
        if (config.url().isEmpty()) {
            return GatewayCredentials.disabled();
        }
        String key =
                config.signingKey()
                        .orElseThrow(
                                () ->
                                        new IllegalStateException(
                                                "darkfactory.gateway.url is set but darkfactory.gateway.signing-key is not (DARKFACTORY_GATEWAY_SIGNING_KEY)"));
        String namespace =
                config.namespace()
                        .orElseThrow(
                                () ->
                                        new IllegalStateException(
                                                "darkfactory.gateway.url is set but darkfactory.gateway.namespace is not (DARKFACTORY_GATEWAY_NAMESPACE): the operator reads usage from the gateway's namespace"));
        return GatewayCredentials.of(config.url().get(), key, Clock.systemUTC())
                .withUsageIn(namespace);
    }
}
