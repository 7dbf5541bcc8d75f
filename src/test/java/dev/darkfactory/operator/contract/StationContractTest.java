package dev.darkfactory.operator.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.darkfactory.operator.api.v1alpha1.AttemptPhase;
import dev.darkfactory.operator.api.v1alpha1.AttemptStatus;
import dev.darkfactory.operator.api.v1alpha1.CheckFailure;
import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.FactoryRunSpec;
import dev.darkfactory.operator.api.v1alpha1.FactoryRunStatus;
import dev.darkfactory.operator.api.v1alpha1.TestSummary;
import dev.darkfactory.operator.contract.StationContract.Env;
import dev.darkfactory.operator.contract.StationContract.Keys;
import dev.darkfactory.operator.run.GeneratorPodReader;
import dev.darkfactory.operator.run.PodVerdict;
import dev.darkfactory.operator.run.RunInputs;
import dev.darkfactory.operator.station.Json;
import dev.darkfactory.operator.station.Workspace;
import dev.darkfactory.operator.station.testing.StationRun;
import dev.darkfactory.operator.testing.Fixtures;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both halves of the station contract in one pass: what the operator writes for an attempt ({@link
 * RunInputs}), mounted as files the way the kubelet mounts a ConfigMap, read by the real prepare
 * station; then what the report station leaves in its termination message, read back by the
 * operator ({@link GeneratorPodReader}). A name or a shape changed on one side only fails here.
 */
class StationContractTest {

    private static final String IMAGE = "registry.local:5000/ns/todo@sha256:" + "a".repeat(64);
    private static final String SOURCE =
            "registry.local:5000/ns/todo-source@sha256:" + "b".repeat(64);

    @TempDir Path dir;

    @Test
    void whatTheOperatorWritesPrepareReadsAndWhatReportLeavesTheOperatorReads() throws Exception {
        FactoryRun run = runWithOneFailedAttempt();
        ConfigMap input = RunInputs.attemptInput(run, 2);
        Path inputDir = mountAsFiles(input);
        Workspace workspace = new Workspace(dir.resolve("workspace"));

        StationRun prepare =
                StationRun.run(
                        "prepare",
                        dir,
                        Map.of(
                                Env.INPUT_DIR,
                                inputDir.toString(),
                                Env.WORKSPACE_DIR,
                                workspace.root().toString(),
                                Env.ALLOWED_BASE_IMAGES,
                                "registry.local:5000/base/*"));

        assertThat(prepare.exitCode()).as(prepare.terminationMessage()).isZero();
        assertThat(Json.read(workspace.intent(), VisibleIntent.class))
                .usingRecursiveComparison()
                .isEqualTo(VisibleIntent.of(run.getSpec().intent));
        assertThat(Json.read(workspace.feedback(), Feedback.class))
                .usingRecursiveComparison()
                .isEqualTo(RunInputs.feedback(run.getStatus().attempts.get(0)));
        assertThat(workspace.attempt()).hasContent("2");
        assertThat(workspaceText(workspace.root()))
                .contains("list-todos")
                .doesNotContain("create-todo", "milk");

        // What generate and build leave for report, in the shapes the contract defines.
        Files.createDirectories(workspace.buildOutcome().getParent());
        Json.write(
                workspace.buildOutcome(),
                new StationOutcome("build", true, null, null, IMAGE, SOURCE, 8080, null, 1));
        Json.write(workspace.usage(), new Usage(100L, 23L, 123L));
        StationRun report =
                StationRun.run(
                        "report", dir, Map.of(Env.WORKSPACE_DIR, workspace.root().toString()));
        assertThat(report.exitCode()).as(report.terminationMessage()).isZero();

        PodVerdict verdict =
                GeneratorPodReader.read(finishedGeneratorPod(report.terminationMessage()))
                        .orElseThrow();

        assertThat(verdict.passed()).as(verdict.message()).isTrue();
        assertThat(verdict.outcome().image()).isEqualTo(IMAGE);
        assertThat(verdict.outcome().sourceImage()).isEqualTo(SOURCE);
        assertThat(verdict.outcome().tokens()).isEqualTo(123L);
    }

    @Test
    void theVisibleIntentNeverCarriesHeldOutChecks() {
        var spec = Fixtures.intent("ns", "todo", "builtin").getSpec();

        VisibleIntent visible = VisibleIntent.of(spec);

        assertThat(visible.acceptance().checks())
                .extracting(c -> c.name)
                .containsExactly("health", "list-todos");
        assertThat(visible.toSpec().acceptance.checks)
                .extracting(c -> c.name)
                .containsExactly("health", "list-todos");
    }

    private Path mountAsFiles(ConfigMap configMap) throws Exception {
        Path mount = Files.createDirectories(dir.resolve("input"));
        for (var entry : configMap.getData().entrySet()) {
            Files.writeString(mount.resolve(entry.getKey()), entry.getValue());
        }
        assertThat(configMap.getData()).containsKeys(Keys.INTENT, Keys.ATTEMPT, Keys.FEEDBACK);
        return mount;
    }

    private static String workspaceText(Path root) throws Exception {
        List<String> texts = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                texts.add(Files.readString(file));
            }
        }
        return String.join("\n", texts);
    }

    private static FactoryRun runWithOneFailedAttempt() {
        FactoryRunSpec spec = new FactoryRunSpec();
        spec.intentName = "todo";
        spec.intentGeneration = 1L;
        spec.intent = Fixtures.intent("ns", "todo", "builtin").getSpec();
        AttemptStatus failed = new AttemptStatus();
        failed.number = 1;
        failed.phase = AttemptPhase.Failed;
        failed.reason = FailureReason.ChecksFailed.name();
        failed.message = "1 of 3 checks failed: first is list-todos";
        failed.tests = new TestSummary(1, 1, 0, 1);
        failed.failures =
                List.of(
                        new CheckFailure(
                                "list-todos", "GET /todos", "expected status 200, got 404"));
        FactoryRun run = new FactoryRun();
        run.setMetadata(
                new ObjectMetaBuilder()
                        .withName("todo-g1-abcdef")
                        .withNamespace("ns")
                        .withUid("uid-1")
                        .build());
        run.setSpec(spec);
        run.setStatus(new FactoryRunStatus());
        run.getStatus().attempts.add(failed);
        return run;
    }

    private static Pod finishedGeneratorPod(String reportMessage) {
        return new PodBuilder()
                .withNewMetadata()
                .withName("todo-g1-abcdef-a2-gen")
                .endMetadata()
                .withNewStatus()
                .withPhase("Succeeded")
                .withInitContainerStatuses(
                        terminated(GeneratorPodReader.PREPARE, null),
                        terminated(GeneratorPodReader.GENERATE, null),
                        terminated(GeneratorPodReader.BUILD, null))
                .withContainerStatuses(terminated(GeneratorPodReader.REPORT, reportMessage))
                .endStatus()
                .build();
    }

    private static ContainerStatus terminated(String name, String message) {
        return new ContainerStatusBuilder()
                .withName(name)
                .withNewState()
                .withNewTerminated()
                .withExitCode(0)
                .withMessage(message)
                .endTerminated()
                .endState()
                .build();
    }
}
