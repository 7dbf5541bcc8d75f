package dev.darkfactory.operator.gateway;

import dev.darkfactory.operator.api.v1alpha1.ModelProvider;
import dev.darkfactory.operator.api.v1alpha1.ProviderEndpoint;
import dev.darkfactory.operator.api.v1alpha1.SecretKeySelector;
import java.io.OutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code make bench-gateway}: what the gateway adds to a model call on loopback, and how many calls
 * a second it forwards. A provider that answers at once stands in for the model, so the figures are
 * the gateway's own cost (token check, budget, metering, one extra hop); usage goes to memory, not
 * to a ConfigMap. Not a test: nothing here asserts on time.
 */
public final class GatewayBenchmark {

    private static final String CHAT =
            "{\"id\":\"c\",\"choices\":[{\"message\":{\"content\":\"hello\"}}],"
                    + "\"usage\":{\"prompt_tokens\":40,\"completion_tokens\":8,\"total_tokens\":48}}";
    private static final String[] STREAM = {
        "data: {\"choices\":[{\"delta\":{\"content\":\"hel\"}}]}\n\n",
        "data: {\"choices\":[{\"delta\":{\"content\":\"lo\"}}]}\n\n",
        "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2}}\n\n",
        "data: [DONE]\n\n"
    };
    private static final String REQUEST =
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\""
                    + "x".repeat(2000)
                    + "\"}]}";

    private GatewayBenchmark() {}

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        long seconds = args.length > 2 ? Long.parseLong(args[2]) : 5;
        PrintStream out = System.out;
        // For the fake provider (a JDK server): without it its small writes wait for delayed ACKs
        // (~40 ms), which would swamp the direct figures. The gateway (Vert.x) sets TCP_NODELAY
        // itself.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        PrintStream err = System.err;
        System.setErr(new PrintStream(OutputStream.nullOutputStream()));
        try {
            run(out, calls, clients, seconds);
        } catch (Exception e) {
            e.printStackTrace(err);
            System.exit(1);
        }
    }

    private static void run(PrintStream out, int calls, int clients, long seconds)
            throws Exception {

        try (FakeProvider provider = new FakeProvider()) {
            provider.on("/v1/chat/completions", FakeProvider.Answer.json(CHAT));
            provider.on("/stream/v1/chat/completions", FakeProvider.Answer.events(STREAM));
            GatewayTokens tokens = new GatewayTokens(GatewayTokensTest.KEY);
            RunDirectory runs =
                    claims -> {
                        ModelProvider models = new ModelProvider();
                        String base =
                                claims.attempt() == 2
                                        ? provider.url("/stream/v1")
                                        : provider.url("/v1");
                        models.openai =
                                new ProviderEndpoint(base, new SecretKeySelector("keys", "openai"));
                        return new RunRoute(
                                "bench",
                                models,
                                Optional.of(
                                        new Pricing(
                                                new BigDecimal("3"), new BigDecimal("15"), "USD")));
                    };
            try (GatewayServer gateway =
                    GatewayServer.start(
                            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                            tokens,
                            runs,
                            ref -> "sk-bench",
                            new InMemoryUsageLedger(),
                            new GatewayMetrics(),
                            Clock.systemUTC(),
                            GatewayLimits.defaults())) {
                HttpClient client =
                        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                Instant expiry = Instant.now().plusSeconds(3600);
                String whole =
                        tokens.mint(
                                new AttemptClaims(
                                        "bench",
                                        "run",
                                        "uid",
                                        1,
                                        expiry,
                                        1_000_000_000_000L,
                                        new BigDecimal("1000000")));
                String streamed =
                        tokens.mint(
                                new AttemptClaims("bench", "run", "uid", 2, expiry, null, null));
                HttpRequest direct =
                        request(
                                URI.create(provider.url("/v1/chat/completions")),
                                "sk-bench",
                                REQUEST);
                HttpRequest viaGateway =
                        request(
                                URI.create(gateway.url() + "/openai/v1/chat/completions"),
                                whole,
                                REQUEST);
                String streamBody = REQUEST.replace("{\"model\"", "{\"stream\":true,\"model\"");
                HttpRequest directStream =
                        request(
                                URI.create(provider.url("/stream/v1/chat/completions")),
                                "k",
                                streamBody);
                HttpRequest viaGatewayStream =
                        request(
                                URI.create(gateway.url() + "/openai/v1/chat/completions"),
                                streamed,
                                streamBody);

                out.printf(
                        "gateway benchmark on loopback: %d sequential calls per case, request %d bytes%n",
                        calls, REQUEST.length());
                for (int warm = 0; warm < 2; warm++) {
                    latencies(client, direct, calls / 2);
                    latencies(client, viaGateway, calls / 2);
                    latencies(client, viaGatewayStream, calls / 4);
                }
                report(
                        out,
                        "chat, whole answer",
                        latencies(client, direct, calls),
                        latencies(client, viaGateway, calls));
                report(
                        out,
                        "chat, streamed",
                        latencies(client, directStream, calls),
                        latencies(client, viaGatewayStream, calls));
                out.printf(
                        "throughput through the gateway: %d clients for %ds: %.0f calls/s (whole answers)%n",
                        clients, seconds, throughput(client, viaGateway, clients, seconds));
            }
        }
    }

    private static HttpRequest request(URI uri, String bearer, String body) {
        return HttpRequest.newBuilder(uri)
                .header("Authorization", "Bearer " + bearer)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private static long[] latencies(HttpClient client, HttpRequest request, int calls)
            throws Exception {
        long[] nanos = new long[calls];
        for (int i = 0; i < calls; i++) {
            long start = System.nanoTime();
            HttpResponse<String> response =
                    client.send(request, HttpResponse.BodyHandlers.ofString());
            nanos[i] = System.nanoTime() - start;
            if (response.statusCode() != 200) {
                throw new IllegalStateException(
                        "status " + response.statusCode() + ": " + response.body());
            }
        }
        Arrays.sort(nanos);
        return nanos;
    }

    private static void report(PrintStream out, String name, long[] direct, long[] gateway) {
        out.printf(
                "%-20s direct p50 %6.0f us p99 %6.0f us | via gateway p50 %6.0f us p99 %6.0f us | added p50 %6.0f us%n",
                name,
                micros(direct, 0.50),
                micros(direct, 0.99),
                micros(gateway, 0.50),
                micros(gateway, 0.99),
                micros(gateway, 0.50) - micros(direct, 0.50));
    }

    private static double micros(long[] sorted, double quantile) {
        return sorted[Math.min(sorted.length - 1, (int) (sorted.length * quantile))] / 1000.0;
    }

    private static double throughput(
            HttpClient client, HttpRequest request, int clients, long seconds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicLong done = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            futures.add(
                    pool.submit(
                            () -> {
                                while (System.nanoTime() < end) {
                                    client.send(request, HttpResponse.BodyHandlers.ofString());
                                    done.incrementAndGet();
                                }
                                return null;
                            }));
        }
        for (Future<?> future : futures) {
            future.get();
        }
        pool.shutdown();
        return done.get() / (double) seconds;
    }
}
