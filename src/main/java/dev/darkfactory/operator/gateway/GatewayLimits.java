package dev.darkfactory.operator.gateway;

import java.time.Duration;

/**
 * Bounds of one call: request and answer sizes, and how long the provider may take to connect,
 * between two chunks of an answer, and in total. Calls themselves take no thread (Vert.x event
 * loops); {@code blockingThreads} bounds the Kubernetes API reads and writes running at once, and
 * {@code maxConnectionsPerProvider} the calls in flight to one provider address (more wait).
 */
public record GatewayLimits(
        int maxRequestBytes,
        long maxResponseBytes,
        Duration connectTimeout,
        Duration idleTimeout,
        Duration callTimeout,
        int blockingThreads,
        int maxConnectionsPerProvider) {

    public static GatewayLimits defaults() {
        return new GatewayLimits(
                8 << 20,
                64L << 20,
                Duration.ofSeconds(10),
                Duration.ofMinutes(5),
                Duration.ofMinutes(30),
                32,
                256);
    }
}
