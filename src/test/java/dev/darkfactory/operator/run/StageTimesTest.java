package dev.darkfactory.operator.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.darkfactory.operator.api.v1alpha1.AttemptStatus;
import dev.darkfactory.operator.api.v1alpha1.StageTime;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StageTimesTest {

    private static final String T0 = "2026-01-01T10:00:00Z";
    private static final String T1 = "2026-01-01T10:00:02Z";
    private static final String T2 = "2026-01-01T10:04:14Z";
    private static final String T3 = "2026-01-01T10:05:00Z";

    static Stream<Arguments> pods() {
        return Stream.of(
                Arguments.of(
                        "nothing started yet: no stage",
                        generator(List.of(waiting("prepare")), List.of(waiting("report"))),
                        List.of()),
                Arguments.of(
                        "prepare ended, generate runs: its start, no end",
                        generator(
                                List.of(ended("prepare", T0, T1), running("generate", T1)),
                                List.of(waiting("report"))),
                        List.of(
                                new StageTime("prepare", T0, T1, "2s"),
                                new StageTime("generate", T1, null, null))),
                Arguments.of(
                        "all ended: in the order they ran, whatever the statuses' order",
                        generator(
                                List.of(
                                        ended("build", T2, T3),
                                        ended("prepare", T0, T1),
                                        ended("generate", T1, T2)),
                                List.of(ended("report", T3, T3))),
                        List.of(
                                new StageTime("prepare", T0, T1, "2s"),
                                new StageTime("generate", T1, T2, "4m12s"),
                                new StageTime("build", T2, T3, "46s"),
                                new StageTime("report", T3, T3, "0s"))),
                Arguments.of(
                        "a container that never started (no startedAt) is left out",
                        generator(List.of(ended("prepare", null, T1)), List.of()),
                        List.of()),
                Arguments.of(
                        "the tester pod: app and tester",
                        tester(running("app", T0), ended("tester", T0, T2)),
                        List.of(
                                new StageTime("app", T0, null, null),
                                new StageTime("tester", T0, T2, "4m14s"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pods")
    void stagesAreReadFromTheContainerStatuses(String name, Pod pod, List<StageTime> expected) {
        assertThat(StageTimes.of(pod))
                .usingRecursiveFieldByFieldElementComparator()
                .isEqualTo(expected);
    }

    @Test
    void aStageSeenAgainTakesItsNewTimesAndOthersKeepTheirs() {
        List<StageTime> recorded =
                List.of(
                        new StageTime("prepare", T0, T1, "2s"),
                        new StageTime("generate", T1, null, null));
        List<StageTime> replacement = List.of(new StageTime("prepare", T2, T3, "46s"));

        assertThat(StageTimes.merge(recorded, replacement))
                .usingRecursiveFieldByFieldElementComparator()
                .containsExactly(
                        new StageTime("prepare", T2, T3, "46s"),
                        new StageTime("generate", T1, null, null));
    }

    @Test
    void theAttemptKeepsTheGeneratorsStagesOnceItsPodIsGoneAndAddsTheTesters() {
        AttemptStatus attempt = new AttemptStatus();
        attempt.generatorPod = "gen";
        Pod generator =
                generator(
                        List.of(
                                ended("prepare", T0, T1),
                                ended("generate", T1, T2),
                                ended("build", T2, T3)),
                        List.of(ended("report", T3, T3)));
        StageTimes.record(attempt, Map.of("gen", generator));
        attempt.testerPod = "test";

        StageTimes.record(
                attempt, Map.of("test", tester(running("app", T3), running("tester", T3))));

        assertThat(attempt.stages)
                .extracting(s -> s.name)
                .containsExactly("prepare", "generate", "build", "report", "app", "tester");
        assertThat(attempt.stages.get(1).duration).isEqualTo("4m12s");
    }

    @Test
    void anAttemptWithoutStartedStagesRecordsNone() {
        AttemptStatus attempt = new AttemptStatus();
        attempt.generatorPod = "gen";

        StageTimes.record(attempt, Map.of());

        assertThat(attempt.stages).isNull();
    }

    private static Pod generator(List<ContainerStatus> init, List<ContainerStatus> main) {
        return new PodBuilder()
                .withNewMetadata()
                .withName("gen")
                .endMetadata()
                .withNewSpec()
                .addNewInitContainer()
                .withName("prepare")
                .endInitContainer()
                .addNewInitContainer()
                .withName("generate")
                .endInitContainer()
                .addNewInitContainer()
                .withName("build")
                .endInitContainer()
                .addNewContainer()
                .withName("report")
                .endContainer()
                .endSpec()
                .withNewStatus()
                .withInitContainerStatuses(init)
                .withContainerStatuses(main)
                .endStatus()
                .build();
    }

    private static Pod tester(ContainerStatus app, ContainerStatus tester) {
        return new PodBuilder()
                .withNewMetadata()
                .withName("test")
                .endMetadata()
                .withNewStatus()
                .withContainerStatuses(app, tester)
                .endStatus()
                .build();
    }

    private static ContainerStatus ended(String name, String start, String finish) {
        return new ContainerStatusBuilder()
                .withName(name)
                .withNewState()
                .withNewTerminated()
                .withExitCode(0)
                .withStartedAt(start)
                .withFinishedAt(finish)
                .endTerminated()
                .endState()
                .build();
    }

    private static ContainerStatus running(String name, String start) {
        return new ContainerStatusBuilder()
                .withName(name)
                .withNewState()
                .withNewRunning()
                .withStartedAt(start)
                .endRunning()
                .endState()
                .build();
    }

    private static ContainerStatus waiting(String name) {
        return new ContainerStatusBuilder()
                .withName(name)
                .withNewState()
                .withNewWaiting()
                .withReason("PodInitializing")
                .endWaiting()
                .endState()
                .build();
    }
}
