package dev.darkfactory.operator.station.prepare;

import static org.assertj.core.api.Assertions.assertThat;

import dev.darkfactory.operator.api.v1alpha1.HttpCheck;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntentSpec;
import dev.darkfactory.operator.contract.AppManifest;
import dev.darkfactory.operator.contract.Feedback;
import dev.darkfactory.operator.contract.StationOutcome;
import dev.darkfactory.operator.station.Json;
import dev.darkfactory.operator.station.Workspace;
import dev.darkfactory.operator.station.build.BuildStation;
import dev.darkfactory.operator.station.registry.RegistryAccess;
import dev.darkfactory.operator.station.testing.LocalRegistry;
import dev.darkfactory.operator.station.testing.StationRun;
import dev.darkfactory.operator.station.testing.TestImages;
import dev.darkfactory.operator.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrepareStationTest {

    @TempDir Path dir;

    @Test
    void writesTheGeneratorsInputsWithoutHeldOutChecks() throws Exception {
        Path input = Files.createDirectories(dir.resolve("input"));
        // The operator never sends held-out checks; this input does, to prove prepare drops them
        // anyway.
        SoftwareIntentSpec intent = Fixtures.intent("ns", "todo", null).getSpec();
        Json.write(input.resolve("intent.json"), intent);
        Json.write(
                input.resolve("feedback.json"),
                new Feedback(
                        1,
                        "ChecksFailed",
                        "1 of 2 visible checks failed",
                        List.of(
                                new Feedback.VisibleFailure(
                                        "list-todos",
                                        "GET /todos",
                                        "expected status 200, got 404")),
                        new Feedback.HeldOut(0, 1),
                        "Traceback: KeyError 'todos'"));
        Files.writeString(input.resolve("attempt"), "2\n");
        Workspace workspace = new Workspace(dir.resolve("workspace"));

        StationRun run =
                StationRun.run(
                        "prepare",
                        dir,
                        Map.of(
                                PrepareStation.INPUT_DIR,
                                input.toString(),
                                Workspace.WORKSPACE_DIR,
                                workspace.root().toString(),
                                BuildStation.ALLOWED_BASE_IMAGES,
                                "registry.local:5000/base/*"));

        assertThat(run.exitCode()).as(run.terminationMessage()).isZero();
        assertThat(workspace.attempt()).hasContent("2");
        SoftwareIntentSpec visible = Json.read(workspace.intent(), SoftwareIntentSpec.class);
        assertThat(visible.acceptance.checks)
                .extracting(check -> check.name)
                .containsExactly("health", "list-todos");
        assertThat(visible.description).isEqualTo(intent.description);
        assertThat(Json.read(workspace.feedback(), Feedback.class).heldOut().failed()).isEqualTo(1);
        assertThat(workspace.source()).isEmptyDirectory();

        String prompt = Files.readString(workspace.prompt());
        assertThat(prompt)
                .contains(
                        "# Task (attempt 2)",
                        intent.description,
                        "`list-todos`: `GET /todos` answers 200",
                        "its body contains `[`",
                        "port 8080",
                        "`GET /healthz` answers 200",
                        "`registry.local:5000/base/*`",
                        "expected status 200, got 404",
                        "Held-out checks: 0 passed, 1 failed.",
                        "KeyError 'todos'");
        HttpCheck heldOut = intent.acceptance.checks.get(2);
        assertThat(heldOut.heldOut()).isTrue();
        try (Stream<Path> written = Files.walk(workspace.root())) {
            for (Path file : written.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(file))
                        .as(file.toString())
                        .doesNotContain(heldOut.name)
                        .doesNotContain(heldOut.body)
                        .doesNotContain("201");
            }
        }
    }

    @Test
    void restoresThePreviousSourceThatBuildPushed() throws Exception {
        try (LocalRegistry registry =
                LocalRegistry.start(Files.createDirectories(dir.resolve("registry")))) {
            Path marker = Files.writeString(dir.resolve("base-release"), "base\n");
            String base =
                    TestImages.pushBase(
                            registry,
                            "base/plain:1",
                            Map.of(marker, "/etc/base-release"),
                            dir.resolve("cache"));
            Workspace first = new Workspace(dir.resolve("attempt-1"));
            Files.createDirectories(first.source().resolve("lib"));
            Files.writeString(first.source().resolve("lib/store.py"), "items = []\n");
            Files.writeString(first.source().resolve("run.sh"), "#!/bin/sh\n")
                    .toFile()
                    .setExecutable(true);
            Json.write(
                    first.appManifest(),
                    new AppManifest(base, List.of("/app/run.sh"), null, null, null, null, null));
            Map<String, String> registryEnv = Map.of(RegistryAccess.INSECURE, "true");
            Map<String, String> buildEnv = new HashMap<>(registryEnv);
            buildEnv.putAll(
                    Map.of(
                            Workspace.WORKSPACE_DIR,
                            first.root().toString(),
                            BuildStation.IMAGE_REPOSITORY,
                            registry.host() + "/team-a/todo",
                            BuildStation.IMAGE_TAG,
                            "g1-a1",
                            BuildStation.ALLOWED_BASE_IMAGES,
                            base));
            StationOutcome built = StationRun.run("build", dir, buildEnv).as(StationOutcome.class);
            assertThat(built.ok()).as(built.message()).isTrue();

            Path input = Files.createDirectories(dir.resolve("input"));
            Json.write(input.resolve("intent.json"), Fixtures.intent("ns", "todo", null).getSpec());
            Files.writeString(input.resolve("attempt"), "2");
            Files.writeString(input.resolve("previousSource"), built.sourceImage());
            Workspace second = new Workspace(dir.resolve("attempt-2"));
            Map<String, String> prepareEnv = new HashMap<>(registryEnv);
            prepareEnv.putAll(
                    Map.of(
                            PrepareStation.INPUT_DIR,
                            input.toString(),
                            Workspace.WORKSPACE_DIR,
                            second.root().toString()));

            StationRun run = StationRun.run("prepare", dir, prepareEnv);

            assertThat(run.exitCode()).as(run.terminationMessage()).isZero();
            assertThat(run.as(StationOutcome.class).files()).isEqualTo(3);
            assertThat(sourceFiles(second)).isEqualTo(sourceFiles(first));
            assertThat(second.source().resolve("run.sh")).isExecutable();
            assertThat(Json.read(second.appManifest(), AppManifest.class).baseImage())
                    .isEqualTo(base);
        }
    }

    @Test
    void anUnreachableSourceArchiveIsPrepareFailed() throws Exception {
        Path input = Files.createDirectories(dir.resolve("input"));
        Json.write(input.resolve("intent.json"), Fixtures.intent("ns", "todo", null).getSpec());
        String absent =
                "127.0.0.1:"
                        + LocalRegistry.freePort()
                        + "/team-a/todo-source@sha256:"
                        + "0".repeat(64);
        Files.writeString(input.resolve("previousSource"), absent);

        StationRun run =
                StationRun.run(
                        "prepare",
                        dir,
                        Map.of(
                                PrepareStation.INPUT_DIR,
                                input.toString(),
                                Workspace.WORKSPACE_DIR,
                                dir.resolve("workspace").toString(),
                                RegistryAccess.INSECURE,
                                "true"));

        assertThat(run.exitCode()).isEqualTo(1);
        StationOutcome outcome = run.as(StationOutcome.class);
        assertThat(outcome.reason()).isEqualTo("PrepareFailed");
        assertThat(outcome.message())
                .startsWith("could not restore the previous source from " + absent + ": ")
                .contains("Connection refused");
    }

    private static Map<String, String> sourceFiles(Workspace workspace) throws IOException {
        Map<String, String> files = new HashMap<>();
        try (Stream<Path> paths = Files.walk(workspace.source())) {
            for (Path file : paths.filter(Files::isRegularFile).toList()) {
                files.put(workspace.source().relativize(file).toString(), Files.readString(file));
            }
        }
        return files;
    }
}
