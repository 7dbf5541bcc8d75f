package dev.darkfactory.operator.station.generate;

import static dev.darkfactory.operator.station.testing.ChatCompletions.completion;
import static dev.darkfactory.operator.station.testing.ChatCompletions.file;
import static dev.darkfactory.operator.station.testing.ChatCompletions.treeAnswer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.darkfactory.operator.contract.AppManifest;
import dev.darkfactory.operator.contract.StationOutcome;
import dev.darkfactory.operator.contract.Usage;
import dev.darkfactory.operator.station.Json;
import dev.darkfactory.operator.station.Workspace;
import dev.darkfactory.operator.station.testing.LocalHttpServer;
import dev.darkfactory.operator.station.testing.StationRun;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built-in generator against a local OpenAI-compatible endpoint that gives canned answers. */
class OpenAiGeneratorStationTest {

    /** Made up for this test; the assertions make sure it never leaves the Authorization header. */
    private static final String API_KEY = "test-key-0f3c9a71d2";

    @TempDir Path dir;

    private LocalHttpServer endpoint;
    private Workspace workspace;
    private final ConcurrentLinkedDeque<Reply> replies = new ConcurrentLinkedDeque<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();

    private record Reply(int status, String body, Map<String, String> headers) {}

    private record Call(JsonNode body, String authorization, long atMillis) {}

    @BeforeEach
    void setUp() throws Exception {
        workspace = new Workspace(dir.resolve("workspace"));
        Files.createDirectories(workspace.source());
        Files.writeString(workspace.source().resolve("old.py"), "print('previous attempt')\n");
        Json.write(workspace.attempt(), 2);
        Files.writeString(
                workspace.prompt(), "# Task (attempt 2)\n\nA REST service for todo items.\n");
        endpoint =
                LocalHttpServer.start()
                        .handle(
                                "/v1/chat/completions",
                                exchange -> {
                                    calls.add(
                                            new Call(
                                                    Json.MAPPER.readTree(exchange.getRequestBody()),
                                                    exchange.getRequestHeaders()
                                                            .getFirst("Authorization"),
                                                    System.currentTimeMillis()));
                                    // The last reply stands for every call after it.
                                    Reply reply =
                                            replies.size() > 1 ? replies.poll() : replies.peek();
                                    reply.headers()
                                            .forEach(
                                                    (name, value) ->
                                                            exchange.getResponseHeaders()
                                                                    .set(name, value));
                                    LocalHttpServer.respond(exchange, reply.status(), reply.body());
                                });
    }

    @AfterEach
    void tearDown() {
        endpoint.close();
    }

    @Test
    void writesTheFileTreeTheManifestAndTheUsage() throws Exception {
        replies.add(
                ok(
                        answer(
                                List.of(
                                        file("main.py", "print('hello')\n"),
                                        file("lib/store.py", "items = []\n")))));

        StationRun run = generate(Map.of());

        assertThat(run.exitCode()).isZero();
        StationOutcome outcome = run.as(StationOutcome.class);
        assertThat(outcome.ok()).isTrue();
        assertThat(outcome.files()).isEqualTo(2);
        assertThat(outcome.tokens()).isEqualTo(1500);
        assertThat(workspace.source().resolve("main.py")).hasContent("print('hello')\n");
        assertThat(workspace.source().resolve("lib/store.py")).hasContent("items = []\n");
        assertThat(workspace.source().resolve("old.py"))
                .as("the answer is the whole tree")
                .doesNotExist();
        AppManifest manifest = Json.read(workspace.appManifest(), AppManifest.class);
        assertThat(manifest.baseImage()).isEqualTo("registry.local:5000/base/python:3.11");
        assertThat(manifest.entrypoint()).containsExactly("python3", "/app/main.py");
        assertThat(Json.read(workspace.usage(), Usage.class))
                .isEqualTo(new Usage(1000L, 500L, 1500L));

        Call call = calls.get(0);
        assertThat(call.authorization()).isEqualTo("Bearer " + API_KEY);
        assertThat(call.body().path("model").asText()).isEqualTo("test-model");
        assertThat(call.body().path("response_format").path("type").asText())
                .isEqualTo("json_object");
        assertThat(call.body().path("messages").path(0).path("role").asText()).isEqualTo("system");
        String user = call.body().path("messages").path(1).path("content").asText();
        assertThat(user)
                .contains("A REST service for todo items.")
                .contains("## old.py")
                .contains("previous attempt");
    }

    @Test
    void asksForAJsonSchemaWhenConfiguredTo() throws Exception {
        replies.add(ok(answer(List.of(file("main.py", "")))));

        StationRun run = generate(Map.of(OpenAiGeneratorStation.RESPONSE_FORMAT, "json_schema"));

        assertThat(run.exitCode()).isZero();
        JsonNode format = calls.get(0).body().path("response_format");
        assertThat(format.path("type").asText()).isEqualTo("json_schema");
        assertThat(format.at("/json_schema/schema/required").toString())
                .isEqualTo("[\"files\",\"manifest\"]");
    }

    @Test
    void malformedJsonIsRejectedButItsTokensAreCounted() throws Exception {
        replies.add(
                ok(completion("{\"files\": [{\"path\": \"main.py\", \"content\": \"print(1)\"")));

        StationRun run = generate(Map.of());

        assertThat(run.exitCode()).isEqualTo(1);
        StationOutcome outcome = run.as(StationOutcome.class);
        assertThat(outcome.reason()).isEqualTo("GeneratorFailed");
        assertThat(outcome.message())
                .startsWith("the model's answer was rejected: it is not the JSON object asked for");
        assertThat(Json.read(workspace.usage(), Usage.class).totalTokens()).isEqualTo(1500);
        assertThat(outcome.tokens())
                .as("the failure's termination message carries the tokens")
                .isEqualTo(1500);
        assertThat(workspace.source().resolve("old.py"))
                .as("a rejected answer leaves the source alone")
                .exists();
    }

    @Test
    void anAnswerCutOffAtItsTokenLimitStillCountsItsTokens() throws Exception {
        ObjectNode cut = (ObjectNode) Json.MAPPER.readTree(completion("{\"files\": ["));
        ((ObjectNode) cut.path("choices").path(0)).put("finish_reason", "length");
        replies.add(ok(cut.toString()));

        StationOutcome outcome = generate(Map.of()).as(StationOutcome.class);

        assertThat(outcome.reason()).isEqualTo("GeneratorFailed");
        assertThat(outcome.message()).contains("cut off at its token limit");
        assertThat(outcome.tokens()).isEqualTo(1500);
    }

    @Test
    void negativeUsageIsUnknownNeverNegative() throws Exception {
        ObjectNode body = (ObjectNode) Json.MAPPER.readTree(answer(List.of(file("main.py", ""))));
        body.putObject("usage")
                .put("prompt_tokens", -5000)
                .put("completion_tokens", 10)
                .put("total_tokens", -4990);
        replies.add(ok(body.toString()));

        StationRun run = generate(Map.of());

        assertThat(run.exitCode()).isZero();
        assertThat(run.as(StationOutcome.class).tokens()).as("unknown").isNull();
        assertThat(workspace.usage()).doesNotExist();
    }

    /**
     * The path that got through the old regular expression on a real cluster and forged usage.json.
     */
    @Test
    void aLineBreakInAPathCannotReachTheStationsOwnFiles() throws Exception {
        replies.add(
                ok(
                        answer(
                                List.of(
                                        file("main.py", "ok"),
                                        file(
                                                "x\n/../../.darkfactory/out/usage.json",
                                                "{\"totalTokens\": 1}")))));

        StationRun run = generate(Map.of());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.as(StationOutcome.class).message())
                .isEqualTo(
                        "the model's answer was rejected: the path "
                                + "'x\\u000A/../../.darkfactory/out/usage.json' is not a relative path inside the source directory: it "
                                + "contains a control character at position 1");
        assertThat(Json.read(workspace.usage(), Usage.class).totalTokens()).isEqualTo(1500);
        assertThat(run.terminationMessage()).doesNotContain("\\n/..");
    }

    @Test
    void anAnswerLargerThanTheBoundIsRefusedWithoutReadingIt() throws Exception {
        replies.add(ok(answer(List.of(file("main.py", "x".repeat(5000))))));

        StationRun run = generate(Map.of(OpenAiGeneratorStation.MAX_RESPONSE_BYTES, "4096"));

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.as(StationOutcome.class).message())
                .contains(
                        "answered (status 200) with more than 4096 bytes; raise "
                                + OpenAiGeneratorStation.MAX_RESPONSE_BYTES);
    }

    @Test
    void aPathEscapingTheWorkspaceIsRejectedAndNothingIsWritten() throws Exception {
        replies.add(
                ok(answer(List.of(file("main.py", "ok"), file("../.darkfactory/attempt", "99")))));

        StationRun run = generate(Map.of());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.as(StationOutcome.class).message())
                .isEqualTo(
                        "the model's answer was rejected: the path '../.darkfactory/attempt' is not a relative path "
                                + "inside the source directory: it has a '..' segment");
        assertThat(workspace.source().resolve("main.py")).doesNotExist();
        assertThat(workspace.attempt()).hasContent("2");
    }

    @Test
    void tooManyFilesAreRejected() throws Exception {
        replies.add(ok(answer(List.of(file("a.py", ""), file("b.py", ""), file("c.py", "")))));

        StationRun run = generate(Map.of(OpenAiGeneratorStation.MAX_FILES, "2"));

        assertThat(run.as(StationOutcome.class).message())
                .endsWith("it has 3 files, more than the limit of 2");
    }

    @Test
    void retriesAfterTooManyRequestsHonouringRetryAfter() throws Exception {
        replies.add(
                new Reply(
                        429,
                        "{\"error\": {\"message\": \"slow down\"}}",
                        Map.of("Retry-After", "1")));
        replies.add(ok(answer(List.of(file("main.py", "print('hello')\n")))));

        StationRun run = generate(Map.of());

        assertThat(run.exitCode()).isZero();
        assertThat(calls).hasSize(2);
        assertThat(calls.get(1).atMillis() - calls.get(0).atMillis())
                .as("waited for Retry-After: 1")
                .isGreaterThanOrEqualTo(1000);
    }

    @Test
    void aServerErrorUntilTheTimeoutIsAnOutageWithTheLastProblem() throws Exception {
        replies.add(new Reply(500, "{\"error\": {\"message\": \"model overloaded\"}}", Map.of()));
        StationRun run =
                generate(
                        Map.of(
                                OpenAiGeneratorStation.TIMEOUT,
                                "2s",
                                OpenAiGeneratorStation.MAX_ATTEMPTS,
                                "100"));

        assertThat(run.exitCode()).isEqualTo(1);
        StationOutcome outcome = run.as(StationOutcome.class);
        assertThat(outcome.reason())
                .as("an endpoint that never answers is an outage, not the code's fault")
                .isEqualTo("ModelUnavailable");
        assertThat(outcome.message())
                .contains("no answer from the model endpoint")
                .endsWith("last: status 500: model overloaded");
        assertThat(calls.size()).as("retried with backoff").isBetween(2, 10);
    }

    @Test
    void aRefusedRequestIsNotRetried() throws Exception {
        replies.add(new Reply(400, "{\"error\": {\"message\": \"unknown model\"}}", Map.of()));

        StationRun run = generate(Map.of());

        assertThat(calls).hasSize(1);
        assertThat(run.as(StationOutcome.class).message())
                .endsWith("refused the request: status 400: unknown model");
    }

    @Test
    void theApiKeyNeverAppearsInAnyOutputEvenWhenTheEndpointEchoesIt() throws Exception {
        replies.add(
                new Reply(
                        401,
                        "{\"error\": {\"message\": \"Incorrect API key provided: "
                                + API_KEY
                                + "\"}}",
                        Map.of()));
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        StationRun run;
        try (PrintStream capture = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            System.setErr(capture);
            run = generate(Map.of());
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.as(StationOutcome.class).reason())
                .as("a refused API key is the Secret's fault, not the code's")
                .isEqualTo("ModelUnavailable");
        assertThat(run.terminationMessage())
                .contains("Incorrect API key provided: [redacted]")
                .doesNotContain(API_KEY);
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("[redacted]")
                .doesNotContain(API_KEY);
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(file)).as(file.toString()).doesNotContain(API_KEY);
            }
        }
    }

    private StationRun generate(Map<String, String> extra) throws Exception {
        Map<String, String> env =
                new HashMap<>(
                        Map.of(
                                Workspace.WORKSPACE_DIR,
                                workspace.root().toString(),
                                OpenAiGeneratorStation.BASE_URL,
                                endpoint.url() + "/v1/",
                                OpenAiGeneratorStation.MODEL,
                                "test-model",
                                OpenAiGeneratorStation.API_KEY,
                                API_KEY,
                                OpenAiGeneratorStation.FIRST_BACKOFF,
                                "200ms"));
        env.putAll(extra);
        return StationRun.run("generate-openai", dir, env);
    }

    private static Reply ok(String body) {
        return new Reply(200, body, Map.of());
    }

    private static String answer(List<ObjectNode> files) {
        return treeAnswer(
                files,
                new AppManifest(
                        "registry.local:5000/base/python:3.11",
                        List.of("python3", "/app/main.py"),
                        null,
                        8080,
                        null,
                        null,
                        null));
    }
}
