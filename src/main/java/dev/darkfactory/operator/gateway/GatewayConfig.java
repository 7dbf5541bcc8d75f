package dev.darkfactory.operator.gateway;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/**
 * The operator's side of the gateway ({@code darkfactory.gateway.*}, or {@code
 * DARKFACTORY_GATEWAY_*} from the chart): where generator pods reach it, the key tokens are signed
 * with, and where it keeps its usage records.
 */
@ConfigMapping(prefix = "darkfactory.gateway")
public interface GatewayConfig {

    /**
     * The gateway's URL as generator pods reach it, e.g.
     * http://darkfactory-gateway.darkfactory.svc:8080; unset: no gateway.
     */
    Optional<String> url();

    /** The HMAC key shared with the gateway (from the chart's Secret); required with url. */
    Optional<String> signingKey();

    /**
     * The gateway's namespace, where it keeps the usage ConfigMaps the operator reads into each
     * run's status (and removes once their run is gone); required with url.
     */
    Optional<String> namespace();
}
