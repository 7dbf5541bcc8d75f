package dev.darkfactory.operator.gateway;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

/**
 * A model provider on loopback: answers each path with what the test set, streamed in pieces when
 * the answer is an event stream, and keeps every request it got.
 */
final class FakeProvider implements AutoCloseable {

    /** What the provider answers on a path. */
    record Answer(
            int status, String contentType, List<String> pieces, Map<String, String> headers) {

        static Answer json(String body) {
            return new Answer(200, "application/json", List.of(body), Map.of());
        }

        static Answer events(String... events) {
            return new Answer(200, "text/event-stream", List.of(events), Map.of());
        }
    }

    /** A request as the provider saw it. */
    record Received(String path, Headers headers, String body) {}

    private final HttpServer server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final Map<String, Boolean> silent = new ConcurrentHashMap<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    final List<Received> received = new CopyOnWriteArrayList<>();

    FakeProvider() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::answer);
        server.start();
    }

    FakeProvider on(String path, Answer answer) {
        answers.put(path, answer);
        return this;
    }

    /** The path takes the request and then says nothing until the provider is closed. */
    FakeProvider silentOn(String path) {
        silent.put(path, true);
        return this;
    }

    String url(String basePath) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + basePath;
    }

    Received last() {
        return received.get(received.size() - 1);
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body =
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(
                    new Received(
                            exchange.getRequestURI().getPath(),
                            exchange.getRequestHeaders(),
                            body));
            if (silent.containsKey(exchange.getRequestURI().getPath())) {
                try {
                    closed.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return;
            }
            Answer answer = answers.get(exchange.getRequestURI().getPath());
            if (answer == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", answer.contentType());
            answer.headers().forEach(exchange.getResponseHeaders()::set);
            boolean stream = answer.contentType().equals("text/event-stream");
            exchange.sendResponseHeaders(
                    answer.status(),
                    stream
                            ? 0
                            : String.join("", answer.pieces())
                                    .getBytes(StandardCharsets.UTF_8)
                                    .length);
            try (OutputStream out = exchange.getResponseBody()) {
                for (String piece : answer.pieces()) {
                    out.write(piece.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            }
        }
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
    }
}
