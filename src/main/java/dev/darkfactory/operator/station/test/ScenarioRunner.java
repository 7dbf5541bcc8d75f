package dev.darkfactory.operator.station.test;

import com.fasterxml.jackson.databind.JsonNode;
import dev.darkfactory.operator.api.v1alpha1.Capture;
import dev.darkfactory.operator.api.v1alpha1.HttpExchange;
import dev.darkfactory.operator.api.v1alpha1.JsonFieldExpectation;
import dev.darkfactory.operator.api.v1alpha1.Step;
import dev.darkfactory.operator.station.Json;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * Runs one test case once: its steps in order with fresh variables, each step's placeholders
 * replaced just before it is sent, captures taken from its answer; it stops at the first step that
 * fails. The verdict of a scenario of several steps names the step that failed.
 */
final class ScenarioRunner {

    private final StepRunner steps;
    private final ValueGenerator generator;

    ScenarioRunner(StepRunner steps, ValueGenerator generator) {
        this.steps = steps;
        this.generator = generator;
    }

    /** {@code request} is the first step's when all passed, else the failing step's. */
    record Verdict(boolean ok, String request, String reason) {}

    Verdict run(TestCase testCase) throws InterruptedException {
        ScenarioValues values;
        try {
            values = new ScenarioValues(testCase.vars(), generator);
        } catch (IllegalArgumentException e) {
            return new Verdict(false, null, "vars: " + e.getMessage());
        }
        String firstRequest = null;
        for (int i = 0; i < testCase.steps().size(); i++) {
            HttpExchange step = testCase.steps().get(i);
            String label = testCase.steps().size() == 1 ? "" : stepLabel(step, i);
            HttpExchange expanded;
            try {
                expanded = expand(step, values);
            } catch (IllegalArgumentException e) {
                return new Verdict(
                        false, step.methodOrDefault() + " " + step.path, label + e.getMessage());
            }
            StepRunner.Outcome outcome = steps.run(expanded);
            firstRequest = firstRequest == null ? outcome.request() : firstRequest;
            if (!outcome.ok()) {
                return new Verdict(
                        false, outcome.request(), label + String.join("; ", outcome.problems()));
            }
            Optional<String> notCaptured = capture(step, outcome.answer(), values);
            if (notCaptured.isPresent()) {
                return new Verdict(false, outcome.request(), label + notCaptured.get());
            }
        }
        return new Verdict(true, firstRequest, null);
    }

    private static String stepLabel(HttpExchange step, int index) {
        String name = step instanceof Step s && s.name != null ? " (" + s.name + ")" : "";
        return "step " + (index + 1) + name + ": ";
    }

    /** A copy of the step with its placeholders replaced. */
    private static HttpExchange expand(HttpExchange step, ScenarioValues values) {
        HttpExchange expanded = new HttpExchange();
        expanded.method = step.method;
        expanded.path = values.expandPath(step.path);
        if (step.headers != null) {
            LinkedHashMap<String, String> headers = new LinkedHashMap<>();
            step.headers.forEach((name, value) -> headers.put(name, values.expand(value)));
            expanded.headers = headers;
        }
        expanded.body = values.expand(step.body);
        expanded.expectStatus = step.expectStatus;
        expanded.bodyContains = values.expand(step.bodyContains);
        if (step.jsonFields != null) {
            expanded.jsonFields =
                    step.jsonFields.stream()
                            .map(
                                    field ->
                                            new JsonFieldExpectation(
                                                    field.pointer, values.expand(field.equals)))
                            .toList();
        }
        expanded.maxLatency = step.maxLatency;
        return expanded;
    }

    /** Takes the step's captures from its answer; the problem when one is missing. */
    private static Optional<String> capture(
            HttpExchange step, StepRunner.Answer answer, ScenarioValues values) {
        List<Capture> captures =
                step instanceof Step s && s.capture != null ? s.capture : List.of();
        for (Capture capture : captures) {
            Optional<String> value =
                    capture.header != null
                            ? answer.headers().firstValue(capture.header)
                            : fromBody(answer.body(), capture.jsonPointer);
            if (value.isEmpty()) {
                return Optional.of(
                        "cannot capture "
                                + capture.name
                                + ": "
                                + (capture.header != null
                                        ? "no header " + capture.header
                                        : answer.body() == null
                                                ? StepRunner.tooLarge()
                                                : "no field at " + capture.jsonPointer));
            }
            values.capture(capture.name, value.get());
        }
        return Optional.empty();
    }

    private static Optional<String> fromBody(String body, String pointer) {
        if (body == null) {
            return Optional.empty();
        }
        try {
            JsonNode field = Json.MAPPER.readTree(body).at(pointer);
            return field.isMissingNode() || field.isNull()
                    ? Optional.empty()
                    : Optional.of(StepRunner.textOf(field));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
