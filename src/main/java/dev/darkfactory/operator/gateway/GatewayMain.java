package dev.darkfactory.operator.gateway;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * Entry point of {@code /deployments/gateway}: the darkfactory-gateway, started by the chart as its
 * own Deployment from the operator image. Plain Java on Vert.x core (no Quarkus runtime), like the
 * stations, so it starts in well under a second; settings come from the environment
 * (docs/gateway.md).
 */
public final class GatewayMain {

    static final String PORT = "DF_GATEWAY_PORT";
    static final String SIGNING_KEY_FILE = "DF_GATEWAY_SIGNING_KEY_FILE";
    static final String NAMESPACE = "POD_NAMESPACE";
    static final String REPLICA = "POD_NAME";
    static final String MAX_REQUEST_BYTES = "DF_GATEWAY_MAX_REQUEST_BYTES";
    static final String MAX_RESPONSE_BYTES = "DF_GATEWAY_MAX_RESPONSE_BYTES";
    static final String IDLE_TIMEOUT_SECONDS = "DF_GATEWAY_IDLE_TIMEOUT_SECONDS";
    static final String CALL_TIMEOUT_SECONDS = "DF_GATEWAY_CALL_TIMEOUT_SECONDS";
    static final String THREADS = "DF_GATEWAY_THREADS";
    static final String MAX_CONNECTIONS = "DF_GATEWAY_MAX_CONNECTIONS";

    private GatewayMain() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        Map<String, String> env = System.getenv();
        byte[] key =
                Files.readAllBytes(
                        Path.of(
                                env.getOrDefault(
                                        SIGNING_KEY_FILE,
                                        "/var/run/darkfactory/gateway/signing-key")));
        String namespace =
                Optional.ofNullable(env.get(NAMESPACE))
                        .orElseThrow(
                                () ->
                                        new IllegalStateException(
                                                NAMESPACE + " must name the gateway's namespace"));
        String replica =
                env.getOrDefault(REPLICA, java.net.InetAddress.getLocalHost().getHostName());
        GatewayLimits defaults = GatewayLimits.defaults();
        GatewayLimits limits =
                new GatewayLimits(
                        intOf(env, MAX_REQUEST_BYTES, defaults.maxRequestBytes()),
                        intOf(env, MAX_RESPONSE_BYTES, (int) defaults.maxResponseBytes()),
                        defaults.connectTimeout(),
                        Duration.ofSeconds(
                                intOf(
                                        env,
                                        IDLE_TIMEOUT_SECONDS,
                                        (int) defaults.idleTimeout().toSeconds())),
                        Duration.ofSeconds(
                                intOf(
                                        env,
                                        CALL_TIMEOUT_SECONDS,
                                        (int) defaults.callTimeout().toSeconds())),
                        intOf(env, THREADS, defaults.blockingThreads()),
                        intOf(env, MAX_CONNECTIONS, defaults.maxConnectionsPerProvider()));
        KubernetesClient client = new KubernetesClientBuilder().build();
        Clock clock = Clock.systemUTC();
        GatewayServer server =
                GatewayServer.start(
                        new InetSocketAddress(intOf(env, PORT, 8080)),
                        new GatewayTokens(trimmed(key)),
                        new KubernetesRunDirectory(client),
                        new KubernetesProviderKeys(client, namespace, clock),
                        new ConfigMapUsageLedger(client, namespace, replica),
                        new GatewayMetrics(),
                        clock,
                        limits);
        System.err.println(
                "gateway: replica "
                        + replica
                        + " listening on "
                        + server.url()
                        + ", usage records in namespace "
                        + namespace);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    server.close();
                                    client.close();
                                    stopped.countDown();
                                },
                                "gateway-stop"));
        stopped.await();
    }

    /** A key file written by hand often ends in a line break that is not part of the key. */
    static byte[] trimmed(byte[] key) {
        int end = key.length;
        while (end > 0 && (key[end - 1] == '\n' || key[end - 1] == '\r')) {
            end--;
        }
        return java.util.Arrays.copyOf(key, end);
    }

    private static int intOf(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        try {
            return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    name + " must be a whole number, not '" + value + "'");
        }
    }
}
