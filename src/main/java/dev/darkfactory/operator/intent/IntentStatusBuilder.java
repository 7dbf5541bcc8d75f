package dev.darkfactory.operator.intent;

import java.time.Clock;
import java.util.List;
import java.util.stream.Collectors;

import dev.darkfactory.operator.api.v1alpha1.AttemptStatus;
import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.FactoryRunStatus;
import dev.darkfactory.operator.api.v1alpha1.IntentPhase;
import dev.darkfactory.operator.api.v1alpha1.RunPhase;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntent;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntentStatus;
import dev.darkfactory.operator.status.StatusAggregator;

/**
 * The intent's status as a pure function of what the reconciler found: the problems with its
 * spec, or its latest run. Keeps the fields other steps own (serving) as they were.
 */
final class IntentStatusBuilder {

    private final Clock clock;

    IntentStatusBuilder(Clock clock) {
        this.clock = clock;
    }

    SoftwareIntentStatus invalid(SoftwareIntent intent, List<SpecProblem> problems) {
        SoftwareIntentStatus status = base(intent);
        status.phase = IntentPhase.Invalid;
        status.conditions = conditions(intent).stalled(problems.get(0).reason(),
                problems.stream().map(SpecProblem::message).collect(Collectors.joining("; "))).build();
        return status;
    }

    SoftwareIntentStatus fromRun(SoftwareIntent intent, String generatorClassName, FactoryRun run) {
        SoftwareIntentStatus status = base(intent);
        status.generatorClassName = generatorClassName;
        StatusAggregator conditions = conditions(intent);
        if (run == null) {
            status.phase = intent.getSpec().pauseRequested() ? IntentPhase.Paused : IntentPhase.Pending;
            status.latestRun = null;
            status.attempts = null;
            paused(intent, conditions, "no run yet");
            status.conditions = conditions.build();
            return status;
        }
        String name = run.getMetadata().getName();
        FactoryRunStatus runStatus = run.getStatus();
        RunPhase phase = runStatus == null ? null : runStatus.phase;
        status.latestRun = name;
        status.attempts = runStatus == null ? null : runStatus.currentAttempt;
        if (phase == null || phase == RunPhase.Queued) {
            status.phase = IntentPhase.Queued;
            conditions.progressing("Queued", "run " + name + " waits for a free slot under the operator's concurrency cap");
        } else if (phase == RunPhase.Running) {
            AttemptStatus attempt = runStatus.attempts.get(runStatus.attempts.size() - 1);
            status.phase = IntentPhase.Building;
            conditions.progressing(attempt.phase.name(), "run " + name + ", attempt " + attempt.number + " of "
                    + run.getSpec().intent.budgetOrDefault().maxAttempts + ": " + attempt.phase.name().toLowerCase());
        } else if (phase == RunPhase.Succeeded) {
            status.phase = IntentPhase.Ready;
            conditions.ready("RunSucceeded", "run " + name + " passed its checks: " + runStatus.image);
        } else if (phase == RunPhase.Failed) {
            status.phase = IntentPhase.Failed;
            conditions.stalled(runStatus.reason, "run " + name + " failed: " + runStatus.message);
        } else {
            status.phase = IntentPhase.Pending;
            conditions.progressing(runStatus.reason, "run " + name + " was cancelled: " + runStatus.message);
        }
        paused(intent, conditions, "run " + name + " is " + (phase == null ? "Queued" : phase.name()));
        status.conditions = conditions.build();
        if (intent.getSpec().pauseRequested()) {
            status.phase = IntentPhase.Paused;
        }
        return status;
    }

    /** While paused nothing new starts: not reconciling, not stalled, whatever the latest run did. */
    private static void paused(SoftwareIntent intent, StatusAggregator conditions, String where) {
        if (intent.getSpec().pauseRequested()) {
            String message = "spec.paused is true: no new runs and no rollout changes; " + where;
            conditions.set(StatusAggregator.RECONCILING, false, "Paused", message)
                    .set(StatusAggregator.STALLED, false, "Paused", message);
        }
    }

    private StatusAggregator conditions(SoftwareIntent intent) {
        SoftwareIntentStatus previous = intent.getStatus();
        return new StatusAggregator(previous == null ? null : previous.conditions, intent.getMetadata().getGeneration(), clock);
    }

    /** A new status that keeps the fields this builder does not decide. */
    private static SoftwareIntentStatus base(SoftwareIntent intent) {
        SoftwareIntentStatus previous = intent.getStatus() != null ? intent.getStatus() : new SoftwareIntentStatus();
        SoftwareIntentStatus status = new SoftwareIntentStatus();
        status.observedGeneration = intent.getMetadata().getGeneration();
        status.generatorClassName = previous.generatorClassName;
        status.latestRun = previous.latestRun;
        status.attempts = previous.attempts;
        status.servingRun = previous.servingRun;
        status.servingImage = previous.servingImage;
        status.url = previous.url;
        return status;
    }
}
