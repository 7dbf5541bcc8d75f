package dev.darkfactory.operator.run;

import dev.darkfactory.operator.api.v1alpha1.AttemptPhase;
import dev.darkfactory.operator.api.v1alpha1.AttemptStatus;
import dev.darkfactory.operator.api.v1alpha1.BudgetSpec;
import dev.darkfactory.operator.api.v1alpha1.CheckFailure;
import dev.darkfactory.operator.api.v1alpha1.Condition;
import dev.darkfactory.operator.api.v1alpha1.ConditionStatus;
import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.FactoryRunStatus;
import dev.darkfactory.operator.api.v1alpha1.RunPhase;
import dev.darkfactory.operator.contract.FailureReason;
import dev.darkfactory.operator.contract.TestReport;
import dev.darkfactory.operator.status.StatusAggregator;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The life of a run as a pure function: from the status the API server holds and the pods that
 * exist, the next status and the Events to raise. Creating and deleting pods is left to the
 * reconciler, which derives it from the status this returns; so every decision can be made again
 * after a restart from what is in the API server, with the same result.
 */
public final class RunStateMachine {

    public static final String SUCCEEDED = "Succeeded";

    private final Clock clock;

    public RunStateMachine(Clock clock) {
        this.clock = clock;
    }

    /**
     * What the reconciler knows besides the run itself.
     *
     * @param pods the run's pods by name
     * @param admitted whether the queue lets the run start now
     * @param running runs in flight, for the Queued message
     * @param cap the concurrency cap, for the Queued message
     * @param intent what the run reads from its intent's status
     */
    public record Observed(
            Map<String, Pod> pods, boolean admitted, int running, int cap, IntentSignals intent) {}

    public record Step(FactoryRunStatus status, List<RunEvent> events) {}

    public Step next(FactoryRun run, Observed observed) {
        FactoryRunStatus status = copy(run.getStatus());
        List<RunEvent> events = new ArrayList<>();
        if (status.phase == null || !status.phase.isFinal()) {
            advance(run, status, observed, events);
        } else if (status.phase == RunPhase.Succeeded
                && observed.intent().rolloutFailure() != null) {
            reopenAfterFailedRollout(run, status, observed.intent().rolloutFailure(), events);
        }
        status.observedGeneration = run.getMetadata().getGeneration();
        status.conditions = conditions(run, status);
        return new Step(status, events);
    }

    private void advance(
            FactoryRun run, FactoryRunStatus status, Observed observed, List<RunEvent> events) {
        if (observed.intent().supersededBy() != null) {
            cancel(status, observed.intent().supersededBy(), events);
            return;
        }
        if (status.phase == null || status.phase == RunPhase.Queued) {
            if (!observed.admitted()) {
                if (status.phase == null) {
                    events.add(
                            RunEvent.normal(
                                    "Queued",
                                    observed.running()
                                            + " of "
                                            + observed.cap()
                                            + " runs in flight; this one waits for a free slot"));
                }
                status.phase = RunPhase.Queued;
                return;
            }
            status.phase = RunPhase.Running;
            status.startTime = now();
            startAttempt(run, status, 1, events);
            return;
        }
        AttemptStatus attempt = status.attempts.get(status.attempts.size() - 1);
        switch (attempt.phase) {
            case Generating -> generating(run, status, attempt, observed, events);
            case Testing -> testing(run, status, attempt, observed, events);
            default -> {
                // A verdict is recorded, the next step was decided with it: nothing to do.
            }
        }
    }

    private void generating(
            FactoryRun run,
            FactoryRunStatus status,
            AttemptStatus attempt,
            Observed observed,
            List<RunEvent> events) {
        verdict(attempt.generatorPod, GeneratorPodReader::read, observed)
                .ifPresent(
                        result -> {
                            // Tokens count whatever the outcome: a generator that keeps failing
                            // still spends the budget.
                            if (result.outcome() != null) {
                                attempt.tokens = result.outcome().tokens();
                                status.tokensUsed =
                                        (status.tokensUsed == null ? 0 : status.tokensUsed)
                                                + (attempt.tokens == null ? 0 : attempt.tokens);
                            }
                            if (!result.passed()) {
                                fail(
                                        run,
                                        status,
                                        attempt,
                                        overTokenBudget(run, status, attempt).orElse(result),
                                        events);
                                return;
                            }
                            attempt.image = result.outcome().image();
                            attempt.sourceImage = result.outcome().sourceImage();
                            attempt.baseImage = result.outcome().baseImage();
                            events.add(
                                    RunEvent.normal(
                                            "Built",
                                            "attempt "
                                                    + attempt.number
                                                    + " built "
                                                    + attempt.image
                                                    + (attempt.tokens != null
                                                            ? " using " + attempt.tokens + " tokens"
                                                            : "")));
                            Optional<PodVerdict> overBudget = overTokenBudget(run, status, attempt);
                            if (overBudget.isPresent()) {
                                fail(run, status, attempt, overBudget.get(), events);
                                return;
                            }
                            attempt.phase = AttemptPhase.Testing;
                        });
    }

    /** The failure that ends the run once the tokens spent pass spec.budget.maxTokens. */
    private Optional<PodVerdict> overTokenBudget(
            FactoryRun run, FactoryRunStatus status, AttemptStatus attempt) {
        Long maxTokens = budget(run).maxTokens;
        if (maxTokens == null || status.tokensUsed == null || status.tokensUsed <= maxTokens) {
            return Optional.empty();
        }
        return Optional.of(
                PodVerdict.failed(
                        FailureReason.TokenBudgetExhausted,
                        "the generators reported "
                                + status.tokensUsed
                                + " tokens, over spec.budget.maxTokens "
                                + maxTokens,
                        attempt.generatorPod,
                        GeneratorPodReader.GENERATE));
    }

    private void testing(
            FactoryRun run,
            FactoryRunStatus status,
            AttemptStatus attempt,
            Observed observed,
            List<RunEvent> events) {
        verdict(attempt.testerPod, TesterPodReader::read, observed)
                .ifPresent(
                        result -> {
                            record(attempt, result.report());
                            if (!result.passed()) {
                                fail(run, status, attempt, result, events);
                                return;
                            }
                            attempt.phase = AttemptPhase.Passed;
                            attempt.finishTime = now();
                            attempt.message = result.message();
                            status.phase = RunPhase.Succeeded;
                            status.image = attempt.image;
                            status.reason = SUCCEEDED;
                            status.message =
                                    "attempt " + attempt.number + " passed: " + result.message();
                            status.completionTime = now();
                            events.add(
                                    RunEvent.normal(
                                            "ChecksPassed",
                                            status.message + "; image " + attempt.image));
                        });
    }

    /**
     * The passing image did not become Available: the attempt counts as failed, with what the app's
     * pods reported as its feedback, and the run goes on while its budget lasts.
     */
    private void reopenAfterFailedRollout(
            FactoryRun run, FactoryRunStatus status, String failure, List<RunEvent> events) {
        AttemptStatus passed = status.attempts.get(status.attempts.size() - 1);
        status.phase = RunPhase.Running;
        status.image = null;
        status.reason = null;
        status.message = null;
        status.completionTime = null;
        fail(
                run,
                status,
                passed,
                PodVerdict.failed(
                        FailureReason.RolloutFailed,
                        failure,
                        "deployment/" + run.getSpec().intentName,
                        "app"),
                events);
    }

    /**
     * What the pod of a stage says: nothing while it is not made yet or still works, its verdict
     * once it finished, or PodDeleted when the pod the status recorded is gone.
     */
    private static Optional<PodVerdict> verdict(
            String podName, Function<Pod, Optional<PodVerdict>> reader, Observed observed) {
        if (podName == null) {
            return Optional.empty();
        }
        Pod pod = observed.pods().get(podName);
        return pod == null ? Optional.of(podDeleted(podName)) : reader.apply(pod);
    }

    /** Records the failure on the attempt, then starts the next attempt or ends the run. */
    private void fail(
            FactoryRun run,
            FactoryRunStatus status,
            AttemptStatus attempt,
            PodVerdict result,
            List<RunEvent> events) {
        attempt.phase = AttemptPhase.Failed;
        attempt.finishTime = now();
        attempt.reason = result.reason().name();
        attempt.message = result.message();
        attempt.failedPod = result.pod();
        attempt.failedContainer = result.container();
        attempt.logsCommand =
                LogsCommand.of(run.getMetadata().getNamespace(), result.pod(), result.container());
        events.add(
                RunEvent.warning(
                        attempt.reason,
                        "attempt "
                                + attempt.number
                                + " failed in "
                                + result.pod()
                                + "/"
                                + result.container()
                                + ": "
                                + result.message()));
        BudgetSpec budget = budget(run);
        if (result.reason() == FailureReason.TokenBudgetExhausted) {
            end(
                    status,
                    RunPhase.Failed,
                    FailureReason.TokenBudgetExhausted,
                    result.message(),
                    events);
        } else if (attempt.number >= budget.maxAttempts) {
            end(
                    status,
                    RunPhase.Failed,
                    FailureReason.MaxAttemptsExhausted,
                    "all "
                            + budget.maxAttempts
                            + " attempts of spec.budget.maxAttempts failed; the last with "
                            + attempt.reason
                            + ": "
                            + attempt.message,
                    events);
        } else {
            startAttempt(run, status, attempt.number + 1, events);
        }
    }

    private void startAttempt(
            FactoryRun run, FactoryRunStatus status, int number, List<RunEvent> events) {
        AttemptStatus attempt = new AttemptStatus();
        attempt.number = number;
        attempt.phase = AttemptPhase.Generating;
        attempt.startTime = now();
        status.attempts.add(attempt);
        status.currentAttempt = number;
        events.add(
                RunEvent.normal(
                        "AttemptStarted", "attempt " + number + " of " + budget(run).maxAttempts));
    }

    private void cancel(FactoryRunStatus status, String reason, List<RunEvent> events) {
        status.attempts.stream()
                .filter(a -> a.phase == AttemptPhase.Generating || a.phase == AttemptPhase.Testing)
                .forEach(
                        a -> {
                            a.phase = AttemptPhase.Failed;
                            a.reason = FailureReason.Cancelled.name();
                            a.message = reason;
                            a.finishTime = now();
                        });
        end(status, RunPhase.Cancelled, FailureReason.Cancelled, reason, events);
    }

    private void end(
            FactoryRunStatus status,
            RunPhase phase,
            FailureReason reason,
            String message,
            List<RunEvent> events) {
        status.phase = phase;
        status.reason = reason.name();
        status.message = message;
        status.completionTime = now();
        events.add(
                phase == RunPhase.Cancelled
                        ? RunEvent.normal(reason.name(), message)
                        : RunEvent.warning(reason.name(), message));
    }

    private static void record(AttemptStatus attempt, TestReport report) {
        if (report == null) {
            return;
        }
        attempt.tests = TesterPodReader.summary(report);
        List<CheckFailure> failures = TesterPodReader.visibleFailures(report);
        attempt.failures = failures.isEmpty() ? null : failures;
    }

    private static PodVerdict podDeleted(String pod) {
        return PodVerdict.failed(
                FailureReason.PodDeleted,
                "pod " + pod + " was deleted before it finished",
                pod,
                null);
    }

    private static BudgetSpec budget(FactoryRun run) {
        return run.getSpec().intent.budgetOrDefault();
    }

    private List<Condition> conditions(FactoryRun run, FactoryRunStatus status) {
        var conditions =
                new StatusAggregator(
                        run.getStatus() == null ? null : run.getStatus().conditions,
                        run.getMetadata().getGeneration(),
                        clock);
        RunPhase phase = status.phase;
        switch (phase) {
            case Succeeded ->
                    conditions
                            .ready(SUCCEEDED, status.message)
                            .set(SUCCEEDED, true, SUCCEEDED, status.message);
            case Failed ->
                    conditions
                            .stalled(status.reason, status.message)
                            .set(SUCCEEDED, false, status.reason, status.message);
            case Cancelled ->
                    conditions
                            .set(StatusAggregator.READY, false, status.reason, status.message)
                            .set(StatusAggregator.RECONCILING, false, status.reason, status.message)
                            .set(StatusAggregator.STALLED, false, status.reason, status.message)
                            .set(SUCCEEDED, false, status.reason, status.message);
            case Queued -> {
                String message = "waiting for a free slot under the operator's concurrency cap";
                conditions
                        .progressing("Queued", message)
                        .set(SUCCEEDED, ConditionStatus.Unknown, "Queued", message);
            }
            default -> {
                AttemptStatus attempt = status.attempts.get(status.attempts.size() - 1);
                String message =
                        "attempt "
                                + attempt.number
                                + " of "
                                + budget(run).maxAttempts
                                + ": "
                                + attempt.phase.name().toLowerCase();
                conditions
                        .progressing(attempt.phase.name(), message)
                        .set(SUCCEEDED, ConditionStatus.Unknown, attempt.phase.name(), message);
            }
        }
        return conditions.build();
    }

    private String now() {
        return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static FactoryRunStatus copy(FactoryRunStatus status) {
        return status == null
                ? new FactoryRunStatus()
                : Serialization.jsonMapper().convertValue(status, FactoryRunStatus.class);
    }
}
