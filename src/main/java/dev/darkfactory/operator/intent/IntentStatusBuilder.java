package dev.darkfactory.operator.intent;

import dev.darkfactory.operator.api.v1alpha1.AttemptPhase;
import dev.darkfactory.operator.api.v1alpha1.AttemptStatus;
import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.FactoryRunStatus;
import dev.darkfactory.operator.api.v1alpha1.IntentPhase;
import dev.darkfactory.operator.api.v1alpha1.RolloutFailure;
import dev.darkfactory.operator.api.v1alpha1.RolloutStatus;
import dev.darkfactory.operator.api.v1alpha1.RunPhase;
import dev.darkfactory.operator.api.v1alpha1.SatisfactionStatus;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntent;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntentStatus;
import dev.darkfactory.operator.rollout.PromotionPlanner;
import dev.darkfactory.operator.status.StatusAggregator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The intent's status as a pure function of what the reconciler found: the problems with its spec,
 * or its latest run and what serves. {@code Ready} rolls up the serving Deployment (Argo CD does
 * not look at children), {@code Reconciling} says a run or a rollout is under way, and {@code
 * Stalled} that the latest run failed and only a change from the user helps.
 */
final class IntentStatusBuilder {

    /** What serves the intent now, and what is rolling out, as the promotion plan says. */
    record Serving(
            PromotionPlanner.Plan plan,
            boolean available,
            String url,
            RolloutFailure failedRollout) {

        String image() {
            return plan.serving() == null ? null : plan.serving().image;
        }

        String run() {
            return plan.serving() == null ? null : plan.serving().run;
        }

        String revision() {
            return plan.serving() == null ? null : plan.serving().revision;
        }

        RolloutStatus rollout() {
            return plan.rollout();
        }

        Optional<Duration> lookAgainIn(Duration poll, Duration drain, Instant now) {
            return plan.lookAgainIn(poll, drain, now);
        }
    }

    private final Clock clock;

    IntentStatusBuilder(Clock clock) {
        this.clock = clock;
    }

    SoftwareIntentStatus invalid(SoftwareIntent intent, List<SpecProblem> problems) {
        SoftwareIntentStatus status = kept(intent);
        status.phase = IntentPhase.Invalid;
        status.conditions =
                conditions(intent)
                        .stalled(
                                problems.get(0).reason(),
                                problems.stream()
                                        .map(SpecProblem::message)
                                        .collect(Collectors.joining("; ")))
                        .build();
        return status;
    }

    SoftwareIntentStatus build(
            SoftwareIntent intent, String generatorClassName, FactoryRun run, Serving serving) {
        SoftwareIntentStatus status = new SoftwareIntentStatus();
        status.observedGeneration = intent.getMetadata().getGeneration();
        status.generatorClassName = generatorClassName;
        status.servingImage = serving.image();
        status.servingRun = serving.run();
        status.servingRevision = serving.revision();
        status.servingSince = serving.revision() == null ? null : serving.plan().servingSince();
        status.keptRevisions =
                serving.plan().kept().isEmpty() ? null : List.copyOf(serving.plan().kept());
        status.rollout = serving.rollout();
        status.failedRollout = serving.failedRollout();
        status.url = serving.image() == null ? null : serving.url();
        status.satisfaction = servingSatisfaction(intent.getStatus(), run, serving.image());
        FactoryRunStatus runStatus = run == null ? null : run.getStatus();
        RunPhase runPhase = runStatus == null ? null : runStatus.phase;
        if (run != null) {
            status.latestRun = run.getMetadata().getName();
            status.attempts = runStatus == null ? null : runStatus.currentAttempt;
        }

        StatusAggregator conditions = conditions(intent);
        setReady(conditions, serving);
        boolean paused = intent.getSpec().pauseRequested();
        String runName = run == null ? null : run.getMetadata().getName();
        if (paused) {
            status.phase = IntentPhase.Paused;
            String message = "spec.paused is true: no new runs and no rollout changes";
            conditions
                    .set(StatusAggregator.RECONCILING, false, "Paused", message)
                    .set(StatusAggregator.STALLED, false, "Paused", message);
        } else if (serving.rollout() != null) {
            status.phase = IntentPhase.RollingOut;
            progressing(conditions, "RollingOut", rolling(serving) + "; " + servingNow(serving));
        } else if (run != null && runPhase == null) {
            // A run just made starts its first attempt unless the queue or an infrastructure
            // failure holds it, which its own first status then says. Said so now, the intent's
            // status is written once on the way to the first pod: the run's first status, Running
            // at attempt 1, leaves it as it is (docs/performance.md, writes).
            status.attempts = 1;
            building(status, conditions, run, 1, AttemptPhase.Generating, serving);
        } else if (runPhase == RunPhase.Queued && runStatus.reason != null) {
            // Held by something other than the cap (a spent namespace budget): it says what.
            status.phase = IntentPhase.Queued;
            progressing(
                    conditions,
                    runStatus.reason,
                    "run " + runName + " waits: " + runStatus.message + "; " + servingNow(serving));
        } else if (runPhase == RunPhase.Queued) {
            status.phase = IntentPhase.Queued;
            progressing(
                    conditions,
                    "Queued",
                    "run "
                            + runName
                            + " waits for a free slot under the operator's concurrency cap");
        } else if (runPhase == RunPhase.Blocked) {
            status.phase = IntentPhase.Blocked;
            progressing(
                    conditions,
                    runStatus.reason,
                    "run "
                            + runName
                            + " is blocked: "
                            + runStatus.message
                            + "; "
                            + servingNow(serving));
        } else if (runPhase == RunPhase.Running) {
            AttemptStatus attempt = runStatus.attempts.get(runStatus.attempts.size() - 1);
            building(status, conditions, run, attempt.number, attempt.phase, serving);
        } else if (runPhase == RunPhase.Failed) {
            status.phase = IntentPhase.Failed;
            conditions
                    .set(
                            StatusAggregator.RECONCILING,
                            false,
                            runStatus.reason,
                            "run " + runName + " failed")
                    .set(
                            StatusAggregator.STALLED,
                            true,
                            runStatus.reason,
                            "run " + runName + " failed: " + runStatus.message);
        } else if (serving.image() != null && serving.available()) {
            status.phase = IntentPhase.Ready;
            settled(conditions, "Serving", servingNow(serving));
        } else {
            status.phase = IntentPhase.Pending;
            settled(
                    conditions,
                    serving.image() == null ? "NotServing" : "DeploymentUnavailable",
                    servingNow(serving));
        }
        status.conditions = conditions.build();
        return status;
    }

    private static void building(
            SoftwareIntentStatus status,
            StatusAggregator conditions,
            FactoryRun run,
            int attempt,
            AttemptPhase phase,
            Serving serving) {
        status.phase = IntentPhase.Building;
        progressing(
                conditions,
                phase.name(),
                "run "
                        + run.getMetadata().getName()
                        + ", attempt "
                        + attempt
                        + " of "
                        + run.getSpec().intent.budgetOrDefault().maxAttempts
                        + ": "
                        + phase.name().toLowerCase()
                        + "; "
                        + servingNow(serving));
    }

    private static void setReady(StatusAggregator conditions, Serving serving) {
        if (serving.image() == null) {
            conditions.set(
                    StatusAggregator.READY,
                    false,
                    "NotServing",
                    "no image has passed its checks and rolled out yet");
        } else if (serving.available()) {
            conditions.set(StatusAggregator.READY, true, "Serving", servingNow(serving));
        } else {
            conditions.set(
                    StatusAggregator.READY,
                    false,
                    "DeploymentUnavailable",
                    "the Deployment serving " + serving.image() + " is not Available");
        }
    }

    private static void progressing(StatusAggregator conditions, String reason, String message) {
        conditions
                .set(StatusAggregator.RECONCILING, true, reason, message)
                .set(StatusAggregator.STALLED, false, reason, message);
    }

    private static void settled(StatusAggregator conditions, String reason, String message) {
        conditions
                .set(StatusAggregator.RECONCILING, false, reason, message)
                .set(StatusAggregator.STALLED, false, reason, message);
    }

    private static String rolling(Serving serving) {
        RolloutStatus rollout = serving.rollout();
        String what =
                "revision "
                        + rollout.revision
                        + " ("
                        + rollout.image
                        + " of run "
                        + rollout.run
                        + ")";
        return switch (serving.plan().outcome()) {
            case VERIFYING -> "verifying " + what + " in its production configuration";
            default ->
                    rollout.rollingBack()
                            ? "rolling back to " + what + ": waiting for it to become Available"
                            : "rolling out " + what + ": waiting for it to become Available";
        };
    }

    private static String servingNow(Serving serving) {
        return serving.image() == null
                ? "nothing serves yet"
                : serving.image() + " of run " + serving.run() + " serves at " + serving.url();
    }

    /**
     * The satisfaction the serving image passed its gate with: its run's, once that run names the
     * image, else what the status said while the same image served.
     */
    static SatisfactionStatus servingSatisfaction(
            SoftwareIntentStatus previous, FactoryRun latest, String servingImage) {
        if (servingImage == null) {
            return null;
        }
        FactoryRunStatus run = latest == null ? null : latest.getStatus();
        if (run != null && servingImage.equals(run.image)) {
            return run.satisfaction;
        }
        return previous != null && servingImage.equals(previous.servingImage)
                ? previous.satisfaction
                : null;
    }

    private StatusAggregator conditions(SoftwareIntent intent) {
        SoftwareIntentStatus previous = intent.getStatus();
        return new StatusAggregator(
                previous == null ? null : previous.conditions,
                intent.getMetadata().getGeneration(),
                clock);
    }

    /** A new status that keeps what the spec problems do not change: the runs and what serves. */
    private static SoftwareIntentStatus kept(SoftwareIntent intent) {
        SoftwareIntentStatus previous =
                intent.getStatus() != null ? intent.getStatus() : new SoftwareIntentStatus();
        SoftwareIntentStatus status = new SoftwareIntentStatus();
        status.observedGeneration = intent.getMetadata().getGeneration();
        status.generatorClassName = previous.generatorClassName;
        status.latestRun = previous.latestRun;
        status.attempts = previous.attempts;
        status.servingRun = previous.servingRun;
        status.servingImage = previous.servingImage;
        status.servingRevision = previous.servingRevision;
        status.servingSince = previous.servingSince;
        status.keptRevisions = previous.keptRevisions;
        status.satisfaction = previous.satisfaction;
        status.rollout = previous.rollout;
        status.failedRollout = previous.failedRollout;
        status.url = previous.url;
        return status;
    }
}
