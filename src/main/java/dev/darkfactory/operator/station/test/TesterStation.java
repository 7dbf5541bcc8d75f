package dev.darkfactory.operator.station.test;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import dev.darkfactory.operator.api.v1alpha1.HttpCheck;
import dev.darkfactory.operator.contract.CheckResult;
import dev.darkfactory.operator.contract.FailureReason;
import dev.darkfactory.operator.contract.StationContract.Env;
import dev.darkfactory.operator.contract.StationContract.Paths;
import dev.darkfactory.operator.contract.TestReport;
import dev.darkfactory.operator.station.Station;
import dev.darkfactory.operator.station.StationEnvironment;
import dev.darkfactory.operator.station.StationResult;

/**
 * {@code station test}: waits for the app's health path, runs every visible and held-out check
 * against it, and reports a {@link TestReport}. Exit 0 when all passed, 1 when some failed, 2 when
 * the app never became healthy, 3 when the tester itself could not run.
 */
public final class TesterStation implements Station {

    public static final String APP_URL = Env.APP_URL;
    public static final String HEALTH_PATH = Env.HEALTH_PATH;
    public static final String HEALTH_TIMEOUT = Env.HEALTH_TIMEOUT;
    public static final String CHECK_TIMEOUT = "DF_CHECK_TIMEOUT";
    public static final String VISIBLE_CHECKS = Env.VISIBLE_CHECKS_FILE;
    public static final String HOLDOUT_CHECKS = Env.HOLDOUT_CHECKS_FILE;


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
        List<HttpCheck> checks = CheckFiles.read(env.path(VISIBLE_CHECKS, Paths.VISIBLE_CHECKS_FILE),
                env.path(HOLDOUT_CHECKS, Paths.HOLDOUT_CHECKS_FILE));
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                .build();

        Optional<String> unhealthy = new HealthWait(client)
                .await(appUrl.resolve(env.get(HEALTH_PATH, "/healthz")), env.duration(HEALTH_TIMEOUT, "60s"));
        if (unhealthy.isPresent()) {
            return new StationResult(new TestReport(false, false, 0, checks.size(), List.of(), 0,
                    "the app at " + appUrl + " never became healthy: " + unhealthy.get()), TestReport.EXIT_NEVER_HEALTHY);
        }

        CheckRunner runner = new CheckRunner(client, appUrl, env.duration(CHECK_TIMEOUT, "10s"));
        List<CheckResult> results = new ArrayList<>();
        for (int i = 0; i < checks.size(); i++) {
            results.add(runner.run(checks.get(i), i));
        }
        // Failures first: when the report is cut to fit the termination message, passes go first.
        results.sort(Comparator.comparing(CheckResult::ok));
        int failed = (int) results.stream().filter(result -> !result.ok()).count();
        TestReport report = new TestReport(failed == 0, true, results.size() - failed, failed, results, 0,
                failed + " of " + results.size() + " checks failed");
        return new StationResult(report, failed == 0 ? TestReport.EXIT_PASSED : TestReport.EXIT_CHECKS_FAILED);
    }
}
