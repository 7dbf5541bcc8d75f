package dev.darkfactory.operator.station.test;

import com.fasterxml.jackson.databind.JsonNode;
import dev.darkfactory.operator.api.v1alpha1.HttpExchange;
import dev.darkfactory.operator.api.v1alpha1.JsonFieldExpectation;
import dev.darkfactory.operator.contract.Redactor;
import dev.darkfactory.operator.station.Errors;
import dev.darkfactory.operator.station.Json;
import dev.darkfactory.operator.util.Durations;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends one request whose placeholders are already replaced, and says in a few words what was wrong
 * with the answer. Reads at most {@link #MAX_BODY_BYTES} of a body: a generated app could otherwise
 * answer with gigabytes and take the tester down with it. Whatever of the app's answer is quoted is
 * redacted before it is shortened, so that no part of a Secret value survives a cut.
 */
final class StepRunner {

    static final int MAX_BODY_BYTES = 1 << 20;
    private static final int QUOTED_CHARS = 80;

    private final HttpClient client;
    private final URI appUrl;
    private final Duration requestTimeout;
    private final Redactor redactor;

    StepRunner(HttpClient client, URI appUrl, Duration requestTimeout, Redactor redactor) {
        this.client = client;
        this.appUrl = appUrl;
        this.requestTimeout = requestTimeout;
        this.redactor = redactor;
    }

    /** The answer, or null with the reason in {@code problems} when there was none. */
    record Outcome(String request, List<String> problems, Answer answer) {
        boolean ok() {
            return problems.isEmpty();
        }
    }

    /** An answer; {@code body} is null when it was longer than the tester reads. */
    record Answer(int status, HttpHeaders headers, String body, Duration latency) {}

    Outcome run(HttpExchange step) throws InterruptedException {
        String request = step.methodOrDefault() + " " + step.path;
        Answer answer;
        try {
            answer = sendOnALiveConnection(step);
        } catch (IOException | IllegalArgumentException e) {
            return new Outcome(
                    request,
                    List.of("request failed: " + redactor.redact(Errors.describe(e))),
                    null);
        }
        return new Outcome(request, problems(step, answer), answer);
    }

    /**
     * Sends the step, once more when the connection died before a byte of an answer came back. An
     * HTTP/1.0 app (Python's http.server, for one) closes each connection after its answer, and the
     * client may already have taken that connection from its pool for the next request: the request
     * never reached the app, so sending it again is safe, and failing it would charge the generated
     * code for the tester's transport (seen once in three runs of the todo example).
     */
    private Answer sendOnALiveConnection(HttpExchange step)
            throws IOException, InterruptedException {
        try {
            return send(step);
        } catch (IOException e) {
            if (!diedBeforeAnAnswer(e)) {
                throw e;
            }
            return send(step);
        }
    }

    private static boolean diedBeforeAnAnswer(IOException e) {
        String message = String.valueOf(e.getMessage());
        return message.contains("received no bytes")
                || message.contains("Broken pipe")
                || message.contains("Connection reset");
    }

    private Answer send(HttpExchange step) throws IOException, InterruptedException {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(appUrl.resolve(step.path))
                        .timeout(requestTimeout)
                        .method(
                                step.methodOrDefault().name(),
                                step.body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(step.body));
        if (step.headers != null) {
            step.headers.forEach(request::header);
        }
        long start = System.nanoTime();
        HttpResponse<InputStream> response =
                client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        byte[] bytes;
        try (InputStream body = response.body()) {
            bytes = body.readNBytes(MAX_BODY_BYTES + 1);
        }
        String body =
                bytes.length > MAX_BODY_BYTES ? null : new String(bytes, StandardCharsets.UTF_8);
        return new Answer(
                response.statusCode(),
                response.headers(),
                body,
                Duration.ofNanos(System.nanoTime() - start));
    }

    private List<String> problems(HttpExchange step, Answer answer) {
        int expected = step.expectStatusOrDefault();
        if (answer.status() != expected) {
            // The other expectations are about a different answer; they would only add noise.
            return List.of("expected status " + expected + ", got " + answer.status());
        }
        List<String> problems = new ArrayList<>();
        boolean readsBody =
                step.bodyContains != null
                        || (step.jsonFields != null && !step.jsonFields.isEmpty());
        if (answer.body() == null && readsBody) {
            problems.add(tooLarge());
        } else if (answer.body() != null) {
            if (step.bodyContains != null && !answer.body().contains(step.bodyContains)) {
                problems.add("body does not contain " + quoted(step.bodyContains));
            }
            if (step.jsonFields != null && !step.jsonFields.isEmpty()) {
                problems.addAll(jsonFieldProblems(step.jsonFields, answer.body()));
            }
        }
        if (step.maxLatency != null) {
            Duration limit = Durations.parse(step.maxLatency);
            if (answer.latency().compareTo(limit) > 0) {
                problems.add(
                        "took " + answer.latency().toMillis() + "ms, more than " + step.maxLatency);
            }
        }
        return problems;
    }

    static String tooLarge() {
        return "the response body is larger than "
                + MAX_BODY_BYTES
                + " bytes, the most the tester reads";
    }

    private List<String> jsonFieldProblems(List<JsonFieldExpectation> expectations, String body) {
        JsonNode document;
        try {
            document = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            return List.of("body is not JSON");
        }
        List<String> problems = new ArrayList<>();
        for (JsonFieldExpectation expectation : expectations) {
            JsonNode field = document.at(expectation.pointer);
            if (field.isMissingNode()) {
                problems.add("no field at " + expectation.pointer);
            } else if (!textOf(field).equals(expectation.equals)) {
                problems.add(
                        expectation.pointer
                                + ": expected "
                                + quoted(expectation.equals)
                                + ", got "
                                + quoted(textOf(field)));
            }
        }
        return problems;
    }

    /** Strings without quotes, numbers and booleans as written, objects and arrays as JSON. */
    static String textOf(JsonNode field) {
        return field.isValueNode() ? field.asText() : field.toString();
    }

    private String quoted(String text) {
        String redacted = redactor.redact(text);
        String shown =
                redacted.length() > QUOTED_CHARS
                        ? redacted.substring(0, QUOTED_CHARS) + "…"
                        : redacted;
        return '"' + shown + '"';
    }
}
