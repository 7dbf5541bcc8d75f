package dev.darkfactory.operator.run;

import dev.darkfactory.operator.api.v1alpha1.AttemptPhase;
import dev.darkfactory.operator.api.v1alpha1.AttemptStatus;
import dev.darkfactory.operator.api.v1alpha1.CheckFailure;
import dev.darkfactory.operator.api.v1alpha1.SatisfactionStatus;
import dev.darkfactory.operator.api.v1alpha1.ScenarioPasses;
import dev.darkfactory.operator.api.v1alpha1.TestSummary;
import dev.darkfactory.operator.api.v1alpha1.TrialStatus;
import dev.darkfactory.operator.contract.CheckResult;
import dev.darkfactory.operator.contract.FailureReason;
import dev.darkfactory.operator.contract.Satisfaction;
import dev.darkfactory.operator.contract.TestReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The acceptance gate over an attempt's trials (docs/gate.md), as pure functions. Each trial is one
 * tester pod; its verdict is folded into the attempt's status as it comes (counts, per-scenario
 * passes, visible failures), so the gate can be decided again after a restart from the status
 * alone. The attempt passes once every trial ran and the share that passed reaches {@code
 * acceptance.minSatisfaction}; it fails as soon as that share can no longer be reached, without
 * waiting for the trials still running.
 */
public final class TrialGate {

    /** What the trials so far decide about the attempt. */
    public enum Decision {
        /** Trials are still running and could still change the outcome. */
        WAIT,
        PASS,
        FAIL
    }

    private TrialGate() {}

    /**
     * The gate: {@code passed} and {@code failed} trials of {@code trials}, against {@code
     * minSatisfaction}.
     */
    public static Decision decide(int passed, int failed, int trials, double minSatisfaction) {
        int needed = Satisfaction.trialsNeeded(minSatisfaction, trials);
        int open = trials - passed - failed;
        if (passed + open < needed) {
            return Decision.FAIL;
        }
        return open > 0 ? Decision.WAIT : Decision.PASS;
    }

    /** The trials of an attempt that starts testing, none with a pod yet. */
    static List<TrialStatus> planned(int trials) {
        List<TrialStatus> planned = new ArrayList<>();
        for (int n = 1; n <= trials; n++) {
            planned.add(new TrialStatus(n));
        }
        return planned;
    }

    /**
     * Records a trial's verdict: on the trial, and in the attempt's counts (summed over trials),
     * per-scenario passes and visible failures (the first reason of each). Held-out results reach
     * none of them but the counts, as {@link TesterPodReader} already keeps them.
     */
    static void record(AttemptStatus attempt, TrialStatus trial, PodVerdict verdict) {
        trial.phase = verdict.passed() ? AttemptPhase.Passed : AttemptPhase.Failed;
        trial.reason = verdict.passed() ? null : verdict.reason().name();
        trial.message = verdict.message();
        TestReport report = verdict.report();
        if (report == null) {
            return;
        }
        attempt.tests = sum(attempt.tests, TesterPodReader.summary(report));
        if (report.results() != null) {
            for (CheckResult result : report.results()) {
                if (!result.holdout()) {
                    ScenarioPasses passes = passesOf(attempt, result.name());
                    passes.run++;
                    passes.passed += result.ok() ? 1 : 0;
                }
            }
        }
        List<CheckFailure> failures =
                new ArrayList<>(attempt.failures == null ? List.of() : attempt.failures);
        for (CheckFailure failure : TesterPodReader.visibleFailures(report)) {
            if (failures.stream().noneMatch(f -> f.name.equals(failure.name))) {
                failures.add(failure);
            }
        }
        attempt.failures = failures.isEmpty() ? null : failures;
    }

    /**
     * The attempt's verdict once its trials decide it, with its satisfaction recorded; empty while
     * they do not. {@code last} is the verdict of the trial recorded last, which is the one that
     * failed when the gate fails (only a failed trial makes the minimum out of reach). With one
     * trial, the verdict is that trial's own, so its reason stays the specific one (ChecksFailed,
     * AppNeverHealthy, ...).
     */
    static Optional<PodVerdict> verdict(
            AttemptStatus attempt, int trials, double minSatisfaction, PodVerdict last) {
        int passed = count(attempt, AttemptPhase.Passed);
        int failed = count(attempt, AttemptPhase.Failed);
        Decision decision = decide(passed, failed, trials, minSatisfaction);
        if (decision == Decision.WAIT) {
            return Optional.empty();
        }
        Satisfaction satisfaction = Satisfaction.of(passed, passed + failed);
        attempt.satisfaction = status(satisfaction, trials, minSatisfaction);
        if (trials == 1 && decision == Decision.PASS) {
            return Optional.of(last.passed() ? last : passedBelowOne(last));
        }
        if (trials == 1) {
            return Optional.of(last);
        }
        String measured =
                "satisfaction "
                        + twoDecimals(satisfaction.value())
                        + " ("
                        + passed
                        + " of "
                        + (passed + failed)
                        + " trials passed"
                        + (passed + failed < trials ? ", " + trials + " planned" : "")
                        + "; 95 % interval "
                        + twoDecimals(attempt.satisfaction.low)
                        + " to "
                        + twoDecimals(attempt.satisfaction.high)
                        + ")";
        if (decision == Decision.PASS) {
            return Optional.of(
                    new PodVerdict(
                            true,
                            null,
                            measured
                                    + " reaches spec.acceptance.minSatisfaction "
                                    + minSatisfaction,
                            last.pod(),
                            last.container(),
                            null,
                            last.report()));
        }
        // The pods of trials still running are stopped with the attempt; say so on them.
        attempt.trials.stream()
                .filter(t -> t.phase == AttemptPhase.Testing)
                .forEach(t -> t.message = "stopped: the gate failed before this trial ended");
        return Optional.of(
                new PodVerdict(
                        false,
                        FailureReason.SatisfactionBelowMinimum,
                        measured
                                + " cannot reach spec.acceptance.minSatisfaction "
                                + minSatisfaction
                                + "; "
                                + failedTrialMessage(attempt, last),
                        last.pod(),
                        last.container(),
                        null,
                        last.report()));
    }

    /** One trial that failed and still passes the gate: minSatisfaction 0 lets it through. */
    private static PodVerdict passedBelowOne(PodVerdict last) {
        return new PodVerdict(
                true,
                null,
                "the only trial failed, and spec.acceptance.minSatisfaction is 0: "
                        + last.message(),
                last.pod(),
                last.container(),
                null,
                last.report());
    }

    private static String failedTrialMessage(AttemptStatus attempt, PodVerdict last) {
        return attempt.trials.stream()
                .filter(t -> last.pod() != null && last.pod().equals(t.pod))
                .findFirst()
                .map(t -> "trial " + t.number + " failed with " + t.reason + ": " + t.message)
                .orElse(last.reason() + ": " + last.message());
    }

    static SatisfactionStatus status(Satisfaction satisfaction, int trials, double min) {
        SatisfactionStatus status = new SatisfactionStatus();
        status.value = Math.round(satisfaction.value() * 100) / 100.0;
        // Outwards, so the interval shown never claims more than the trials prove.
        status.low = Math.floor(satisfaction.low() * 100) / 100.0;
        status.high = Math.ceil(satisfaction.high() * 100) / 100.0;
        status.trialsPassed = satisfaction.trialsPassed();
        status.trialsRun = satisfaction.trials();
        status.trials = trials;
        status.minSatisfaction = min;
        return status;
    }

    private static String twoDecimals(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    private static int count(AttemptStatus attempt, AttemptPhase phase) {
        return (int) attempt.trials.stream().filter(t -> t.phase == phase).count();
    }

    private static ScenarioPasses passesOf(AttemptStatus attempt, String name) {
        if (attempt.scenarios == null) {
            attempt.scenarios = new ArrayList<>();
        }
        for (ScenarioPasses passes : attempt.scenarios) {
            if (passes.name.equals(name)) {
                return passes;
            }
        }
        ScenarioPasses passes = new ScenarioPasses(name);
        attempt.scenarios.add(passes);
        return passes;
    }

    private static TestSummary sum(TestSummary sum, TestSummary more) {
        if (sum == null) {
            return more;
        }
        TestSummary total =
                new TestSummary(
                        sum.passed + more.passed,
                        sum.failed + more.failed,
                        sum.heldOutPassed + more.heldOutPassed,
                        sum.heldOutFailed + more.heldOutFailed);
        int leftOut =
                (sum.resultsLeftOut == null ? 0 : sum.resultsLeftOut)
                        + (more.resultsLeftOut == null ? 0 : more.resultsLeftOut);
        total.resultsLeftOut = leftOut > 0 ? leftOut : null;
        return total;
    }
}
