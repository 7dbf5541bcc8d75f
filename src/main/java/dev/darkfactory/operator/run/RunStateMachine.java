package dev.darkfactory.operator.run;

import dev.darkfactory.operator.api.v1alpha1.AttemptPhase;
import dev.darkfactory.operator.api.v1alpha1.AttemptStatus;
import dev.darkfactory.operator.api.v1alpha1.BudgetSpec;
import dev.darkfactory.operator.api.v1alpha1.Condition;
import dev.darkfactory.operator.api.v1alpha1.ConditionStatus;
import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.FactoryRunStatus;
import dev.darkfactory.operator.api.v1alpha1.RunPhase;
import dev.darkfactory.operator.api.v1alpha1.TrialStatus;
import dev.darkfactory.operator.budget.NamespaceBudgetDecision;
import dev.darkfactory.operator.config.InfraRetry;
import dev.darkfactory.operator.contract.FailureReason;
import dev.darkfactory.operator.gateway.BudgetRefusal;
import dev.darkfactory.operator.gateway.GatewayUsage;
import dev.darkfactory.operator.gateway.Pricing;
import dev.darkfactory.operator.gateway.UsageRecords;
import dev.darkfactory.operator.status.StatusAggregator;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
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
    private final InfraRetry retry;
    private final Duration unschedulableGrace;

    public RunStateMachine(Clock clock, InfraRetry retry) {
        this(clock, retry, Duration.ZERO);
    }

    /**
     * @param unschedulableGrace how long a pod may be unschedulable before it is reported
     *     (InfraFailures)
     */
    public RunStateMachine(Clock clock, InfraRetry retry, Duration unschedulableGrace) {
        this.clock = clock;
        this.retry = retry;
        this.unschedulableGrace = unschedulableGrace;
    }

    /**
     * What the reconciler knows besides the run itself.
     *
     * @param pods the run's pods by name
     * @param admitted whether the queue lets the run start now (or a Blocked run retry)
     * @param running runs in flight, for the Queued message
     * @param cap the concurrency cap, for the Queued message
     * @param intent what the run reads from its intent's status
     * @param gateway what the gateway metered for the run, or null when the run is not metered (its
     *     generator's own report counts then)
     * @param budgetHold why a namespace budget keeps the run from starting, or null when none does
     *     (see {@link NamespaceBudgetDecision})
     */
    public record Observed(
            Map<String, Pod> pods,
            boolean admitted,
            int running,
            int cap,
            IntentSignals intent,
            GatewayUsage gateway,
            String budgetHold) {

        public Observed(
                Map<String, Pod> pods,
                boolean admitted,
                int running,
                int cap,
                IntentSignals intent,
                GatewayUsage gateway) {
            this(pods, admitted, running, cap, intent, gateway, null);
        }

        public Observed(
                Map<String, Pod> pods,
                boolean admitted,
                int running,
                int cap,
                IntentSignals intent) {
            this(pods, admitted, running, cap, intent, null, null);
        }

        /** A call the gateway refused for the run's budget. */
        Optional<BudgetRefusal> budgetRefusal() {
            return gateway == null ? Optional.empty() : gateway.refusal();
        }
    }

    public record Step(FactoryRunStatus status, List<RunEvent> events) {}

    public Step next(FactoryRun run, Observed observed) {
        FactoryRunStatus status = copy(run.getStatus());
        List<RunEvent> events = new ArrayList<>();
        if (observed.gateway() != null) {
            // The gateway's count, not the generator's: a hostile agent could under-report. Late
            // records (a call that ended with its pod) still reach a finished run's status.
            UsageRecords.applyTo(
                    status,
                    observed.gateway().usage(),
                    Pricing.of(run.getSpec().generator.spec.pricing));
        }
        if (status.attempts != null && !status.attempts.isEmpty()) {
            // Before any verdict, so the stage that ends the attempt has its end recorded; after
            // the verdict too, until the pods go (the app ends when its pod is stopped).
            StageTimes.record(status.attempts.get(status.attempts.size() - 1), observed.pods());
        }
        if (status.phase == null || !status.phase.isFinal()) {
            advance(run, status, observed, events);
        } else if (status.phase == RunPhase.Succeeded
                && observed.intent().rolloutFailure() != null) {
            reopenAfterFailedRollout(
                    run, status, observed.intent().rolloutFailure(), observed, events);
        }
        status.observedGeneration = run.getMetadata().getGeneration();
        status.conditions = conditions(run, status);
        return new Step(status, events);
    }

    /**
     * A run no live intent controls (see {@link RunOwnership}): it ends {@code InvalidRun} before
     * anything runs.
     */
    public Step invalid(FactoryRun run, String message) {
        return ended(run, copy(run.getStatus()), FailureReason.InvalidRun, message);
    }

    /**
     * An object the run needs exists under its name but is not the run's: the current attempt and
     * the run end {@code ForeignObject}, naming it, instead of using it.
     */
    public Step foreignObject(FactoryRun run, FactoryRunStatus decided, String message) {
        FactoryRunStatus status = copy(decided);
        status.attempts.stream()
                .filter(a -> a.phase == AttemptPhase.Generating || a.phase == AttemptPhase.Testing)
                .forEach(
                        a -> {
                            a.phase = AttemptPhase.Failed;
                            a.reason = FailureReason.ForeignObject.name();
                            a.message = message;
                            a.finishTime = now();
                        });
        return ended(run, status, FailureReason.ForeignObject, message);
    }

    private Step ended(
            FactoryRun run, FactoryRunStatus status, FailureReason reason, String message) {
        List<RunEvent> events = new ArrayList<>();
        end(status, RunPhase.Failed, reason, message, events);
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
            if (observed.budgetHold() != null) {
                holdForBudget(status, observed.budgetHold(), events);
                return;
            }
            // Held no longer (the period rolled over, the budget was raised): it queues as usual.
            status.reason = null;
            status.message = null;
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
        if (status.phase == RunPhase.Blocked) {
            // Admitted only once its retry is due (RunQueue).
            if (observed.admitted()) {
                // The stage's pod was given up; the reconciler makes a new one under a new name.
                status.phase = RunPhase.Running;
                status.reason = null;
                status.message = null;
                status.retryAt = null;
            }
            return;
        }
        AttemptStatus attempt = status.attempts.get(status.attempts.size() - 1);
        Optional<BudgetRefusal> earlier =
                observed.budgetRefusal().filter(r -> r.attempt() < attempt.number);
        if (attempt.phase == AttemptPhase.Generating && earlier.isPresent()) {
            // The refusal was seen only after this attempt started: its calls are refused too.
            fail(run, status, attempt, refusedVerdict(attempt, earlier.get()), observed, events);
            return;
        }
        switch (attempt.phase) {
            case Generating -> generating(run, status, attempt, observed, events);
            case Testing -> testing(run, status, attempt, observed, events);
            default -> {
                // A verdict is recorded, the next step was decided with it: nothing to do.
            }
        }
    }

    /**
     * A namespace budget is spent: the run stays Queued without a pod or an attempt, and says why;
     * one Warning Event when it starts to wait for this reason.
     */
    private static void holdForBudget(FactoryRunStatus status, String why, List<RunEvent> events) {
        if (!NamespaceBudgetDecision.REASON.equals(status.reason)) {
            events.add(RunEvent.warning(NamespaceBudgetDecision.REASON, why));
        }
        status.phase = RunPhase.Queued;
        status.reason = NamespaceBudgetDecision.REASON;
        status.message = why;
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
                            // still spends the budget. Through the gateway, its count applies.
                            if (result.outcome() != null
                                    && result.outcome().tokens() != null
                                    && observed.gateway() == null) {
                                // A pod lost to the infrastructure may have spent tokens too.
                                long tokens = result.outcome().tokens();
                                attempt.tokens =
                                        (attempt.tokens == null ? 0 : attempt.tokens) + tokens;
                                status.tokensUsed =
                                        (status.tokensUsed == null ? 0 : status.tokensUsed)
                                                + tokens;
                            }
                            if (infrastructure(result)) {
                                Optional<PodVerdict> overBudget = overBudget(run, status, attempt);
                                if (overBudget.isPresent()) {
                                    fail(run, status, attempt, overBudget.get(), observed, events);
                                } else {
                                    block(run, status, attempt, result, events);
                                }
                                return;
                            }
                            status.infrastructureFailures = null;
                            if (!result.passed()) {
                                fail(
                                        run,
                                        status,
                                        attempt,
                                        overBudget(run, status, attempt).orElse(result),
                                        observed,
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
                            if (result.outcome().tokens() == null
                                    && run.getSpec().generator.spec.provider == null) {
                                // Without a gateway, the generator's word is the only count:
                                // spec.budget.maxTokens cannot hold this attempt.
                                events.add(
                                        RunEvent.warning(
                                                "TokenUsageUnknown",
                                                "attempt "
                                                        + attempt.number
                                                        + ": the generator reported no token"
                                                        + " usage; spec.budget.maxTokens does"
                                                        + " not count it"));
                            }
                            Optional<PodVerdict> overBudget = overBudget(run, status, attempt);
                            if (overBudget.isPresent()) {
                                fail(run, status, attempt, overBudget.get(), observed, events);
                                return;
                            }
                            attempt.phase = AttemptPhase.Testing;
                            attempt.trials = TrialGate.planned(trials(run));
                        });
    }

    /**
     * The failure that ends the run once the tokens spent pass spec.budget.maxTokens or their cost
     * passes spec.budget.maxCost (a call without an output limit can overshoot the gateway's
     * check).
     */
    private Optional<PodVerdict> overBudget(
            FactoryRun run, FactoryRunStatus status, AttemptStatus attempt) {
        Long maxTokens = budget(run).maxTokens;
        if (maxTokens != null && status.tokensUsed != null && status.tokensUsed > maxTokens) {
            return Optional.of(
                    PodVerdict.failed(
                            FailureReason.TokenBudgetExhausted,
                            (status.usage != null
                                            ? "the gateway counted "
                                            : "the generators reported ")
                                    + status.tokensUsed
                                    + " tokens, over spec.budget.maxTokens "
                                    + maxTokens,
                            attempt.generatorPod,
                            GeneratorPodReader.GENERATE));
        }
        String maxCost = budget(run).maxCost;
        if (maxCost != null
                && status.usage != null
                && status.usage.cost != null
                && new BigDecimal(status.usage.cost).compareTo(new BigDecimal(maxCost)) > 0) {
            return Optional.of(
                    PodVerdict.failed(
                            FailureReason.CostBudgetExhausted,
                            "the run's model calls cost "
                                    + status.usage.cost
                                    + " "
                                    + status.usage.currency
                                    + ", over spec.budget.maxCost "
                                    + maxCost,
                            attempt.generatorPod,
                            GeneratorPodReader.GENERATE));
        }
        return Optional.empty();
    }

    /** The gateway refused a call of an earlier attempt for budget: this one fails with it. */
    private static PodVerdict refusedVerdict(AttemptStatus attempt, BudgetRefusal refusal) {
        return PodVerdict.failed(
                refusal.reason(),
                refusedMessage(refusal),
                attempt.generatorPod,
                GeneratorPodReader.GENERATE);
    }

    private static String refusedMessage(BudgetRefusal refusal) {
        return "the gateway refused a model call of attempt "
                + refusal.attempt()
                + ": "
                + refusal.message();
    }

    /**
     * Reads the verdict of every trial whose pod finished, folds it into the attempt, and lets the
     * gate ({@link TrialGate}) decide the attempt once the trials do.
     */
    private void testing(
            FactoryRun run,
            FactoryRunStatus status,
            AttemptStatus attempt,
            Observed observed,
            List<RunEvent> events) {
        int planned = trials(run);
        for (TrialStatus trial : Trials.of(attempt, planned)) {
            if (trial.phase != AttemptPhase.Testing) {
                continue;
            }
            Optional<PodVerdict> found = verdict(trial.pod, TesterPodReader::read, observed);
            if (found.isEmpty()) {
                continue;
            }
            PodVerdict result = found.get();
            if (infrastructure(result)) {
                block(run, status, attempt, result, events, trial);
                return;
            }
            status.infrastructureFailures = null;
            TrialGate.record(attempt, trial, result);
            if (planned > 1) {
                String message =
                        "attempt " + attempt.number + ", trial " + trial.number + " of " + planned;
                events.add(
                        result.passed()
                                ? RunEvent.normal("TrialPassed", message + " passed")
                                : RunEvent.warning(
                                        "TrialFailed",
                                        message
                                                + " failed with "
                                                + trial.reason
                                                + ": "
                                                + trial.message));
            }
            Optional<PodVerdict> gate =
                    TrialGate.verdict(attempt, planned, minSatisfaction(run), result);
            if (gate.isEmpty()) {
                continue;
            }
            status.satisfaction = attempt.satisfaction;
            if (!gate.get().passed()) {
                fail(run, status, attempt, gate.get(), observed, events);
                return;
            }
            attempt.phase = AttemptPhase.Passed;
            attempt.finishTime = now();
            attempt.message = gate.get().message();
            status.phase = RunPhase.Succeeded;
            status.image = attempt.image;
            status.reason = SUCCEEDED;
            status.message = "attempt " + attempt.number + " passed: " + gate.get().message();
            status.completionTime = now();
            events.add(
                    RunEvent.normal("ChecksPassed", status.message + "; image " + attempt.image));
            return;
        }
    }

    private static int trials(FactoryRun run) {
        Integer trials = run.getSpec().intent.acceptance.trials;
        return trials == null ? 1 : trials;
    }

    private static double minSatisfaction(FactoryRun run) {
        Double min = run.getSpec().intent.acceptance.minSatisfaction;
        return min == null ? 1.0 : min;
    }

    /**
     * The passing image did not become Available: the attempt counts as failed, with what the app's
     * pods reported as its feedback, and the run goes on while its budget lasts.
     */
    private void reopenAfterFailedRollout(
            FactoryRun run,
            FactoryRunStatus status,
            String failure,
            Observed observed,
            List<RunEvent> events) {
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
                observed,
                events);
    }

    /**
     * What the pod of a stage says: nothing while it is not made yet or still works, an
     * infrastructure failure as soon as it shows one, its verdict once it finished, or PodDeleted
     * when the pod the status recorded is gone.
     */
    private Optional<PodVerdict> verdict(
            String podName, Function<Pod, Optional<PodVerdict>> reader, Observed observed) {
        if (podName == null) {
            return Optional.empty();
        }
        Pod pod = observed.pods().get(podName);
        return pod == null
                ? Optional.of(podDeleted(podName))
                : InfraFailures.of(pod, Instant.now(clock), unschedulableGrace)
                        .or(() -> reader.apply(pod));
    }

    private static boolean infrastructure(PodVerdict result) {
        return !result.passed() && result.reason() != null && result.reason().infrastructure();
    }

    /**
     * The stage could not make what it needs: the API server refused it (a ResourceQuota, a
     * LimitRange), or an earlier run of the same name left an object under its name (see {@link
     * InfraFailures#leftover}). The run blocks as for any infrastructure failure. {@code decided}
     * is the status that {@link #next} returned.
     */
    public Step refused(FactoryRun run, FactoryRunStatus decided, PodVerdict refusal) {
        FactoryRunStatus status = copy(decided);
        List<RunEvent> events = new ArrayList<>();
        block(run, status, status.attempts.get(status.attempts.size() - 1), refusal, events);
        status.conditions = conditions(run, status);
        return new Step(status, events);
    }

    /**
     * An infrastructure failure: the attempt is not charged and nothing is fed back. The stage's
     * pod is given up (the reconciler deletes it) and the run gives up its slot until {@code
     * retryAt}, after a backoff that doubles with each failure in a row; when the retry budget is
     * spent, the run ends with the failure's reason.
     */
    private void block(
            FactoryRun run,
            FactoryRunStatus status,
            AttemptStatus attempt,
            PodVerdict result,
            List<RunEvent> events) {
        block(run, status, attempt, result, events, null);
    }

    /**
     * As above; {@code trial} is the trial whose pod was lost, or null when no tester pod was (the
     * API server refused to make one).
     */
    private void block(
            FactoryRun run,
            FactoryRunStatus status,
            AttemptStatus attempt,
            PodVerdict result,
            List<RunEvent> events,
            TrialStatus trial) {
        int failures =
                (status.infrastructureFailures == null ? 0 : status.infrastructureFailures) + 1;
        status.infrastructureFailures = failures;
        boolean testing = attempt.phase == AttemptPhase.Testing;
        String lost = testing ? (trial == null ? null : trial.pod) : attempt.generatorPod;
        if (lost != null) {
            attempt.lostPods =
                    new ArrayList<>(attempt.lostPods == null ? List.of() : attempt.lostPods);
            attempt.lostPods.add(lost);
            if (testing) {
                Trials.forget(attempt, trial);
            } else {
                attempt.generatorPod = null;
            }
        }
        if (retry.exhausted(failures)) {
            closeAttempt(run, attempt, result);
            end(
                    status,
                    RunPhase.Failed,
                    result.reason(),
                    "gave up after "
                            + failures
                            + " infrastructure failures in a row (the operator's infraRetryLimit is "
                            + retry.limit()
                            + "); the last: "
                            + result.message(),
                    events);
            return;
        }
        Instant retryAt = Instant.now(clock).plus(retry.delay(failures));
        status.phase = RunPhase.Blocked;
        status.retryAt = retryAt.truncatedTo(ChronoUnit.SECONDS).toString();
        status.reason = result.reason().name();
        status.message =
                result.message()
                        + "; not charged as an attempt; retry "
                        + failures
                        + " of "
                        + retry.limit()
                        + " at "
                        + status.retryAt;
        events.add(
                RunEvent.warning(
                        status.reason, "attempt " + attempt.number + ": " + status.message));
    }

    /**
     * Records the failure on the attempt, then starts the next attempt or ends the run: when a
     * budget is spent (a gateway refusal included, since the next attempt's calls would be refused
     * too) or the attempts are.
     */
    private void fail(
            FactoryRun run,
            FactoryRunStatus status,
            AttemptStatus attempt,
            PodVerdict result,
            Observed observed,
            List<RunEvent> events) {
        closeAttempt(run, attempt, result);
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
        Optional<BudgetRefusal> refused = observed.budgetRefusal();
        if (result.reason() == FailureReason.TokenBudgetExhausted
                || result.reason() == FailureReason.CostBudgetExhausted) {
            end(status, RunPhase.Failed, result.reason(), result.message(), events);
        } else if (refused.isPresent()) {
            end(
                    status,
                    RunPhase.Failed,
                    refused.get().reason(),
                    refusedMessage(refused.get()),
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

    private void closeAttempt(FactoryRun run, AttemptStatus attempt, PodVerdict result) {
        attempt.phase = AttemptPhase.Failed;
        attempt.finishTime = now();
        attempt.reason = result.reason().name();
        attempt.message = result.message();
        attempt.failedPod = result.pod();
        attempt.failedContainer = result.container();
        attempt.logsCommand =
                LogsCommand.of(run.getMetadata().getNamespace(), result.pod(), result.container());
    }

    private void startAttempt(
            FactoryRun run, FactoryRunStatus status, int number, List<RunEvent> events) {
        AttemptStatus attempt = new AttemptStatus();
        attempt.number = number;
        attempt.phase = AttemptPhase.Generating;
        attempt.startTime = now();
        status.attempts.add(attempt);
        status.currentAttempt = number;
        if (number > 1) {
            // The first attempt's start is the run's: announced once, on the intent (RunCreated).
            events.add(
                    RunEvent.normal(
                            "AttemptStarted",
                            "attempt " + number + " of " + budget(run).maxAttempts));
        }
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
        status.retryAt = null;
        status.completionTime = now();
        events.add(
                phase == RunPhase.Cancelled
                        ? RunEvent.normal(reason.name(), message)
                        : RunEvent.warning(reason.name(), message));
    }

    private static PodVerdict podDeleted(String pod) {
        return PodVerdict.failed(
                FailureReason.PodDeleted,
                "pod "
                        + pod
                        + " was deleted before it finished (its node was lost, the scheduler"
                        + " preempted it, or someone deleted it)",
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
            case Blocked ->
                    conditions
                            .progressing(status.reason, status.message)
                            .set(SUCCEEDED, ConditionStatus.Unknown, status.reason, status.message);
            case Queued -> {
                String reason = status.reason == null ? "Queued" : status.reason;
                String message =
                        status.reason == null
                                ? "waiting for a free slot under the operator's concurrency cap"
                                : status.message;
                conditions
                        .progressing(reason, message)
                        .set(SUCCEEDED, ConditionStatus.Unknown, reason, message);
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
