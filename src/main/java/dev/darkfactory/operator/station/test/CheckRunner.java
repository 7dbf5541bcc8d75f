package dev.darkfactory.operator.station.test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.darkfactory.operator.api.v1alpha1.HttpCheck;
import dev.darkfactory.operator.api.v1alpha1.HttpMethod;
import dev.darkfactory.operator.api.v1alpha1.JsonFieldExpectation;
import dev.darkfactory.operator.contract.CheckResult;
import dev.darkfactory.operator.station.Errors;
import dev.darkfactory.operator.station.Json;
import dev.darkfactory.operator.util.Durations;

/** Runs one declarative check against the app and says, in a few words, what was wrong. */
final class CheckRunner {

    private final HttpClient client;
    private final URI appUrl;
    private final Duration requestTimeout;

    CheckRunner(HttpClient client, URI appUrl, Duration requestTimeout) {
        this.client = client;
        this.appUrl = appUrl;
        this.requestTimeout = requestTimeout;
    }

    CheckResult run(HttpCheck check, int index) throws InterruptedException {
        HttpMethod method = check.method != null ? check.method : HttpMethod.GET;
        String request = method + " " + check.path;
        String name = check.name != null ? check.name : "check-" + (index + 1);
        List<String> problems;
        try {
            problems = problems(check, send(check, method));
        } catch (IOException | IllegalArgumentException e) {
            problems = List.of("request failed: " + Errors.describe(e));
        }
        return new CheckResult(name, check.heldOut(), problems.isEmpty(), request,
                problems.isEmpty() ? null : String.join("; ", problems));
    }

    private TimedResponse send(HttpCheck check, HttpMethod method) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(appUrl.resolve(check.path))
                .timeout(requestTimeout)
                .method(method.name(), check.body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(check.body));
        if (check.headers != null) {
            check.headers.forEach(request::header);
        }
        long start = System.nanoTime();
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new TimedResponse(response.statusCode(), response.body(), Duration.ofNanos(System.nanoTime() - start));
    }

    private static List<String> problems(HttpCheck check, TimedResponse response) {
        int expected = check.expectStatus != null ? check.expectStatus : 200;
        if (response.status() != expected) {
            // The other expectations are about a different answer; they would only add noise.
            return List.of("expected status " + expected + ", got " + response.status());
        }
        List<String> problems = new ArrayList<>();
        if (check.bodyContains != null && !response.body().contains(check.bodyContains)) {
            problems.add("body does not contain " + quoted(check.bodyContains));
        }
        if (check.jsonFields != null && !check.jsonFields.isEmpty()) {
            problems.addAll(jsonFieldProblems(check.jsonFields, response.body()));
        }
        if (check.maxLatency != null) {
            Duration limit = Durations.parse(check.maxLatency);
            if (response.latency().compareTo(limit) > 0) {
                problems.add("took " + response.latency().toMillis() + "ms, more than " + check.maxLatency);
            }
        }
        return problems;
    }

    private static List<String> jsonFieldProblems(List<JsonFieldExpectation> expectations, String body) {
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
                problems.add(expectation.pointer + ": expected " + quoted(expectation.equals) + ", got "
                        + quoted(textOf(field)));
            }
        }
        return problems;
    }

    /** Strings without quotes, numbers and booleans as written, objects and arrays as JSON. */
    private static String textOf(JsonNode field) {
        return field.isValueNode() ? field.asText() : field.toString();
    }

    private static String quoted(String text) {
        String shown = text.length() > 80 ? text.substring(0, 80) + "…" : text;
        return '"' + shown + '"';
    }

    private record TimedResponse(int status, String body, Duration latency) {
    }
}
