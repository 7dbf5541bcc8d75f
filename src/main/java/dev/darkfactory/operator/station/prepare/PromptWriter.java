package dev.darkfactory.operator.station.prepare;

import dev.darkfactory.operator.api.v1alpha1.Constraints;
import dev.darkfactory.operator.api.v1alpha1.HttpCheck;
import dev.darkfactory.operator.api.v1alpha1.JsonFieldExpectation;
import dev.darkfactory.operator.api.v1alpha1.ServeSpec;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntentSpec;
import dev.darkfactory.operator.contract.Feedback;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes prompt.md: the task for the generator in words, from the visible intent, the feedback of
 * the previous attempt and the base images it may use. Any coding agent can work from this file
 * alone; the JSON files beside it carry the same facts for programs.
 */
final class PromptWriter {

    private PromptWriter() {}

    /** {@code visible} must already be free of held-out checks. */
    static String prompt(
            SoftwareIntentSpec visible,
            Feedback feedback,
            int attempt,
            List<String> allowedBaseImages) {
        ServeSpec serve = visible.serveOrDefault();
        StringBuilder text = new StringBuilder();
        text.append("# Task (attempt ")
                .append(attempt)
                .append(")\n\n")
                .append(visible.description.strip())
                .append("\n");
        appendConstraints(text, visible.constraints);

        text.append("\n## How the service runs\n\n")
                .append("- It listens on port ")
                .append(serve.port)
                .append(" on all interfaces (0.0.0.0).\n")
                .append("- `GET ")
                .append(serve.healthPath)
                .append("` answers 200 once it is ready.\n")
                .append("- Base image: ")
                .append(
                        allowedBaseImages.isEmpty()
                                ? "ask the platform team; none is configured"
                                : allowedBaseImages.stream()
                                                .map(image -> "`" + image + "`")
                                                .collect(Collectors.joining(", "))
                                        + " (a trailing * stands for any suffix)")
                .append(
                        ". Nothing is installed at build time: the image is the base image plus the source files.\n");

        text.append("\n## Acceptance checks\n\n")
                .append(
                        "The service must pass these checks. Further checks of the same description are held out.\n\n");
        List<HttpCheck> checks = visible.acceptance == null ? List.of() : visible.acceptance.checks;
        for (HttpCheck check : checks) {
            text.append("- ").append(describe(check)).append("\n");
        }

        if (feedback != null) {
            appendFeedback(text, feedback);
        }

        text.append("\n## What to deliver\n\n")
                .append(
                        "- The complete source in `/workspace/src`. It holds the previous attempt's source, if any: edit it.\n")
                .append("- The app manifest `/workspace/src/darkfactory-app.json`, for example\n")
                .append(
                        "  `{\"baseImage\": \"<allowed base image>\", \"entrypoint\": [\"<command>\", \"<arg>\"], ")
                .append("\"workingDirectory\": \"/app\", \"port\": ")
                .append(serve.port)
                .append(", \"files\": [{\"from\": \".\", \"to\": \"/app\"}]}`.\n");
        return text.toString();
    }

    private static void appendConstraints(StringBuilder text, Constraints constraints) {
        if (constraints == null) {
            return;
        }
        text.append("\n## Constraints\n\n");
        if (constraints.language != null) {
            text.append("- Language: ").append(constraints.language).append("\n");
        }
        if (constraints.runtime != null) {
            text.append("- Runtime: ").append(constraints.runtime).append("\n");
        }
        if (constraints.notes != null) {
            text.append("- Notes: ").append(constraints.notes.strip()).append("\n");
        }
    }

    private static String describe(HttpCheck check) {
        StringBuilder line = new StringBuilder();
        if (check.name != null) {
            line.append("`").append(check.name).append("`: ");
        }
        line.append("`").append(check.method).append(" ").append(check.path).append("`");
        if (check.headers != null && !check.headers.isEmpty()) {
            line.append(" with headers ")
                    .append(
                            check.headers.entrySet().stream()
                                    .map(Map.Entry::toString)
                                    .collect(Collectors.joining(", ")));
        }
        if (check.body != null) {
            line.append(" with body `").append(check.body).append("`");
        }
        line.append(" answers ").append(check.expectStatus);
        if (check.bodyContains != null) {
            line.append(", its body contains `").append(check.bodyContains).append("`");
        }
        if (check.jsonFields != null) {
            for (JsonFieldExpectation field : check.jsonFields) {
                line.append(", JSON field `")
                        .append(field.pointer)
                        .append("` is `")
                        .append(field.equals)
                        .append("`");
            }
        }
        if (check.maxLatency != null) {
            line.append(", within ").append(check.maxLatency);
        }
        return line.toString();
    }

    private static void appendFeedback(StringBuilder text, Feedback feedback) {
        text.append("\n## What went wrong in attempt ")
                .append(feedback.attempt())
                .append("\n\n")
                .append(feedback.reason())
                .append(": ")
                .append(feedback.message())
                .append("\n");
        if (feedback.failures() != null) {
            text.append("\n");
            for (Feedback.VisibleFailure failure : feedback.failures()) {
                text.append("- `")
                        .append(failure.name())
                        .append("` (")
                        .append(failure.request())
                        .append("): ")
                        .append(failure.reason())
                        .append("\n");
            }
        }
        if (feedback.heldOut() != null) {
            text.append("\nHeld-out checks: ")
                    .append(feedback.heldOut().passed())
                    .append(" passed, ")
                    .append(feedback.heldOut().failed())
                    .append(" failed.\n");
        }
        if (feedback.log() != null && !feedback.log().isBlank()) {
            text.append("\nLast log lines:\n\n```\n")
                    .append(feedback.log().strip())
                    .append("\n```\n");
        }
    }
}
