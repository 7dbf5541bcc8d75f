package dev.darkfactory.operator.run;

import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.FactoryRunSpec;
import dev.darkfactory.operator.api.v1alpha1.GeneratorSnapshot;
import dev.darkfactory.operator.api.v1alpha1.RunTrigger;
import dev.darkfactory.operator.testing.Fixtures;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;

/** Runs and pods for the pure tests of this package. */
final class RunFixtures {

    private RunFixtures() {}

    static FactoryRun run(int maxAttempts) {
        FactoryRunSpec spec = new FactoryRunSpec();
        spec.intentName = "todo";
        spec.intentGeneration = 1L;
        spec.trigger = RunTrigger.SpecChanged;
        spec.intent = Fixtures.intent("ns", "todo", "builtin").getSpec();
        spec.intent.budget = new dev.darkfactory.operator.api.v1alpha1.BudgetSpec();
        spec.intent.budget.maxAttempts = maxAttempts;
        spec.generator =
                new GeneratorSnapshot(
                        "builtin", 1L, Fixtures.generatorClass("builtin", true).getSpec());
        FactoryRun run = new FactoryRun();
        run.setMetadata(
                new ObjectMetaBuilder()
                        .withName("todo-g1-abcdef")
                        .withNamespace("ns")
                        .withUid("uid-1")
                        .withGeneration(1L)
                        .withCreationTimestamp("2026-01-01T00:00:00Z")
                        .build());
        run.setSpec(spec);
        return run;
    }

    static Pod pod(
            String name,
            String phase,
            String reason,
            List<ContainerStatus> init,
            List<ContainerStatus> main) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewStatus()
                .withPhase(phase)
                .withReason(reason)
                .withInitContainerStatuses(init)
                .withContainerStatuses(main)
                .endStatus()
                .build();
    }

    static ContainerStatus terminated(String name, int exitCode, String reason, String message) {
        return new ContainerStatusBuilder()
                .withName(name)
                .withNewState()
                .withNewTerminated()
                .withExitCode(exitCode)
                .withReason(reason)
                .withMessage(message)
                .endTerminated()
                .endState()
                .build();
    }

    static ContainerStatus waiting(String name, String reason, String message) {
        return new ContainerStatusBuilder()
                .withName(name)
                .withNewState()
                .withNewWaiting()
                .withReason(reason)
                .withMessage(message)
                .endWaiting()
                .endState()
                .build();
    }

    static ContainerStatus running(String name) {
        return new ContainerStatusBuilder()
                .withName(name)
                .withNewState()
                .withNewRunning()
                .endRunning()
                .endState()
                .build();
    }

    /** A generator pod of {@code run} past prepare, its generate container running. */
    static Pod generatorAtWork(String run, int attempt) {
        return pod(
                RunNames.generatorPod(run, attempt),
                "Pending",
                null,
                List.of(terminated("prepare", 0, null, null), running("generate")),
                List.of());
    }

    /** A generator pod of {@code run} that built, its report station saying {@code report}. */
    static Pod generatorBuilt(String run, int attempt, String report) {
        return pod(
                RunNames.generatorPod(run, attempt),
                "Succeeded",
                null,
                List.of(
                        terminated("prepare", 0, null, null),
                        terminated("generate", 0, null, null),
                        terminated("build", 0, null, null)),
                List.of(terminated("report", 0, null, report)));
    }
}
