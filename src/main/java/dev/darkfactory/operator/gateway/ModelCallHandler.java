package dev.darkfactory.operator.gateway;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Clock;
import java.util.Optional;

/**
 * One model call: verify the token, read the body, admit the call (run, budget, key), forward it
 * with the provider key, pass the answer back (streamed as it comes), meter its tokens and record
 * them. Runs on an event loop; the Kubernetes API reads and writes (admission, usage records) go to
 * worker threads, so a slow API server delays calls but never stalls the loop.
 */
final class ModelCallHandler implements Handler<HttpServerRequest> {

    private final Vertx vertx;
    private final HttpClient http;
    private final GatewayTokens tokens;
    private final CallAdmission admission;
    private final UsageLedger ledger;
    private final GatewayMetrics metrics;
    private final Clock clock;
    private final GatewayLimits limits;

    ModelCallHandler(
            Vertx vertx,
            HttpClient http,
            GatewayTokens tokens,
            CallAdmission admission,
            UsageLedger ledger,
            GatewayMetrics metrics,
            Clock clock,
            GatewayLimits limits) {
        this.vertx = vertx;
        this.http = http;
        this.tokens = tokens;
        this.admission = admission;
        this.ledger = ledger;
        this.metrics = metrics;
        this.clock = clock;
        this.limits = limits;
    }

    @Override
    public void handle(HttpServerRequest request) {
        Optional<ModelApi> api = ModelApi.byPath(request.path());
        ModelApi.Family family =
                api.map(ModelApi::family)
                        .orElse(
                                request.path().startsWith("/anthropic")
                                        ? ModelApi.Family.ANTHROPIC
                                        : ModelApi.Family.OPENAI);
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
            if (request.method() != HttpMethod.POST) {
                throw GatewayError.badRequest(405, "use POST");
            }
            AttemptClaims claims = verify(request.headers());
            RequestBody.read(request, limits.maxRequestBytes())
                    .compose(
                            body ->
                                    vertx.executeBlocking(
                                            () -> admission.admit(api.get(), claims, body), false))
                    .compose(admitted -> forward(request, admitted))
                    .onFailure(failure -> refuse(request, family, failure));
        } catch (GatewayError error) {
            refuse(request, family, error);
        }
    }

    private AttemptClaims verify(MultiMap headers) throws GatewayError {
        try {
            return tokens.verify(clientToken(headers), clock.instant());
        } catch (TokenRejected rejected) {
            throw GatewayError.unauthorized(rejected.getMessage());
        }
    }

    /**
     * Forwards the call; once the answer is read, its usage is recorded (on a worker) before the
     * client gets the answer's end, so the agent's next call is checked against it.
     */
    private Future<Void> forward(HttpServerRequest request, CallAdmission.Admitted call) {
        HttpServerResponse out = request.response();
        return ProviderCall.start(
                        vertx,
                        http,
                        limits,
                        call,
                        request.headers(),
                        out,
                        message -> log(request, message))
                .compose(
                        answer ->
                                vertx.executeBlocking(() -> meter(call, answer), false)
                                        .map(
                                                usage -> {
                                                    // Counted before the client has its answer,
                                                    // as its tokens are: a scrape after the
                                                    // answer always includes the call.
                                                    metrics.call(
                                                            call.claims().namespace(),
                                                            call.route().className(),
                                                            call.api(),
                                                            answer.status());
                                                    finish(out, answer);
                                                    log(request, outcome(call, answer, usage));
                                                    return null;
                                                }));
    }

    /** Charges a successful answer; blocking (the usage record is a Kubernetes API write). */
    private Optional<TokenCount> meter(CallAdmission.Admitted call, ProviderCall.Answer answer) {
        if (answer.status() != 200) {
            return Optional.empty(); // Errors are not charged.
        }
        Optional<TokenCount> usage = answer.usage(call.api());
        record(
                call.claims(),
                call.route(),
                usage.orElseGet(() -> estimate(call.body().length, answer.bytes())));
        return usage;
    }

    private static void finish(HttpServerResponse out, ProviderCall.Answer answer) {
        if (out.ended() || out.closed()) {
            return; // The client went away; the answer was still read and charged.
        }
        if (answer.streamed()) {
            out.end();
        } else {
            out.setStatusCode(answer.status());
            out.headers().addAll(answer.headers());
            out.end(answer.whole());
        }
    }

    private static String outcome(
            CallAdmission.Admitted call, ProviderCall.Answer answer, Optional<TokenCount> usage) {
        return call.claims()
                + " -> "
                + answer.status()
                + (answer.streamed() ? " (streamed)" : "")
                + (answer.status() == 200
                        ? " tokens "
                                + usage.map(TokenCount::total)
                                        .map(String::valueOf)
                                        .orElse("estimated")
                        : "");
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
        } catch (java.io.IOException e) {
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

    /** The token as OpenAI clients send it (Bearer) or Anthropic ones do (x-api-key). */
    static String clientToken(MultiMap headers) {
        String authorization = headers.get("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).trim();
        }
        String apiKey = headers.get("x-api-key");
        return apiKey != null ? apiKey.trim() : headers.get("api-key");
    }

    /** Answers in the error shape of the client's API; a bug is a 500 in that shape too. */
    private void refuse(HttpServerRequest request, ModelApi.Family family, Throwable failure) {
        GatewayError error =
                failure instanceof GatewayError known
                        ? known
                        : new GatewayError(
                                500,
                                "api_error",
                                GatewayMetrics.Refusal.unavailable,
                                "the gateway failed (" + failure.getClass().getSimpleName() + ")");
        metrics.refused(error.refusal());
        log(request, error.status() + " " + error.getMessage());
        HttpServerResponse out = request.response();
        if (out.ended() || out.closed()) {
            return;
        }
        if (out.headWritten()) {
            out.end(); // Part of a stream went out already; its end is all that can follow.
            return;
        }
        out.setStatusCode(error.status()).putHeader("Content-Type", "application/json");
        error.retryAfter().ifPresent(seconds -> out.putHeader("Retry-After", seconds));
        out.end(error.body(family));
    }

    private static void log(HttpServerRequest request, String message) {
        System.err.println("gateway: " + request.method() + " " + request.path() + " " + message);
    }
}
