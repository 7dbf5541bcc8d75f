package dev.darkfactory.operator.intent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.darkfactory.operator.api.v1alpha1.Annotations;
import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.FactoryRunStatus;
import dev.darkfactory.operator.api.v1alpha1.GeneratorClass;
import dev.darkfactory.operator.api.v1alpha1.RunPhase;
import dev.darkfactory.operator.api.v1alpha1.RunTrigger;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntent;
import dev.darkfactory.operator.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunPlannerTest {

    private final GeneratorClass generatorClass = classAt(1);

    @Test
    void aNewIntentGetsOneRunNamedAfterItsGeneration() {
        var plan = RunPlanner.plan(intent(1, null), generatorClass, List.of(), 5);

        assertThat(plan.create().getMetadata().getName()).matches("todo-g1-[0-9a-f]{6}");
        assertThat(plan.create().getSpec().trigger).isEqualTo(RunTrigger.SpecChanged);
        assertThat(plan.create().getMetadata().getOwnerReferences())
                .singleElement()
                .satisfies(o -> assertThat(o.getUid()).isEqualTo("intent-uid"));
        assertThat(plan.latest()).isSameAs(plan.create());
    }

    @Test
    void planningAgainFindsTheSameRun() {
        FactoryRun first = RunPlanner.plan(intent(1, null), generatorClass, List.of(), 5).create();

        var again =
                RunPlanner.plan(
                        intent(1, null),
                        generatorClass,
                        List.of(created(first, RunPhase.Running)),
                        5);

        assertThat(again.create()).isNull();
        assertThat(again.latest().getMetadata().getName()).isEqualTo(first.getMetadata().getName());
        assertThat(again.superseded()).isEmpty();
    }

    @Test
    void aNewGenerationSupersedesTheRunInFlight() {
        FactoryRun first =
                created(
                        RunPlanner.plan(intent(1, null), generatorClass, List.of(), 5).create(),
                        RunPhase.Running);

        var plan = RunPlanner.plan(intent(2, null), generatorClass, List.of(first), 5);

        assertThat(plan.create().getMetadata().getName()).startsWith("todo-g2-");
        assertThat(plan.superseded()).containsExactly(first);
    }

    @Test
    void aClassChangeAndARebuildRequestAreTheirOwnTriggers() {
        FactoryRun first =
                created(
                        RunPlanner.plan(intent(1, null), generatorClass, List.of(), 5).create(),
                        RunPhase.Succeeded);

        var classChanged = RunPlanner.plan(intent(1, null), classAt(2), List.of(first), 5);
        var rebuild = RunPlanner.plan(intent(1, "please"), generatorClass, List.of(first), 5);

        assertThat(classChanged.create().getSpec().trigger)
                .isEqualTo(RunTrigger.GeneratorClassChanged);
        assertThat(rebuild.create().getSpec().trigger).isEqualTo(RunTrigger.RebuildRequested);
        assertThat(rebuild.create().getSpec().rebuildToken).isEqualTo("please");
        assertThat(rebuild.create().getMetadata().getName())
                .isNotEqualTo(classChanged.create().getMetadata().getName());
    }

    @Test
    void aPausedIntentStartsNothing() {
        SoftwareIntent paused = intent(3, null);
        paused.getSpec().paused = true;

        var plan = RunPlanner.plan(paused, generatorClass, List.of(), 5);

        assertThat(plan.create()).isNull();
        assertThat(plan.latest()).isNull();
    }

    @Test
    void historyKeepsTheNewestFinishedRunsAndEveryRunInFlight() {
        List<FactoryRun> runs = new ArrayList<>();
        for (int generation = 1; generation <= 4; generation++) {
            runs.add(
                    created(
                            RunPlanner.plan(intent(generation, null), generatorClass, List.of(), 5)
                                    .create(),
                            generation == 1 ? RunPhase.Running : RunPhase.Failed));
        }

        var plan = RunPlanner.plan(intent(5, null), generatorClass, runs, 2);

        assertThat(plan.delete()).extracting(r -> r.getSpec().intentGeneration).containsExactly(2L);
    }

    private static SoftwareIntent intent(long generation, String rebuild) {
        SoftwareIntent intent = Fixtures.intent("ns", "todo", "builtin");
        intent.getMetadata().setGeneration(generation);
        intent.getMetadata().setUid("intent-uid");
        if (rebuild != null) {
            intent.getMetadata().setAnnotations(Map.of(Annotations.REBUILD, rebuild));
        }
        return intent;
    }

    private static GeneratorClass classAt(long generation) {
        GeneratorClass generatorClass = Fixtures.generatorClass("builtin", true);
        generatorClass.getMetadata().setUid("class-uid");
        generatorClass.getMetadata().setGeneration(generation);
        return generatorClass;
    }

    /** A run as the API server returns it: with a creation time and a phase. */
    private static FactoryRun created(FactoryRun run, RunPhase phase) {
        run.getMetadata()
                .setCreationTimestamp("2026-01-01T00:00:0" + run.getSpec().intentGeneration + "Z");
        run.setStatus(new FactoryRunStatus());
        run.getStatus().phase = phase;
        return run;
    }
}
