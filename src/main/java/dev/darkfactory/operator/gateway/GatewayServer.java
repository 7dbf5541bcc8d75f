package dev.darkfactory.operator.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The darkfactory-gateway's HTTP server (JDK HttpServer: starts in milliseconds, no framework): the
 * model APIs under {@code /openai/v1} and {@code /anthropic}, {@code /healthz} and {@code
 * /metrics}.
 */
public final class GatewayServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;

    private GatewayServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    public static GatewayServer start(
            InetSocketAddress address,
            GatewayTokens tokens,
            RunDirectory runs,
            ProviderKeys keys,
            UsageLedger ledger,
            GatewayMetrics metrics,
            Clock clock,
            GatewayLimits limits)
            throws IOException {
        HttpServer server = HttpServer.create(address, 256);
        ExecutorService executor =
                Executors.newFixedThreadPool(
                        limits.threads(),
                        runnable -> {
                            Thread thread = new Thread(runnable, "gateway-call");
                            thread.setDaemon(true);
                            return thread;
                        });
        server.setExecutor(executor);
        ModelCallHandler calls =
                new ModelCallHandler(tokens, runs, keys, ledger, metrics, clock, limits);
        server.createContext("/openai/", calls);
        server.createContext("/anthropic/", calls);
        server.createContext("/healthz", exchange -> text(exchange, 200, "ok\n"));
        server.createContext("/metrics", exchange -> text(exchange, 200, metrics.scrape()));
        server.createContext("/", exchange -> text(exchange, 404, "not found\n"));
        server.start();
        return new GatewayServer(server, executor);
    }

    public URI url() {
        return URI.create(
                "http://"
                        + server.getAddress().getHostString()
                        + ":"
                        + server.getAddress().getPort());
    }

    private static void text(HttpExchange exchange, int status, String body) throws IOException {
        try (exchange) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders()
                    .set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
