package dev.darkfactory.operator.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.darkfactory.operator.api.v1alpha1.ProviderEndpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Flow;

/**
 * One model call: verify the token, find the run's provider, check the budget, forward with the
 * provider key, pass the answer back (streamed as it comes), meter its tokens and record them.
 */
final class ModelCallHandler implements HttpHandler {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String DEFAULT_ANTHROPIC_VERSION = "2023-06-01";

    /**
     * Request headers that reach the provider; everything else (the client's token first) stays
     * here.
     */
    private static final List<String> FORWARDED_REQUEST_HEADERS =
            List.of("content-type", "accept", "anthropic-version", "anthropic-beta", "openai-beta");

    private static final int MAX_SSE_LINE = 1 << 20;

    private final GatewayTokens tokens;
    private final RunDirectory runs;
    private final ProviderKeys keys;
    private final UsageLedger ledger;
    private final GatewayMetrics metrics;
    private final Clock clock;
    private final GatewayLimits limits;
    private final HttpClient http;

    ModelCallHandler(
            GatewayTokens tokens,
            RunDirectory runs,
            ProviderKeys keys,
            UsageLedger ledger,
            GatewayMetrics metrics,
            Clock clock,
            GatewayLimits limits) {
        this.tokens = tokens;
        this.runs = runs;
        this.keys = keys;
        this.ledger = ledger;
        this.metrics = metrics;
        this.clock = clock;
        this.limits = limits;
        this.http =
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(limits.connectTimeout())
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .build();
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Optional<ModelApi> api = ModelApi.byPath(exchange.getRequestURI().getPath());
        ModelApi.Family family =
                api.map(ModelApi::family)
                        .orElse(
                                exchange.getRequestURI().getPath().startsWith("/anthropic")
                                        ? ModelApi.Family.ANTHROPIC
                                        : ModelApi.Family.OPENAI);
        try (exchange) {
            try {
                if (api.isEmpty()) {
                    throw GatewayError.badRequest(
                            404,
                            "the gateway serves POST "
                                    + ModelApi.OPENAI_CHAT.gatewayPath()
                                    + ", "
                                    + ModelApi.OPENAI_RESPONSES.gatewayPath()
                                    + " and "
                                    + ModelApi.ANTHROPIC_MESSAGES.gatewayPath());
                }
                if (!"POST".equals(exchange.getRequestMethod())) {
                    throw GatewayError.badRequest(405, "use POST");
                }
                call(exchange, api.get());
            } catch (GatewayError error) {
                metrics.refused(error.refusal());
                log(exchange, error.status() + " " + error.getMessage());
                respond(exchange, error, family);
            }
        }
    }

    private void call(HttpExchange exchange, ModelApi api) throws GatewayError, IOException {
        AttemptClaims claims;
        RunRoute route;
        try {
            claims = tokens.verify(clientToken(exchange.getRequestHeaders()), clock.instant());
            route = runs.route(claims);
        } catch (TokenRejected rejected) {
            throw GatewayError.unauthorized(rejected.getMessage());
        } catch (IOException e) {
            throw GatewayError.unavailable(
                    503, "the gateway cannot read the run: " + e.getMessage());
        }
        ProviderEndpoint endpoint =
                route.endpoint(api.family())
                        .orElseThrow(
                                () ->
                                        GatewayError.badRequest(
                                                400,
                                                "GeneratorClass "
                                                        + route.className()
                                                        + " names no provider."
                                                        + api.family()
                                                                .name()
                                                                .toLowerCase(Locale.ROOT)
                                                        + " endpoint, so "
                                                        + api.gatewayPath()
                                                        + " is not available to it"));
        byte[] requestBytes = readBounded(exchange.getRequestBody(), limits.maxRequestBytes());
        ObjectNode request = parseRequest(requestBytes);

        TokenCount used;
        try {
            used = ledger.usage(claims.runRef()).total().tokens();
        } catch (IOException e) {
            throw GatewayError.unavailable(
                    503,
                    "the gateway cannot read the run's usage, so it cannot check the budget: "
                            + e.getMessage());
        }
        BudgetDecision decision =
                BudgetDecision.decide(claims, used, route.pricing(), requestBytes.length);
        if (!decision.allowed()) {
            throw new GatewayError(
                    402,
                    "budget_exceeded",
                    GatewayMetrics.Refusal.budget,
                    decision.refusal().get());
        }
        decision.maxOutput().ifPresent(max -> api.capMaxOutput(request, max));
        api.askForStreamedUsage(request);

        String key = null;
        if (endpoint.apiKeySecretRef != null) {
            try {
                key = keys.key(endpoint.apiKeySecretRef);
            } catch (IOException e) {
                throw GatewayError.unavailable(503, e.getMessage());
            }
        }
        forward(exchange, api, claims, route, endpoint, key, MAPPER.writeValueAsBytes(request));
    }

    private void forward(
            HttpExchange exchange,
            ModelApi api,
            AttemptClaims claims,
            RunRoute route,
            ProviderEndpoint endpoint,
            String key,
            byte[] body)
            throws GatewayError, IOException {
        Instant deadline = clock.instant().plus(limits.callTimeout());
        HttpRequest.Builder upstream =
                HttpRequest.newBuilder(
                                URI.create(endpoint.url.replaceAll("/+$", "") + api.upstreamPath()))
                        .timeout(limits.callTimeout())
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        Headers incoming = exchange.getRequestHeaders();
        for (String header : FORWARDED_REQUEST_HEADERS) {
            Optional.ofNullable(incoming.getFirst(header))
                    .ifPresent(value -> upstream.header(header, value));
        }
        if (incoming.getFirst("content-type") == null) {
            upstream.header("content-type", "application/json");
        }
        if (api.family() == ModelApi.Family.ANTHROPIC) {
            if (incoming.getFirst("anthropic-version") == null) {
                upstream.header("anthropic-version", DEFAULT_ANTHROPIC_VERSION);
            }
            if (key != null) {
                upstream.header("x-api-key", key);
            }
        } else if (key != null) {
            upstream.header("Authorization", "Bearer " + key);
        }

        HttpResponse<Flow.Publisher<List<ByteBuffer>>> response;
        try {
            response = http.send(upstream.build(), HttpResponse.BodyHandlers.ofPublisher());
        } catch (HttpConnectTimeoutException e) {
            throw GatewayError.unavailable(
                    502,
                    "the provider at " + endpoint.url + " did not accept a connection in time");
        } catch (HttpTimeoutException e) {
            throw GatewayError.unavailable(
                    504,
                    "the provider at "
                            + endpoint.url
                            + " did not answer within "
                            + limits.callTimeout().toSeconds()
                            + "s");
        } catch (IOException e) {
            throw GatewayError.unavailable(
                    502,
                    "the provider at "
                            + endpoint.url
                            + " could not be reached ("
                            + e.getClass().getSimpleName()
                            + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw GatewayError.unavailable(503, "the gateway is shutting down");
        }

        Headers outgoing = exchange.getResponseHeaders();
        response.headers()
                .map()
                .forEach(
                        (name, values) -> {
                            if (passedBack(name.toLowerCase(Locale.ROOT))) {
                                outgoing.put(name, values);
                            }
                        });
        UpstreamBody answer =
                new UpstreamBody(response.body(), limits.idleTimeout(), deadline, clock);
        boolean ok = response.statusCode() == 200;
        boolean streamed =
                ok
                        && response.headers()
                                .firstValue("content-type")
                                .orElse("")
                                .startsWith("text/event-stream");
        Metered metered =
                streamed
                        ? relayStream(exchange, api, answer)
                        : relayWhole(exchange, api, answer, response.statusCode());
        if (ok) {
            TokenCount charged =
                    metered.usage().orElseGet(() -> estimate(body.length, metered.bytes()));
            record(claims, route, charged);
        }
        metrics.call(claims.namespace(), route.className(), api, response.statusCode());
        log(
                exchange,
                claims
                        + " -> "
                        + response.statusCode()
                        + (streamed ? " (streamed)" : "")
                        + (ok
                                ? " tokens "
                                        + metered.usage()
                                                .map(TokenCount::total)
                                                .map(String::valueOf)
                                                .orElse("estimated")
                                : ""));
    }

    private record Metered(Optional<TokenCount> usage, long bytes) {}

    /**
     * Streams the answer through as it comes. When the client goes away the rest is still read (and
     * dropped): the provider bills the whole answer, and its usage comes last.
     */
    private Metered relayStream(HttpExchange exchange, ModelApi api, UpstreamBody answer)
            throws IOException {
        UsageReader reader = new UsageReader(api);
        boolean[] seen = {false};
        SseEvents events =
                new SseEvents(
                        data -> {
                            try {
                                reader.onEvent(MAPPER.readTree(data));
                                seen[0] |= reader.count().total() > 0;
                            } catch (IOException e) {
                                // "[DONE]" and other non-JSON data carry no usage.
                            }
                        },
                        MAX_SSE_LINE);
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        boolean clientGone = false;
        long total = 0;
        try {
            for (byte[] chunk = answer.next(); chunk != null; chunk = answer.next()) {
                total += chunk.length;
                if (total > limits.maxResponseBytes()) {
                    answer.cancel();
                    log(exchange, "stream cut off at " + limits.maxResponseBytes() + " bytes");
                    break;
                }
                events.feed(chunk, 0, chunk.length);
                if (!clientGone) {
                    try {
                        out.write(chunk);
                        out.flush();
                    } catch (IOException e) {
                        clientGone = true;
                    }
                }
            }
            events.finish();
        } catch (HttpTimeoutException e) {
            log(exchange, "stream ended: " + e.getMessage());
        } catch (IOException e) {
            log(exchange, "stream broke: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer.cancel();
        }
        return new Metered(seen[0] ? Optional.of(reader.count()) : Optional.empty(), total);
    }

    private Metered relayWhole(HttpExchange exchange, ModelApi api, UpstreamBody answer, int status)
            throws GatewayError, IOException {
        java.io.ByteArrayOutputStream whole = new java.io.ByteArrayOutputStream();
        try {
            for (byte[] chunk = answer.next(); chunk != null; chunk = answer.next()) {
                if (whole.size() + chunk.length > limits.maxResponseBytes()) {
                    answer.cancel();
                    throw GatewayError.unavailable(
                            502,
                            "the provider's answer is larger than the gateway's limit of "
                                    + limits.maxResponseBytes()
                                    + " bytes");
                }
                whole.write(chunk);
            }
        } catch (HttpTimeoutException e) {
            throw GatewayError.unavailable(504, "the provider's answer " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw GatewayError.unavailable(503, "the gateway is shutting down");
        }
        byte[] bytes = whole.toByteArray();
        Optional<TokenCount> usage = Optional.empty();
        if (status == 200) {
            try {
                usage =
                        Optional.of(UsageReader.ofBody(api, MAPPER.readTree(bytes)))
                                .filter(u -> u.total() > 0);
            } catch (IOException e) {
                // Not JSON: passed on as it is, charged by estimate.
            }
        }
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
        return new Metered(usage, bytes.length);
    }

    /** An answer whose usage the provider did not report is charged by size, never for free. */
    static TokenCount estimate(long requestBytes, long answerBytes) {
        return new TokenCount(
                requestBytes / BudgetDecision.BYTES_PER_TOKEN,
                answerBytes / BudgetDecision.BYTES_PER_TOKEN);
    }

    private void record(AttemptClaims claims, RunRoute route, TokenCount charged) {
        metrics.tokens(claims.namespace(), route.className(), charged);
        route.pricing()
                .ifPresent(
                        p ->
                                metrics.cost(
                                        claims.namespace(),
                                        route.className(),
                                        p.currency(),
                                        p.cost(charged)));
        try {
            ledger.record(claims.runRef(), claims.attempt(), charged);
        } catch (IOException e) {
            System.err.println(
                    "gateway: usage of "
                            + claims.runRef()
                            + " attempt "
                            + claims.attempt()
                            + " not persisted yet ("
                            + e.getMessage()
                            + "); kept in memory and written with the next call");
        }
    }

    private static boolean passedBack(String header) {
        return header.equals("content-type")
                || header.equals("retry-after")
                || header.equals("retry-after-ms")
                || header.equals("x-request-id")
                || header.equals("request-id")
                || header.startsWith("x-ratelimit-")
                || header.startsWith("anthropic-ratelimit-");
    }

    /** The token as OpenAI clients send it (Bearer) or Anthropic ones do (x-api-key). */
    static String clientToken(Headers headers) {
        String authorization = headers.getFirst("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).trim();
        }
        String apiKey = headers.getFirst("x-api-key");
        return apiKey != null ? apiKey.trim() : headers.getFirst("api-key");
    }

    private static byte[] readBounded(InputStream in, int max) throws GatewayError, IOException {
        byte[] bytes = in.readNBytes(max + 1);
        if (bytes.length > max) {
            throw GatewayError.badRequest(
                    413, "the request is larger than the gateway's limit of " + max + " bytes");
        }
        return bytes;
    }

    private static ObjectNode parseRequest(byte[] bytes) throws GatewayError {
        try {
            JsonNode json = MAPPER.readTree(bytes);
            if (json instanceof ObjectNode object) {
                return object;
            }
        } catch (IOException e) {
            // Reported below.
        }
        throw GatewayError.badRequest(400, "the request body must be a JSON object");
    }

    private static void respond(HttpExchange exchange, GatewayError error, ModelApi.Family family)
            throws IOException {
        byte[] bytes = error.body(family).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        error.retryAfter()
                .ifPresent(seconds -> exchange.getResponseHeaders().set("Retry-After", seconds));
        exchange.sendResponseHeaders(error.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void log(HttpExchange exchange, String message) {
        System.err.println(
                "gateway: "
                        + exchange.getRequestMethod()
                        + " "
                        + exchange.getRequestURI().getPath()
                        + " "
                        + message);
    }
}
