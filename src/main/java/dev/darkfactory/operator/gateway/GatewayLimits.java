package dev.darkfactory.operator.gateway;

import java.time.Duration;

/**
 * Bounds of one call: request and answer sizes, and how long the provider may take to connect,
 * between two chunks of an answer, and in total.
 */
public record GatewayLimits(
        int maxRequestBytes,
        long maxResponseBytes,
        Duration connectTimeout,
        Duration idleTimeout,
        Duration callTimeout,
        int threads) {

    public static GatewayLimits defaults() {
        return new GatewayLimits(
                8 << 20,
                64L << 20,
                Duration.ofSeconds(10),
                Duration.ofMinutes(5),
                Duration.ofMinutes(30),
                128);
    }
}
