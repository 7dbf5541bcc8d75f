package dev.darkfactory.operator.intent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.darkfactory.operator.api.v1alpha1.AttemptPhase;
import dev.darkfactory.operator.api.v1alpha1.AttemptStatus;
import dev.darkfactory.operator.api.v1alpha1.Condition;
import dev.darkfactory.operator.api.v1alpha1.ConditionStatus;
import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.FactoryRunSpec;
import dev.darkfactory.operator.api.v1alpha1.FactoryRunStatus;
import dev.darkfactory.operator.api.v1alpha1.IntentPhase;
import dev.darkfactory.operator.api.v1alpha1.RolloutFailure;
import dev.darkfactory.operator.api.v1alpha1.RolloutStatus;
import dev.darkfactory.operator.api.v1alpha1.RunPhase;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntent;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntentStatus;
import dev.darkfactory.operator.status.StatusAggregator;
import dev.darkfactory.operator.status.StatusPatch;
import dev.darkfactory.operator.testing.Fixtures;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The intent's phase and its Ready, Reconciling and Stalled conditions, from its latest run and
 * what serves.
 */
class IntentStatusBuilderTest {

    private static final String IMAGE = "r/todo@sha256:1";
    private static final Clock CLOCK =
            Clock.fixed(Instant.parse("2026-01-01T12:00:00Z"), ZoneOffset.UTC);
    private static final IntentStatusBuilder.Serving NOTHING =
            serving(null, null, null, false, "http://todo.ns.svc:8080", null);
    private static final IntentStatusBuilder.Serving SERVING =
            serving(IMAGE, "todo-g1-a", null, true, "http://todo.ns.svc:8080", null);

    /** Expected phase and (Ready, Reconciling, Stalled) as T/F, with the reason of Reconciling. */
    record Case(
            String name,
            boolean paused,
            FactoryRun run,
            IntentStatusBuilder.Serving serving,
            IntentPhase phase,
            String conditions,
            String reason) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        RolloutStatus rolling =
                new RolloutStatus("todo-g2-b", 1, "r/todo@sha256:2", "2026-01-01T11:59:00Z");
        return Stream.of(
                new Case(
                        "a new run not yet reconciled starts its first attempt",
                        false,
                        run(null, null),
                        NOTHING,
                        IntentPhase.Building,
                        "FTF",
                        "Generating"),
                new Case(
                        "a queued run",
                        false,
                        run(RunPhase.Queued, null),
                        NOTHING,
                        IntentPhase.Queued,
                        "FTF",
                        "Queued"),
                new Case(
                        "a run generating",
                        false,
                        run(RunPhase.Running, AttemptPhase.Generating),
                        NOTHING,
                        IntentPhase.Building,
                        "FTF",
                        "Generating"),
                new Case(
                        "a failed run stalls the intent",
                        false,
                        run(RunPhase.Failed, AttemptPhase.Failed),
                        NOTHING,
                        IntentPhase.Failed,
                        "FFT",
                        "MaxAttemptsExhausted"),
                new Case(
                        "a rollout while the old image serves",
                        false,
                        run(RunPhase.Succeeded, AttemptPhase.Passed),
                        serving(IMAGE, "todo-g1-a", rolling, true, "u", null),
                        IntentPhase.RollingOut,
                        "TTF",
                        "RollingOut"),
                new Case(
                        "serving and available is Ready",
                        false,
                        run(RunPhase.Succeeded, AttemptPhase.Passed),
                        SERVING,
                        IntentPhase.Ready,
                        "TFF",
                        "Serving"),
                new Case(
                        "serving but unavailable",
                        false,
                        run(RunPhase.Succeeded, AttemptPhase.Passed),
                        serving(IMAGE, "todo-g1-a", null, false, "u", null),
                        IntentPhase.Pending,
                        "FFF",
                        "DeploymentUnavailable"),
                new Case(
                        "paused wins over a running run",
                        true,
                        run(RunPhase.Running, AttemptPhase.Generating),
                        SERVING,
                        IntentPhase.Paused,
                        "TFF",
                        "Paused"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void build(Case c) {
        SoftwareIntent intent = intent(c.paused());

        SoftwareIntentStatus status = built(CLOCK, intent, c.run(), c.serving());

        assertThat(status.phase).isEqualTo(c.phase());
        assertThat(
                        truth(status.conditions, StatusAggregator.READY)
                                + truth(status.conditions, StatusAggregator.RECONCILING)
                                + truth(status.conditions, StatusAggregator.STALLED))
                .isEqualTo(c.conditions());
        assertThat(StatusAggregator.find(status.conditions, StatusAggregator.RECONCILING).reason)
                .isEqualTo(c.reason());
        assertThat(status.conditions)
                .allSatisfy(cond -> assertThat(cond.observedGeneration).isEqualTo(3L));
        assertThat(status.latestRun).isEqualTo("todo-g2-b");
    }

    @Test
    void aFailedRolloutStaysOnRecordAndInvalidSpecsKeepWhatServes() {
        SoftwareIntent intent = intent(false);
        RolloutFailure failed = new RolloutFailure("todo-g2-b", 1, "r/todo@sha256:2", "crash");
        SoftwareIntentStatus built =
                built(
                        CLOCK,
                        intent,
                        run(RunPhase.Succeeded, AttemptPhase.Passed),
                        serving(IMAGE, "todo-g1-a", null, true, "u", failed));
        intent.setStatus(built);

        SoftwareIntentStatus invalid =
                new IntentStatusBuilder(CLOCK)
                        .invalid(
                                intent,
                                List.of(
                                        new SpecProblem(
                                                "spec.generatorClassName",
                                                "GeneratorClassNotFound",
                                                "no class x")));

        assertThat(built.failedRollout).isSameAs(failed);
        assertThat(invalid.phase).isEqualTo(IntentPhase.Invalid);
        assertThat(invalid.servingImage).isEqualTo(IMAGE);
        assertThat(invalid.failedRollout.message).isEqualTo("crash");
        assertThat(invalid.latestRun).isEqualTo("todo-g2-b");
        assertThat(StatusAggregator.find(invalid.conditions, StatusAggregator.STALLED).reason)
                .isEqualTo("GeneratorClassNotFound");
    }

    /**
     * The intent's status names a new run before the run may act (the trust rule); once the run
     * starts its first attempt, nothing of that status changes, so the intent writes it once on the
     * way to the first pod.
     */
    @Test
    void aNewRunsFirstAttemptLeavesTheStatusThatNamedItAsItIs() {
        SoftwareIntent intent = intent(false);
        Clock later = Clock.fixed(Instant.parse("2026-01-01T12:00:05Z"), ZoneOffset.UTC);
        SoftwareIntentStatus named = built(CLOCK, intent, run(null, null), NOTHING);
        intent.setStatus(named);

        SoftwareIntentStatus started =
                built(later, intent, run(RunPhase.Running, AttemptPhase.Generating), NOTHING);

        assertThat(named.attempts).isEqualTo(1);
        assertThat(StatusPatch.same(named, started)).as("nothing to write").isTrue();
        SoftwareIntentStatus queued = built(later, intent, run(RunPhase.Queued, null), NOTHING);
        assertThat(StatusPatch.same(named, queued)).as("a queued run is news").isFalse();
        assertThat(queued.phase).isEqualTo(IntentPhase.Queued);
    }

    @Test
    void aConditionThatDoesNotChangeKeepsItsTransitionTime() {
        SoftwareIntent intent = intent(false);
        Clock later = Clock.fixed(Instant.parse("2026-01-01T13:00:00Z"), ZoneOffset.UTC);
        intent.setStatus(
                built(CLOCK, intent, run(RunPhase.Succeeded, AttemptPhase.Passed), SERVING));

        SoftwareIntentStatus again =
                built(later, intent, run(RunPhase.Succeeded, AttemptPhase.Passed), SERVING);

        assertThat(
                        StatusAggregator.find(again.conditions, StatusAggregator.READY)
                                .lastTransitionTime)
                .isEqualTo("2026-01-01T12:00:00Z");
    }

    /** The status the builder makes with that clock, for an intent of the "builtin" class. */
    private static SoftwareIntentStatus built(
            Clock clock,
            SoftwareIntent intent,
            FactoryRun run,
            IntentStatusBuilder.Serving serving) {
        return new IntentStatusBuilder(clock).build(intent, "builtin", run, serving);
    }

    private static String truth(List<Condition> conditions, String type) {
        return StatusAggregator.find(conditions, type).status == ConditionStatus.True ? "T" : "F";
    }

    private static SoftwareIntent intent(boolean paused) {
        SoftwareIntent intent = Fixtures.intent("ns", "todo", "builtin");
        intent.getMetadata().setGeneration(3L);
        intent.getSpec().paused = paused;
        return intent;
    }

    private static FactoryRun run(RunPhase phase, AttemptPhase attemptPhase) {
        FactoryRun run = new FactoryRun();
        run.setMetadata(new ObjectMetaBuilder().withName("todo-g2-b").withNamespace("ns").build());
        run.setSpec(new FactoryRunSpec());
        run.getSpec().intent = Fixtures.intent("ns", "todo", "builtin").getSpec();
        if (phase != null) {
            run.setStatus(new FactoryRunStatus());
            run.getStatus().phase = phase;
            if (phase == RunPhase.Failed) {
                run.getStatus().reason = "MaxAttemptsExhausted";
                run.getStatus().message = "all 3 attempts failed";
            }
            if (attemptPhase != null) {
                AttemptStatus attempt = new AttemptStatus();
                attempt.number = 1;
                attempt.phase = attemptPhase;
                run.getStatus().attempts.add(attempt);
                run.getStatus().currentAttempt = 1;
            }
        }
        return run;
    }

    /** What serves, as a promotion plan would say it. */
    private static IntentStatusBuilder.Serving serving(
            String image,
            String run,
            dev.darkfactory.operator.api.v1alpha1.RolloutStatus rollout,
            boolean available,
            String url,
            dev.darkfactory.operator.api.v1alpha1.RolloutFailure failed) {
        var plan =
                new dev.darkfactory.operator.rollout.PromotionPlanner.Plan(
                        rollout == null
                                ? dev.darkfactory.operator.rollout.PromotionPlanner.Outcome.STEADY
                                : dev.darkfactory.operator.rollout.PromotionPlanner.Outcome
                                        .PROGRESSING,
                        java.util.List.of(),
                        image == null ? null : "g1-a1",
                        null,
                        image == null
                                ? null
                                : new dev.darkfactory.operator.api.v1alpha1.RevisionStatus(
                                        "g1-a1", run, image),
                        null,
                        java.util.List.of(),
                        rollout,
                        null,
                        null);
        return new IntentStatusBuilder.Serving(plan, available, url, failed);
    }
}
