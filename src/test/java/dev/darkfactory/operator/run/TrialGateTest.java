package dev.darkfactory.operator.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.darkfactory.operator.api.v1alpha1.AttemptPhase;
import dev.darkfactory.operator.api.v1alpha1.AttemptStatus;
import dev.darkfactory.operator.api.v1alpha1.TrialStatus;
import dev.darkfactory.operator.contract.CheckResult;
import dev.darkfactory.operator.contract.FailureReason;
import dev.darkfactory.operator.contract.TestReport;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TrialGateTest {

    @ParameterizedTest(name = "{0} passed, {1} failed of {2} at {3}: {4}")
    @CsvSource({
        // every trial must pass (the default)
        "3, 0, 3, 1.0, PASS",
        "2, 0, 3, 1.0, WAIT",
        "0, 1, 3, 1.0, FAIL",
        "2, 1, 3, 1.0, FAIL",
        // one trial in three may fail at 0.6, not at 0.9
        "2, 1, 3, 0.6, PASS",
        "2, 1, 3, 0.9, FAIL",
        "1, 1, 3, 0.6, WAIT",
        "0, 2, 3, 0.6, FAIL",
        // 2 of 3 meets two thirds exactly: whole trials, no rounding of the share
        "2, 1, 3, 0.6666666666666666, PASS",
        // a pass is final only once every trial ran, so satisfaction covers all of them
        "2, 0, 3, 0.6, WAIT",
        // a minimum of 0 passes whatever the trials show, once they ran
        "0, 1, 1, 0.0, PASS",
        "0, 2, 3, 0.0, WAIT",
        // one trial: its verdict is the attempt's
        "1, 0, 1, 1.0, PASS",
        "0, 1, 1, 1.0, FAIL",
        "0, 0, 1, 1.0, WAIT",
        // 9 of 10 at 0.9, 8 of 10 not
        "9, 1, 10, 0.9, PASS",
        "8, 2, 10, 0.9, FAIL",
    })
    void decidesFromWholeTrials(
            int passed, int failed, int trials, double min, TrialGate.Decision expected) {
        assertThat(TrialGate.decide(passed, failed, trials, min)).isEqualTo(expected);
    }

    @Test
    void oneFailedTrialInThreeIsSatisfactionTwoThirdsAndBelowNinetyPercent() {
        AttemptStatus attempt = testing(3);
        assertThat(record(attempt, 1, passing())).isEmpty();
        assertThat(record(attempt, 2, passing())).isEmpty();
        Optional<PodVerdict> verdict = record(attempt, 3, failingHeldOut(), 0.9);

        assertThat(verdict).get().extracting(PodVerdict::passed).isEqualTo(false);
        assertThat(verdict.get().reason()).isEqualTo(FailureReason.SatisfactionBelowMinimum);
        assertThat(verdict.get().message())
                .startsWith("satisfaction 0.67 (2 of 3 trials passed; 95 % interval 0.20 to 0.94)")
                .contains("trial 3 failed with HeldOutChecksFailed");
        assertThat(verdict.get().pod()).isEqualTo("run-a1-test-t3");
        assertThat(attempt.satisfaction.value).isEqualTo(0.67);
        assertThat(attempt.satisfaction.low).isEqualTo(0.20);
        assertThat(attempt.satisfaction.high).isEqualTo(0.94);
        assertThat(attempt.satisfaction.trialsPassed).isEqualTo(2);
        assertThat(attempt.satisfaction.trialsRun).isEqualTo(3);
        assertThat(attempt.satisfaction.minSatisfaction).isEqualTo(0.9);
    }

    @Test
    void theSameTrialsPassAtSixtyPercent() {
        AttemptStatus attempt = testing(3);
        assertThat(record(attempt, 1, failingHeldOut(), 0.6)).isEmpty();
        assertThat(record(attempt, 2, passing(), 0.6)).isEmpty();
        Optional<PodVerdict> verdict = record(attempt, 3, passing(), 0.6);

        assertThat(verdict).get().extracting(PodVerdict::passed).isEqualTo(true);
        assertThat(verdict.get().message())
                .isEqualTo(
                        "satisfaction 0.67 (2 of 3 trials passed; 95 % interval 0.20 to 0.94)"
                                + " reaches spec.acceptance.minSatisfaction 0.6");
    }

    @Test
    void failsAsSoonAsTheMinimumIsOutOfReachAndSaysHowManyRan() {
        AttemptStatus attempt = testing(5);
        Optional<PodVerdict> verdict = record(attempt, 2, failingVisible(), 1.0);

        assertThat(verdict.get().reason()).isEqualTo(FailureReason.SatisfactionBelowMinimum);
        assertThat(verdict.get().message())
                .startsWith("satisfaction 0.00 (0 of 1 trials passed, 5 planned;");
        assertThat(attempt.satisfaction.trialsRun).isEqualTo(1);
        assertThat(attempt.satisfaction.trials).isEqualTo(5);
        assertThat(attempt.trials.get(0).message)
                .isEqualTo("stopped: the gate failed before this trial ended");
    }

    @Test
    void oneTrialKeepsItsOwnReason() {
        AttemptStatus attempt = testing(1);
        Optional<PodVerdict> verdict = record(attempt, 1, failingVisible(), 1.0);

        assertThat(verdict.get().reason()).isEqualTo(FailureReason.ChecksFailed);
        assertThat(attempt.satisfaction.value).isEqualTo(0.0);
    }

    @Test
    void countsPerScenarioAndFailuresSumOverTrialsAndHeldOutOnlyAsCounts() {
        AttemptStatus attempt = testing(3);
        record(attempt, 1, failingVisible(), 0.0);
        record(attempt, 2, failingHeldOut(), 0.0);
        record(attempt, 3, passing(), 0.0);

        assertThat(attempt.scenarios)
                .extracting(s -> s.name + " " + s.passed + "/" + s.run)
                .containsExactly("list-todos 2/3");
        assertThat(attempt.tests.passed).isEqualTo(2);
        assertThat(attempt.tests.failed).isEqualTo(1);
        assertThat(attempt.tests.heldOutPassed).isEqualTo(2);
        assertThat(attempt.tests.heldOutFailed).isEqualTo(1);
        assertThat(attempt.failures).extracting(f -> f.name).containsExactly("list-todos");
        assertThat(attempt.trials)
                .extracting(t -> t.phase)
                .containsExactly(AttemptPhase.Failed, AttemptPhase.Failed, AttemptPhase.Passed);
        assertThat(Serialization.asJson(attempt))
                .as("a held-out case never appears by name or reason")
                .doesNotContain("secret-case")
                .doesNotContain("the held-out reason");
    }

    private static AttemptStatus testing(int trials) {
        AttemptStatus attempt = new AttemptStatus();
        attempt.number = 1;
        attempt.phase = AttemptPhase.Testing;
        attempt.trials = TrialGate.planned(trials);
        for (TrialStatus trial : attempt.trials) {
            Trials.assign(attempt, trial, RunNames.testerPod("run", 1, trial.number));
        }
        return attempt;
    }

    private static Optional<PodVerdict> record(
            AttemptStatus attempt, int trial, TestReport report) {
        return record(attempt, trial, report, 1.0);
    }

    private static Optional<PodVerdict> record(
            AttemptStatus attempt, int number, TestReport report, double min) {
        TrialStatus trial = attempt.trials.get(number - 1);
        PodVerdict verdict =
                TesterPodReader.read(
                                RunFixtures.pod(
                                        trial.pod,
                                        "Running",
                                        null,
                                        List.of(),
                                        List.of(
                                                RunFixtures.running("app"),
                                                RunFixtures.terminated(
                                                        "tester",
                                                        report.ok() ? 0 : 1,
                                                        "Completed",
                                                        Serialization.asJson(report)))))
                        .orElseThrow();
        TrialGate.record(attempt, trial, verdict);
        return TrialGate.verdict(attempt, attempt.trials.size(), min, verdict);
    }

    private static TestReport passing() {
        return report(true, true);
    }

    private static TestReport failingVisible() {
        return report(false, true);
    }

    private static TestReport failingHeldOut() {
        return report(true, false);
    }

    /** A custom tester's report, which names its held-out case: the operator drops it. */
    private static TestReport report(boolean visibleOk, boolean heldOutOk) {
        List<CheckResult> results =
                List.of(
                        new CheckResult(
                                "list-todos",
                                false,
                                visibleOk,
                                "GET /todos",
                                visibleOk ? null : "expected status 200, got 500"),
                        new CheckResult(
                                "secret-case",
                                true,
                                heldOutOk,
                                "POST /secret",
                                heldOutOk ? null : "the held-out reason"));
        int passed = (visibleOk ? 1 : 0) + (heldOutOk ? 1 : 0);
        return new TestReport(visibleOk && heldOutOk, true, passed, 2 - passed, results, 0, null);
    }
}
