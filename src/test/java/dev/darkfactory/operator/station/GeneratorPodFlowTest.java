package dev.darkfactory.operator.station;

import static dev.darkfactory.operator.station.testing.ChatCompletions.file;
import static dev.darkfactory.operator.station.testing.ChatCompletions.treeAnswer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.darkfactory.operator.contract.AppManifest;
import dev.darkfactory.operator.contract.Feedback;
import dev.darkfactory.operator.contract.StationOutcome;
import dev.darkfactory.operator.station.build.BuildStation;
import dev.darkfactory.operator.station.generate.OpenAiGeneratorStation;
import dev.darkfactory.operator.station.prepare.PrepareStation;
import dev.darkfactory.operator.station.registry.RegistryAccess;
import dev.darkfactory.operator.station.testing.LocalHttpServer;
import dev.darkfactory.operator.station.testing.LocalRegistry;
import dev.darkfactory.operator.station.testing.StationRun;
import dev.darkfactory.operator.station.testing.TestImages;
import dev.darkfactory.operator.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generator pod's stations in their order, twice, as two attempts of one run: prepare,
 * generate-openai, build and report on one workspace each, against a real registry and a local
 * chat-completions endpoint. The second attempt starts from the source the first one pushed, and
 * the model is shown it.
 */
class GeneratorPodFlowTest {

    @TempDir Path dir;

    @Test
    void aSecondAttemptStartsFromTheFirstOnesSource() throws Exception {
        List<JsonNode> requests = new ArrayList<>();
        try (LocalRegistry registry =
                        LocalRegistry.start(Files.createDirectories(dir.resolve("registry")));
                LocalHttpServer model = LocalHttpServer.start()) {
            Path marker = Files.writeString(dir.resolve("base-release"), "base\n");
            String base =
                    TestImages.pushBase(
                            registry,
                            "base/python:3.11",
                            Map.of(marker, "/etc/base-release"),
                            dir.resolve("cache"));
            AppManifest manifest =
                    new AppManifest(
                            base, List.of("python3", "/app/main.py"), null, null, null, null, null);
            model.handle(
                    "/v1/chat/completions",
                    exchange -> {
                        requests.add(Json.MAPPER.readTree(exchange.getRequestBody()));
                        String version = "print('attempt " + requests.size() + "')\n";
                        LocalHttpServer.respond(
                                exchange,
                                200,
                                treeAnswer(List.of(file("main.py", version)), manifest));
                    });
            Map<String, String> env =
                    new HashMap<>(
                            Map.of(
                                    OpenAiGeneratorStation.BASE_URL,
                                    model.url() + "/v1",
                                    OpenAiGeneratorStation.MODEL,
                                    "test-model",
                                    BuildStation.IMAGE_REPOSITORY,
                                    registry.host() + "/team-a/todo",
                                    BuildStation.ALLOWED_BASE_IMAGES,
                                    registry.host() + "/base/*",
                                    BuildStation.DEFAULT_PORT,
                                    "8080",
                                    RegistryAccess.INSECURE,
                                    "true"));

            StationOutcome first = attempt(1, null, null, env);
            Feedback feedback =
                    new Feedback(
                            1,
                            "ChecksFailed",
                            "1 of 2 visible checks failed",
                            List.of(
                                    new Feedback.VisibleFailure(
                                            "list-todos",
                                            "GET /todos",
                                            "expected status 200, got 404")),
                            null,
                            null);
            StationOutcome second = attempt(2, feedback, first.sourceImage(), env);

            assertThat(first.ok()).isTrue();
            assertThat(first.tokens()).isEqualTo(1500);
            assertThat(first.files()).isEqualTo(2);
            assertThat(second.image())
                    .startsWith(registry.host() + "/team-a/todo@sha256:")
                    .isNotEqualTo(first.image());
            String secondPrompt = requests.get(1).at("/messages/1/content").asText();
            assertThat(secondPrompt)
                    .contains(
                            "# Task (attempt 2)",
                            "expected status 200, got 404",
                            "## main.py",
                            "print('attempt 1')");
            assertThat(registry.manifest("team-a/todo", "g1-a2").digest())
                    .isEqualTo(second.image().split("@")[1]);
        }
    }

    /** One generator pod: the four stations in order on a fresh workspace; the report's outcome. */
    private StationOutcome attempt(
            int number, Feedback feedback, String previousSource, Map<String, String> env)
            throws Exception {
        Path input = Files.createDirectories(dir.resolve("input-" + number));
        Json.write(input.resolve("intent.json"), Fixtures.intent("ns", "todo", null).getSpec());
        Files.writeString(input.resolve("attempt"), Integer.toString(number));
        if (feedback != null) {
            Json.write(input.resolve("feedback.json"), feedback);
        }
        if (previousSource != null) {
            Files.writeString(input.resolve("previousSource"), previousSource);
        }
        Map<String, String> podEnv = new HashMap<>(env);
        podEnv.put(Workspace.WORKSPACE_DIR, dir.resolve("workspace-" + number).toString());
        podEnv.put(PrepareStation.INPUT_DIR, input.toString());
        podEnv.put(BuildStation.IMAGE_TAG, "g1-a" + number);
        for (String station : List.of("prepare", "generate-openai", "build")) {
            StationRun run = StationRun.run(station, dir, podEnv);
            assertThat(run.exitCode()).as(station + ": " + run.terminationMessage()).isZero();
        }
        return StationRun.run("report", dir, podEnv).as(StationOutcome.class);
    }
}
