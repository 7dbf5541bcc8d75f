package dev.darkfactory.operator.station.test;

import dev.darkfactory.operator.api.v1alpha1.AcceptanceSpec;
import dev.darkfactory.operator.contract.CheckResult;
import dev.darkfactory.operator.contract.FailureReason;
import dev.darkfactory.operator.contract.Redactor;
import dev.darkfactory.operator.contract.StationContract.Env;
import dev.darkfactory.operator.contract.StationContract.Keys;
import dev.darkfactory.operator.contract.StationContract.Paths;
import dev.darkfactory.operator.contract.TestReport;
import dev.darkfactory.operator.station.Station;
import dev.darkfactory.operator.station.StationEnvironment;
import dev.darkfactory.operator.station.StationResult;
import java.net.URI;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * {@code station test}: waits for the app's health path, runs every visible and held-out check and
 * scenario against it in each of {@code DF_TRIALS} trials (fresh generated values every time), and
 * reports a {@link TestReport}. Held-out cases appear in it only as counts. Exit 0 when all passed,
 * 1 when some failed, 2 when the app never became healthy, 3 when the tester itself could not run.
 */
public final class TesterStation implements Station {

    public static final String APP_URL = Env.APP_URL;
    public static final String HEALTH_PATH = Env.HEALTH_PATH;
    public static final String HEALTH_TIMEOUT = Env.HEALTH_TIMEOUT;
    public static final String CHECK_TIMEOUT = "DF_CHECK_TIMEOUT";
    public static final String VISIBLE_CHECKS = Env.VISIBLE_CHECKS_FILE;
    public static final String HOLDOUT_CHECKS = Env.HOLDOUT_CHECKS_FILE;
    public static final String VISIBLE_SCENARIOS = "DF_SCENARIOS_FILE";
    public static final String HOLDOUT_SCENARIOS = "DF_HOLDOUT_SCENARIOS_FILE";

    /**
     * Trials against the same app in this one run: a candidate's verification; a gate's trials are
     * a tester pod each.
     */
    public static final String TRIALS = Env.TRIALS;

    @Override
    public String name() {
        return "test";
    }

    @Override
    public String failureReason() {
        return FailureReason.TesterFailed.name();
    }

    @Override
    public int failureExitCode() {
        return TestReport.EXIT_TESTER_FAILED;
    }

    @Override
    public StationResult run(StationEnvironment env) throws Exception {
        URI appUrl = URI.create(env.required(APP_URL));
        List<TestCase> cases =
                CheckFiles.read(
                        new CheckFiles.Paths(
                                env.path(VISIBLE_CHECKS, Paths.VISIBLE_CHECKS_FILE),
                                env.path(HOLDOUT_CHECKS, Paths.HOLDOUT_CHECKS_FILE),
                                env.path(
                                        VISIBLE_SCENARIOS, Paths.CHECKS_DIR + "/" + Keys.SCENARIOS),
                                env.path(
                                        HOLDOUT_SCENARIOS,
                                        Paths.HOLDOUT_DIR + "/" + Keys.SCENARIOS)));
        int trials = env.integer(TRIALS, 1);
        if (trials < 1 || trials > AcceptanceSpec.MAX_TRIALS) {
            throw new IllegalArgumentException(
                    TRIALS + " must be between 1 and " + AcceptanceSpec.MAX_TRIALS);
        }
        Redactor redactor = Redactor.fromEnvironment(env.all());
        HttpClient client =
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(2))
                        .build();

        Optional<String> unhealthy =
                new HealthWait(client)
                        .await(
                                appUrl.resolve(env.get(HEALTH_PATH, "/healthz")),
                                env.duration(HEALTH_TIMEOUT, "60s"));
        if (unhealthy.isPresent()) {
            return new StationResult(
                    new TestReport(
                            false,
                            false,
                            0,
                            cases.size(),
                            0,
                            heldOut(cases),
                            trials,
                            0,
                            List.of(),
                            0,
                            "the app at " + appUrl + " never became healthy: " + unhealthy.get()),
                    TestReport.EXIT_NEVER_HEALTHY);
        }

        ScenarioRunner runner =
                new ScenarioRunner(
                        new StepRunner(
                                client, appUrl, env.duration(CHECK_TIMEOUT, "10s"), redactor),
                        new ValueGenerator(new SecureRandom()));
        Tally tally = new Tally(cases);
        for (int trial = 0; trial < trials; trial++) {
            List<ScenarioRunner.Verdict> verdicts = new ArrayList<>();
            for (TestCase testCase : cases) {
                verdicts.add(runGuarded(runner, testCase));
            }
            tally.add(verdicts);
        }
        TestReport report = tally.report(trials, redactor);
        return new StationResult(
                report, report.ok() ? TestReport.EXIT_PASSED : TestReport.EXIT_CHECKS_FAILED);
    }

    /**
     * A held-out case that throws is a failure without words: an exception's message may quote it.
     */
    private static ScenarioRunner.Verdict runGuarded(ScenarioRunner runner, TestCase testCase)
            throws InterruptedException {
        try {
            return runner.run(testCase);
        } catch (RuntimeException e) {
            if (testCase.heldOut()) {
                return new ScenarioRunner.Verdict(false, null, null);
            }
            throw e;
        }
    }

    private static int heldOut(List<TestCase> cases) {
        return (int) cases.stream().filter(TestCase::heldOut).count();
    }

    /** Verdicts over trials: counts for every case, first failures of visible ones. */
    private static final class Tally {

        private final List<TestCase> cases;
        private final int[] passes;
        private final ScenarioRunner.Verdict[] shown;
        private int trialsPassed;

        Tally(List<TestCase> cases) {
            this.cases = cases;
            this.passes = new int[cases.size()];
            this.shown = new ScenarioRunner.Verdict[cases.size()];
        }

        void add(List<ScenarioRunner.Verdict> verdicts) {
            boolean all = true;
            for (int i = 0; i < verdicts.size(); i++) {
                ScenarioRunner.Verdict verdict = verdicts.get(i);
                passes[i] += verdict.ok() ? 1 : 0;
                all &= verdict.ok();
                // Keep the first failure; a pass only until there is one.
                if (shown[i] == null || (shown[i].ok() && !verdict.ok())) {
                    shown[i] = verdict;
                }
            }
            trialsPassed += all ? 1 : 0;
        }

        TestReport report(int trials, Redactor redactor) {
            int passed = 0;
            int heldOutPassed = 0;
            int heldOutRuns = 0;
            List<CheckResult> results = new ArrayList<>();
            for (int i = 0; i < cases.size(); i++) {
                TestCase testCase = cases.get(i);
                passed += passes[i];
                if (testCase.heldOut()) {
                    heldOutPassed += passes[i];
                    heldOutRuns += trials;
                    continue;
                }
                results.add(
                        new CheckResult(
                                redactor.redact(testCase.name()),
                                false,
                                passes[i] == trials,
                                redactor.redact(shown[i].request()),
                                redactor.redact(shown[i].reason()),
                                trials > 1 ? passes[i] : null));
            }
            // Failures first: when the report is cut to fit the termination message, passes go
            // first.
            results.sort(Comparator.comparing(CheckResult::ok));
            int runs = cases.size() * trials;
            int failed = runs - passed;
            String message =
                    failed
                            + " of "
                            + runs
                            + " check and scenario runs failed"
                            + (trials > 1
                                    ? "; every one passed in "
                                            + trialsPassed
                                            + " of "
                                            + trials
                                            + " trials"
                                    : "")
                            + (heldOutRuns > 0
                                    ? " ("
                                            + (heldOutRuns - heldOutPassed)
                                            + " of "
                                            + heldOutRuns
                                            + " held-out runs failed)"
                                    : "");
            return new TestReport(
                    failed == 0,
                    true,
                    passed,
                    failed,
                    heldOutPassed,
                    heldOutRuns - heldOutPassed,
                    trials,
                    trialsPassed,
                    results,
                    0,
                    message);
        }
    }
}
