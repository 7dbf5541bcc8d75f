package dev.darkfactory.operator.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * One admitted call forwarded to the provider with the Vert.x client, on the event loop of the
 * client's connection: nothing here blocks. A streamed answer goes to the client chunk by chunk as
 * it comes while its events are read for usage; a whole answer is collected (bounded) so that its
 * usage can be read before the client gets it. Silence for {@code idleTimeout} (before or within
 * the answer) or the whole call passing {@code callTimeout} ends it.
 */
final class ProviderCall {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String DEFAULT_ANTHROPIC_VERSION = "2023-06-01";

    /**
     * Request headers that reach the provider; everything else (the client's token first) stays
     * here.
     */
    private static final List<String> FORWARDED_REQUEST_HEADERS =
            List.of("content-type", "accept", "anthropic-version", "anthropic-beta", "openai-beta");

    private static final int MAX_SSE_LINE = 1 << 20;

    /**
     * What the provider answered. A streamed answer has already gone to the client (only its end is
     * left to write); a whole one is in {@code whole}.
     */
    record Answer(
            int status,
            MultiMap headers,
            boolean streamed,
            Buffer whole,
            Optional<TokenCount> streamedUsage,
            long bytes) {

        /** The usage the provider reported; parsing a whole answer is work for a worker thread. */
        Optional<TokenCount> usage(ModelApi api) {
            if (streamed) {
                return streamedUsage;
            }
            try {
                return Optional.of(UsageReader.ofBody(api, MAPPER.readTree(whole.getBytes())))
                        .filter(u -> u.total() > 0);
            } catch (IOException e) {
                return Optional.empty(); // Not JSON: passed on as it is, charged by estimate.
            }
        }
    }

    private final Vertx vertx;
    private final GatewayLimits limits;
    private final CallAdmission.Admitted call;
    private final HttpServerResponse out;
    private final Consumer<String> log;
    private final Promise<Answer> done = Promise.promise();
    private HttpClientRequest request;
    private boolean timedOut;
    private boolean clientGone;

    private ProviderCall(
            Vertx vertx,
            GatewayLimits limits,
            CallAdmission.Admitted call,
            HttpServerResponse out,
            Consumer<String> log) {
        this.vertx = vertx;
        this.limits = limits;
        this.call = call;
        this.out = out;
        this.log = log;
    }

    /** Sends the call; the future fails with a {@link GatewayError} when no answer can be given. */
    static Future<Answer> start(
            Vertx vertx,
            HttpClient http,
            GatewayLimits limits,
            CallAdmission.Admitted call,
            MultiMap incoming,
            HttpServerResponse out,
            Consumer<String> log) {
        return new ProviderCall(vertx, limits, call, out, log).send(http, incoming);
    }

    private Future<Answer> send(HttpClient http, MultiMap incoming) {
        long timer = vertx.setTimer(limits.callTimeout().toMillis(), id -> callTimedOut());
        RequestOptions options;
        try {
            options =
                    new RequestOptions()
                            .setMethod(HttpMethod.POST)
                            .setAbsoluteURI(
                                    call.endpoint().url.replaceAll("/+$", "")
                                            + call.api().upstreamPath())
                            .setHeaders(upstreamHeaders(incoming))
                            .setConnectTimeout(limits.connectTimeout().toMillis())
                            .setIdleTimeout(limits.idleTimeout().toMillis());
        } catch (RuntimeException e) {
            done.tryFail(unreachable(e));
            return done.future();
        }
        http.request(options)
                .onFailure(failure -> done.tryFail(notConnected(failure)))
                .onSuccess(
                        sent -> {
                            request = sent;
                            if (timedOut) {
                                sent.reset();
                                return;
                            }
                            sent.send(Buffer.buffer(call.body()))
                                    .onFailure(failure -> done.tryFail(noAnswer(failure)))
                                    .onSuccess(this::relay);
                        });
        return done.future().onComplete(ignored -> vertx.cancelTimer(timer));
    }

    private MultiMap upstreamHeaders(MultiMap incoming) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        for (String header : FORWARDED_REQUEST_HEADERS) {
            Optional.ofNullable(incoming.get(header)).ifPresent(v -> headers.set(header, v));
        }
        if (!headers.contains("content-type")) {
            headers.set("content-type", "application/json");
        }
        if (call.api().family() == ModelApi.Family.ANTHROPIC) {
            if (!headers.contains("anthropic-version")) {
                headers.set("anthropic-version", DEFAULT_ANTHROPIC_VERSION);
            }
            if (call.key() != null) {
                headers.set("x-api-key", call.key());
            }
        } else if (call.key() != null) {
            headers.set("Authorization", "Bearer " + call.key());
        }
        return headers;
    }

    private void callTimedOut() {
        timedOut = true;
        if (request != null) {
            request.reset(); // Fails the answer (or its body) through the handlers below.
        } else {
            done.tryFail(noAnswer(new TimeoutException()));
        }
    }

    private void relay(HttpClientResponse in) {
        MultiMap passed = MultiMap.caseInsensitiveMultiMap();
        in.headers()
                .forEach(
                        (name, value) -> {
                            if (passedBack(name.toLowerCase(Locale.ROOT))) {
                                passed.add(name, value);
                            }
                        });
        String contentType = in.getHeader("content-type");
        if (in.statusCode() == 200
                && contentType != null
                && contentType.startsWith("text/event-stream")) {
            relayStream(in, passed);
        } else {
            collectWhole(in, passed);
        }
    }

    /**
     * Streams the answer through as it comes; a client slower than the provider pauses the provider
     * rather than filling memory. When the client goes away the rest is still read (and dropped):
     * the provider bills the whole answer, and its usage comes last.
     */
    private void relayStream(HttpClientResponse in, MultiMap passed) {
        UsageReader reader = new UsageReader(call.api());
        boolean[] seen = {false};
        long[] total = {0};
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
        Runnable end =
                () -> {
                    if (!done.future().isComplete()) {
                        events.finish();
                        done.complete(
                                new Answer(
                                        200,
                                        passed,
                                        true,
                                        null,
                                        seen[0] ? Optional.of(reader.count()) : Optional.empty(),
                                        total[0]));
                    }
                };
        out.setStatusCode(200).setChunked(true);
        out.headers().addAll(passed);
        out.closeHandler(
                ignored -> {
                    clientGone = true;
                    in.resume();
                });
        in.handler(
                chunk -> {
                    if (done.future().isComplete()) {
                        return; // cut off: the rest is not read
                    }
                    total[0] += chunk.length();
                    if (total[0] > limits.maxResponseBytes()) {
                        log.accept("stream cut off at " + limits.maxResponseBytes() + " bytes");
                        end.run();
                        request.reset();
                        return;
                    }
                    byte[] bytes = chunk.getBytes();
                    events.feed(bytes, 0, bytes.length);
                    write(in, chunk);
                });
        in.endHandler(ignored -> end.run());
        in.exceptionHandler(
                failure -> {
                    if (!done.future().isComplete()) {
                        log.accept(
                                timedOut || failure instanceof TimeoutException
                                        ? "stream ended: the provider's answer stalled or passed"
                                                + " the call's time limit"
                                        : "stream broke: " + failure.getClass().getSimpleName());
                    }
                    end.run();
                });
    }

    private void write(HttpClientResponse in, Buffer chunk) {
        if (clientGone || out.closed()) {
            clientGone = true;
            return;
        }
        out.write(chunk);
        if (out.writeQueueFull()) {
            in.pause();
            out.drainHandler(ignored -> in.resume());
        }
    }

    private void collectWhole(HttpClientResponse in, MultiMap passed) {
        Buffer whole = Buffer.buffer();
        in.handler(
                chunk -> {
                    if ((long) whole.length() + chunk.length() > limits.maxResponseBytes()) {
                        done.tryFail(
                                GatewayError.unavailable(
                                        502,
                                        "the provider's answer is larger than the gateway's limit"
                                                + " of "
                                                + limits.maxResponseBytes()
                                                + " bytes"));
                        request.reset();
                        return;
                    }
                    whole.appendBuffer(chunk);
                });
        in.endHandler(
                ignored ->
                        done.tryComplete(
                                new Answer(
                                        in.statusCode(),
                                        passed,
                                        false,
                                        whole,
                                        Optional.empty(),
                                        whole.length())));
        in.exceptionHandler(
                failure ->
                        done.tryFail(
                                timedOut || failure instanceof TimeoutException
                                        ? GatewayError.unavailable(
                                                504,
                                                "the provider's answer stalled or passed the"
                                                        + " call's time limit")
                                        : GatewayError.unavailable(
                                                502,
                                                "the provider's answer broke off ("
                                                        + failure.getClass().getSimpleName()
                                                        + ")")));
    }

    private GatewayError notConnected(Throwable failure) {
        if (failure instanceof ConnectTimeoutException) {
            return GatewayError.unavailable(
                    502,
                    "the provider at "
                            + call.endpoint().url
                            + " did not accept a connection in time");
        }
        return unreachable(failure);
    }

    private GatewayError noAnswer(Throwable failure) {
        if (timedOut) {
            return GatewayError.unavailable(
                    504,
                    "the provider at "
                            + call.endpoint().url
                            + " did not answer within "
                            + limits.callTimeout().toSeconds()
                            + "s");
        }
        if (failure instanceof TimeoutException) {
            return GatewayError.unavailable(
                    504,
                    "the provider at "
                            + call.endpoint().url
                            + " sent nothing for "
                            + limits.idleTimeout().toSeconds()
                            + "s");
        }
        return unreachable(failure);
    }

    private GatewayError unreachable(Throwable failure) {
        return GatewayError.unavailable(
                502,
                "the provider at "
                        + call.endpoint().url
                        + " could not be reached ("
                        + failure.getClass().getSimpleName()
                        + ")");
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
}
