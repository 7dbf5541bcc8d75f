package dev.darkfactory.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.RunPhase;
import dev.darkfactory.operator.api.v1alpha1.StageTime;
import dev.darkfactory.operator.contract.TestReport;
import dev.darkfactory.operator.testing.FactoryConfigs;
import dev.darkfactory.operator.testing.FactoryHarness;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Each stage's start and end reach the attempt's status as the kubelet reports them, so that {@code
 * kubectl describe frun} shows where an attempt's time went. The test plays the kubelet, writing
 * container statuses with their times.
 */
// Its namespaces and operators are its own: in the parallel lane, its tests one by one.
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock("StageTimesOnApiServerTest")
class StageTimesOnApiServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String T0 = "2026-01-01T10:00:00Z";
    private static final String T1 = "2026-01-01T10:00:03Z";
    private static final String T2 = "2026-01-01T10:07:30Z";
    private static final String T3 = "2026-01-01T10:08:10Z";
    private static final String T4 = "2026-01-01T10:08:11Z";
    private static final String T5 = "2026-01-01T10:08:40Z";

    private FactoryHarness factory;

    @BeforeEach
    void setUp() {
        factory = new FactoryHarness(FactoryConfigs.defaults());
    }

    @AfterEach
    void tearDown() {
        factory.close();
    }

    @Test
    void theAttemptRecordsWhenEachStageRanFromItsPodsContainerStatuses() throws Exception {
        factory.createIntent("todo", 1, null);
        FactoryRun run = factory.awaitPod("todo", 1, false);
        String gen = FactoryHarness.genPod(run, 1);

        kubelet(
                gen,
                "Running",
                List.of(ended("prepare", T0, T1, null), running("generate", T1)),
                List.of());
        run = factory.awaitRun("todo", r -> stages(r).size() == 2);
        assertThat(stages(run))
                .usingRecursiveFieldByFieldElementComparator()
                .containsExactly(
                        new StageTime("prepare", T0, T1, "3s"),
                        new StageTime("generate", T1, null, null));

        kubelet(
                gen,
                "Succeeded",
                List.of(
                        ended("prepare", T0, T1, null),
                        ended("generate", T1, T2, null),
                        ended("build", T2, T3, null)),
                List.of(
                        ended(
                                "report",
                                T3,
                                T4,
                                JSON.writeValueAsString(
                                        FactoryHarness.built(FactoryHarness.IMAGE, 10L)))));
        run = factory.awaitPod("todo", 1, true);
        String test = FactoryHarness.testPod(run, 1);
        var checks = run.getSpec().intent.acceptance.checks;
        TestReport passed =
                FactoryHarness.report(checks.stream().map(c -> c.name).toList(), List.of());
        kubelet(
                test,
                "Running",
                List.of(),
                List.of(
                        running("app", T4),
                        ended("tester", T4, T5, JSON.writeValueAsString(passed))));

        run = factory.awaitRun("todo", r -> FactoryHarness.phase(r) == RunPhase.Succeeded);
        assertThat(stages(run))
                .usingRecursiveFieldByFieldElementComparator()
                .containsExactly(
                        new StageTime("prepare", T0, T1, "3s"),
                        new StageTime("generate", T1, T2, "7m27s"),
                        new StageTime("build", T2, T3, "40s"),
                        new StageTime("report", T3, T4, "1s"),
                        new StageTime("app", T4, null, null),
                        new StageTime("tester", T4, T5, "29s"));
    }

    private static List<StageTime> stages(FactoryRun run) {
        return run.getStatus().attempts.isEmpty() || run.getStatus().attempts.get(0).stages == null
                ? List.of()
                : run.getStatus().attempts.get(0).stages;
    }

    private void kubelet(
            String pod, String phase, List<ContainerStatus> init, List<ContainerStatus> main) {
        factory.client
                .pods()
                .inNamespace(factory.namespace)
                .withName(pod)
                .editStatus(
                        p -> {
                            p.setStatus(
                                    new PodStatusBuilder()
                                            .withPhase(phase)
                                            .withStartTime(T0)
                                            .withInitContainerStatuses(init)
                                            .withContainerStatuses(main)
                                            .build());
                            return p;
                        });
    }

    private static ContainerStatus ended(String name, String start, String finish, String message) {
        return new ContainerStatusBuilder()
                .withName(name)
                .withImage("img")
                .withImageID("")
                .withReady(false)
                .withRestartCount(0)
                .withNewState()
                .withNewTerminated()
                .withExitCode(0)
                .withStartedAt(start)
                .withFinishedAt(finish)
                .withMessage(message)
                .endTerminated()
                .endState()
                .build();
    }

    private static ContainerStatus running(String name, String start) {
        return new ContainerStatusBuilder()
                .withName(name)
                .withImage("img")
                .withImageID("")
                .withReady(true)
                .withRestartCount(0)
                .withNewState()
                .withNewRunning()
                .withStartedAt(start)
                .endRunning()
                .endState()
                .build();
    }
}
