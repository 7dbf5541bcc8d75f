package dev.darkfactory.operator.gateway;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The darkfactory-gateway's HTTP server on Vert.x core (no Quarkus runtime: it starts in well under
 * a second): the model APIs under {@code /openai/} and {@code /anthropic/}, {@code /healthz} and
 * {@code /metrics}. One server per event loop, all on one port.
 */
public final class GatewayServer implements AutoCloseable {

    private final Vertx vertx;
    private final URI url;

    private GatewayServer(Vertx vertx, URI url) {
        this.vertx = vertx;
        this.url = url;
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
        int loops = Math.max(1, Runtime.getRuntime().availableProcessors());
        Vertx vertx =
                Vertx.vertx(
                        new VertxOptions()
                                .setEventLoopPoolSize(loops)
                                .setWorkerPoolSize(limits.blockingThreads())
                                // Serves no files: no cache directory, which a read-only root
                                // file system would refuse.
                                .setFileSystemOptions(
                                        new FileSystemOptions()
                                                .setFileCachingEnabled(false)
                                                .setClassPathResolvingEnabled(false)));
        try {
            HttpClient http =
                    vertx.createHttpClient(
                            new HttpClientOptions()
                                    .setConnectTimeout((int) limits.connectTimeout().toMillis())
                                    .setKeepAlive(true)
                                    .setTcpNoDelay(true),
                            new PoolOptions().setHttp1MaxSize(limits.maxConnectionsPerProvider()));
            ModelCallHandler calls =
                    new ModelCallHandler(
                            vertx,
                            http,
                            tokens,
                            new CallAdmission(runs, keys, ledger),
                            ledger,
                            metrics,
                            clock,
                            limits);
            Handler<HttpServerRequest> routes = request -> route(request, calls, metrics);
            String host = address.getAddress().getHostAddress();
            // Vert.x shares one listening socket between servers of the same host and port; for
            // "any port" (0) that takes a negative port, which all of them then share.
            HttpServerOptions options =
                    new HttpServerOptions()
                            .setHost(host)
                            .setPort(address.getPort() == 0 ? -1 : address.getPort())
                            .setTcpNoDelay(true)
                            // curl and some SDKs wait for "100 Continue" before a large body.
                            .setHandle100ContinueAutomatically(true)
                            // A client silent for longer than a provider may be is gone; a
                            // provider's silence ends its call first, with a clear error.
                            .setIdleTimeout((int) limits.idleTimeout().toSeconds() + 30)
                            .setIdleTimeoutUnit(TimeUnit.SECONDS);
            // Called from outside Vert.x, each listen() gets the next event loop.
            int port = 0;
            for (int i = 0; i < loops; i++) {
                port = await(vertx.createHttpServer(options).requestHandler(routes).listen());
            }
            String shown = host.contains(":") ? "[" + host + "]" : host;
            return new GatewayServer(vertx, URI.create("http://" + shown + ":" + port));
        } catch (IOException | RuntimeException e) {
            vertx.close();
            throw e;
        }
    }

    private static void route(
            HttpServerRequest request, ModelCallHandler calls, GatewayMetrics metrics) {
        String path = request.path();
        if (path.startsWith("/openai/") || path.startsWith("/anthropic/")) {
            calls.handle(request);
        } else if (path.equals("/healthz")) {
            text(request, 200, "ok\n");
        } else if (path.equals("/metrics")) {
            text(request, 200, metrics.scrape());
        } else {
            text(request, 404, "not found\n");
        }
    }

    private static void text(HttpServerRequest request, int status, String body) {
        request.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                .end(body);
    }

    private static int await(Future<HttpServer> listening) throws IOException {
        try {
            return listening.toCompletionStage().toCompletableFuture().get().actualPort();
        } catch (ExecutionException e) {
            throw new IOException("the gateway cannot listen: " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the gateway", e);
        }
    }

    public URI url() {
        return url;
    }

    /** Stops serving; calls in flight are cut. */
    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            System.err.println("gateway: stopping took too long or failed: " + e.getMessage());
        }
    }
}
