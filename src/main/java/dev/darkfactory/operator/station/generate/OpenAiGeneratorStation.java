package dev.darkfactory.operator.station.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.darkfactory.operator.contract.FailureReason;
import dev.darkfactory.operator.contract.StationContract.Env;
import dev.darkfactory.operator.contract.StationOutcome;
import dev.darkfactory.operator.contract.Usage;
import dev.darkfactory.operator.station.Errors;
import dev.darkfactory.operator.station.Json;
import dev.darkfactory.operator.station.SourcePaths;
import dev.darkfactory.operator.station.Station;
import dev.darkfactory.operator.station.StationEnvironment;
import dev.darkfactory.operator.station.StationFailure;
import dev.darkfactory.operator.station.StationResult;
import dev.darkfactory.operator.station.Workspace;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code station generate-openai}: the built-in generator. It sends the task and the current source
 * to an OpenAI-compatible chat-completions endpoint, asks for the complete file tree and the app
 * manifest as one JSON object, checks the answer and writes it to {@code /workspace/src}. The API
 * key goes into the Authorization header and nowhere else: every message this station produces is
 * scrubbed of it, in case an endpoint echoes it back.
 */
public final class OpenAiGeneratorStation implements Station {

    public static final String BASE_URL = "OPENAI_BASE_URL";
    public static final String MODEL = "OPENAI_MODEL";
    public static final String API_KEY = "OPENAI_API_KEY";
    public static final String RESPONSE_FORMAT = "OPENAI_RESPONSE_FORMAT";
    public static final String MAX_TOKENS = "OPENAI_MAX_TOKENS";
    public static final String TIMEOUT = Env.GENERATE_TIMEOUT;
    public static final String MAX_ATTEMPTS = "DF_GENERATE_MAX_ATTEMPTS";
    public static final String FIRST_BACKOFF = "DF_GENERATE_BACKOFF";
    public static final String MAX_FILES = "DF_GENERATE_MAX_FILES";
    public static final String MAX_FILE_BYTES = "DF_GENERATE_MAX_FILE_BYTES";
    public static final String MAX_TOTAL_BYTES = "DF_GENERATE_MAX_TOTAL_BYTES";
    public static final String SOURCE_BUDGET_BYTES = "DF_GENERATE_SOURCE_BUDGET_BYTES";

    /**
     * The largest answer body read from the model endpoint; a larger one fails the step instead of
     * filling memory.
     */
    public static final String MAX_RESPONSE_BYTES = "DF_GENERATE_MAX_RESPONSE_BYTES";

    private static final Duration LONGEST_BACKOFF = Duration.ofMinutes(1);

    @Override
    public String name() {
        return "generate";
    }

    @Override
    public String failureReason() {
        return FailureReason.GeneratorFailed.name();
    }

    @Override
    public StationResult run(StationEnvironment env) throws StationFailure, InterruptedException {
        ApiKey apiKey = new ApiKey(env.optional(API_KEY));
        try {
            return generate(env, apiKey);
        } catch (StationFailure failure) {
            throw new StationFailure(failure.reason(), apiKey.redact(failure.getMessage()))
                    .withTokens(failure.tokens());
        } catch (IOException | RuntimeException e) {
            throw new StationFailure(
                    FailureReason.GeneratorFailed.name(), apiKey.redact(Errors.describe(e)));
        }
    }

    private StationResult generate(StationEnvironment env, ApiKey apiKey)
            throws IOException, StationFailure, InterruptedException {
        Workspace workspace = Workspace.from(env);
        Instant deadline = Instant.now().plus(env.duration(TIMEOUT, "10m"));
        ChatCompletionsClient client =
                new ChatCompletionsClient(
                        env.required(BASE_URL),
                        apiKey,
                        new RetryPolicy(
                                env.integer(MAX_ATTEMPTS, 6),
                                env.duration(FIRST_BACKOFF, "1s"),
                                LONGEST_BACKOFF),
                        env.integer(MAX_RESPONSE_BYTES, 16 * 1024 * 1024));

        JsonNode answer = client.complete(request(env, workspace), deadline);
        Optional<Usage> usage = usage(answer);
        Optional<Long> tokens = usage.flatMap(Usage::knownTotal);
        if (tokens.isPresent()) {
            // Written before the answer is judged: a rejected answer still spent the tokens.
            Json.write(
                    workspace.usage(),
                    new Usage(usage.get().inputTokens(), usage.get().outputTokens(), tokens.get()));
        }
        try {
            GeneratedTree tree =
                    GeneratedTree.parse(
                            content(answer),
                            new TreeLimits(
                                    env.integer(MAX_FILES, 200),
                                    env.integer(MAX_FILE_BYTES, 512 * 1024),
                                    env.integer(MAX_TOTAL_BYTES, 4 * 1024 * 1024)));
            replaceSource(workspace.source(), tree);
            Json.write(workspace.appManifest(), tree.manifest());
            System.err.println(
                    "generate: wrote "
                            + tree.files().size()
                            + " files and "
                            + workspace.appManifest());
            return StationResult.success(
                    new StationOutcome(
                            name(),
                            true,
                            null,
                            null,
                            null,
                            null,
                            null,
                            tokens.orElse(null),
                            tree.files().size()));
        } catch (StationFailure rejected) {
            // The termination message carries them, so a model that keeps failing still reaches
            // budget.maxTokens.
            throw rejected.withTokens(tokens.orElse(null));
        }
    }

    private static ObjectNode request(StationEnvironment env, Workspace workspace)
            throws IOException {
        ObjectNode request = Json.MAPPER.createObjectNode();
        request.put("model", env.required(MODEL));
        request.set(
                "messages",
                GeneratorPrompt.messages(workspace, env.integer(SOURCE_BUDGET_BYTES, 256 * 1024)));
        switch (env.get(RESPONSE_FORMAT, "json_object")) {
            case "json_object" -> request.putObject("response_format").put("type", "json_object");
            case "json_schema" ->
                    request.putObject("response_format")
                            .put("type", "json_schema")
                            .putObject("json_schema")
                            .put("name", "darkfactory_source_tree")
                            .put("strict", false)
                            .set("schema", answerSchema());
            case "none" -> {
                // Endpoints that reject response_format: the system prompt alone asks for JSON.
            }
            default ->
                    throw new IllegalArgumentException(
                            RESPONSE_FORMAT + " must be json_object, json_schema or none");
        }
        if (env.optional(MAX_TOKENS).isPresent()) {
            request.put("max_tokens", env.integer(MAX_TOKENS, 0));
        }
        return request;
    }

    private static JsonNode answerSchema() throws IOException {
        try (InputStream in =
                OpenAiGeneratorStation.class.getResourceAsStream("answer-schema.json")) {
            return Json.MAPPER.readTree(in);
        }
    }

    /**
     * The answer's usage; a count that is missing, negative or not a whole number is left out
     * (unknown).
     */
    private static Optional<Usage> usage(JsonNode answer) {
        JsonNode usage = answer.path("usage");
        if (!usage.isObject()) {
            return Optional.empty();
        }
        return Optional.of(
                new Usage(
                        count(usage, "prompt_tokens"),
                        count(usage, "completion_tokens"),
                        count(usage, "total_tokens")));
    }

    private static Long count(JsonNode usage, String field) {
        JsonNode value = usage.path(field);
        return value.isIntegralNumber() && value.canConvertToLong() && value.asLong() >= 0
                ? value.asLong()
                : null;
    }

    private static String content(JsonNode answer) throws StationFailure {
        JsonNode choice = answer.path("choices").path(0);
        JsonNode content = choice.path("message").path("content");
        if ("length".equals(choice.path("finish_reason").asText())) {
            throw new StationFailure(
                    FailureReason.GeneratorFailed.name(),
                    "the model's answer was cut off at its token limit; raise "
                            + MAX_TOKENS
                            + " or ask for less");
        }
        if (!content.isTextual() || content.asText().isBlank()) {
            throw new StationFailure(
                    FailureReason.GeneratorFailed.name(),
                    "the model's answer has no choices[0].message.content");
        }
        return content.asText();
    }

    /**
     * The answer is the whole tree, so the previous source goes first. Each file lands where {@link
     * SourcePaths} puts it, never through a link.
     */
    private static void replaceSource(Path source, GeneratedTree tree)
            throws IOException, StationFailure {
        if (Files.exists(source)) {
            try (Stream<Path> old = Files.walk(source)) {
                for (Path path : old.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
        Files.createDirectories(source);
        for (GeneratedTree.GeneratedFile file : tree.files()) {
            try {
                Path target = SourcePaths.resolveInside(source, file.path());
                Files.createDirectories(target.getParent());
                SourcePaths.requireNoLinkOnTheWay(source, target);
                Files.writeString(target, file.content() == null ? "" : file.content());
            } catch (SourcePaths.UnsafePath e) {
                throw new StationFailure(
                        FailureReason.GeneratorFailed.name(),
                        "the model's answer was rejected: " + e.getMessage());
            }
        }
    }
}
