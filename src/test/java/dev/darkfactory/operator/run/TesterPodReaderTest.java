package dev.darkfactory.operator.run;

import static dev.darkfactory.operator.run.RunFixtures.pod;
import static dev.darkfactory.operator.run.RunFixtures.running;
import static dev.darkfactory.operator.run.RunFixtures.terminated;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.darkfactory.operator.api.v1alpha1.AttemptStatus;
import dev.darkfactory.operator.api.v1alpha1.CheckFailure;
import dev.darkfactory.operator.api.v1alpha1.TestSummary;
import dev.darkfactory.operator.contract.CheckResult;
import dev.darkfactory.operator.contract.FailureReason;
import dev.darkfactory.operator.contract.TestReport;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the operator builds from a tester pod: held-out text and Secret values never get into it.
 */
class TesterPodReaderTest {

    private static final String HELD_OUT_CANARY = "canary-heldout-7f3a";
    private static final String SECRET_CANARY = "canary-secret-91bd";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void countsComeFromTheTotalsNotFromTheCutResults() throws Exception {
        // 40 runs failed, 7 of them held out; only 2 visible results survived the cut.
        TestReport report =
                new TestReport(
                        false,
                        true,
                        10,
                        40,
                        3,
                        7,
                        1,
                        0,
                        List.of(result("a", false), result("b", false)),
                        31,
                        "40 of 50 failed");

        TestSummary summary = TesterPodReader.summary(report);

        assertThat(summary.passed).isEqualTo(7);
        assertThat(summary.failed).isEqualTo(33);
        assertThat(summary.heldOutPassed).isEqualTo(3);
        assertThat(summary.heldOutFailed).isEqualTo(7);
        assertThat(summary.resultsLeftOut).isEqualTo(31);
        PodVerdict verdict = TesterPodReader.read(testerPod(report, 1)).orElseThrow();
        assertThat(verdict.reason()).isEqualTo(FailureReason.ChecksFailed);
        assertThat(verdict.message())
                .isEqualTo(
                        "40 of 50 checks failed (7 held out): first is a; "
                                + "the report left out 31 results to fit");
    }

    @Test
    void aReportWithoutHeldOutCountsHasThemCountedFromItsMarkedResults() {
        TestReport custom =
                new TestReport(
                        false,
                        true,
                        1,
                        2,
                        List.of(
                                result("v", false),
                                new CheckResult(HELD_OUT_CANARY, true, false, "GET /x", "boom"),
                                new CheckResult("p", false, true, "GET /p", null)),
                        0,
                        null);

        TestSummary summary = TesterPodReader.summary(custom);

        assertThat(
                        List.of(
                                summary.passed,
                                summary.failed,
                                summary.heldOutPassed,
                                summary.heldOutFailed))
                .containsExactly(1, 1, 0, 1);
        assertThat(summary.resultsLeftOut).isNull();
    }

    @Test
    void heldOutTextInAReportNeverReachesStatusEventsOrFeedback() throws Exception {
        // A custom tester that names its held-out checks: the operator still carries counts alone.
        CheckResult heldOut =
                new CheckResult(
                        HELD_OUT_CANARY,
                        true,
                        false,
                        "POST /" + HELD_OUT_CANARY,
                        "expected \"" + HELD_OUT_CANARY + "\"");
        TestReport report =
                new TestReport(
                        false, true, 2, 2, List.of(heldOut, result("visible", false)), 0, null);

        PodVerdict verdict = TesterPodReader.read(testerPod(report, 1)).orElseThrow();
        AttemptStatus attempt = new AttemptStatus();
        attempt.number = 1;
        attempt.reason = verdict.reason().name();
        attempt.message = verdict.message();
        attempt.tests = TesterPodReader.summary(report);
        List<CheckFailure> failures = TesterPodReader.visibleFailures(report);
        attempt.failures = failures;

        String everything =
                verdict.message()
                        + JSON.writeValueAsString(attempt)
                        + JSON.writeValueAsString(RunInputs.feedback(attempt));
        assertThat(everything).doesNotContain(HELD_OUT_CANARY).contains("visible");
        assertThat(failures).extracting(f -> f.name).containsExactly("visible");
    }

    @Test
    void theAppsOutputIsLeftOutUnlessItsPodForwardsIt() {
        String unhealthy =
                "{\"ok\":false,\"healthy\":false,\"passed\":0,\"failed\":1,\"message\":\"no answer on /healthz\"}";
        Pod kept =
                pod(
                        "t",
                        "Running",
                        null,
                        List.of(),
                        List.of(
                                terminated("app", 1, "Error", "token=" + SECRET_CANARY),
                                terminated("tester", 2, "Error", unhealthy)));

        PodVerdict keptVerdict = TesterPodReader.read(kept).orElseThrow();
        PodVerdict forwardedVerdict = TesterPodReader.read(forwardingAppOutput(kept)).orElseThrow();

        assertThat(keptVerdict.reason()).isEqualTo(FailureReason.AppNeverHealthy);
        assertThat(keptVerdict.message())
                .isEqualTo("no answer on /healthz; the app exited with code 1")
                .doesNotContain(SECRET_CANARY);
        assertThat(forwardedVerdict.message())
                .endsWith("exited with code 1: token=" + SECRET_CANARY);
    }

    /** The pod as StationPods makes it for an intent with serve.forwardAppOutput: true. */
    static Pod forwardingAppOutput(Pod pod) {
        return new PodBuilder(pod)
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withTerminationMessagePolicy("FallbackToLogsOnError")
                .endContainer()
                .endSpec()
                .build();
    }

    private static Pod testerPod(TestReport report, int exitCode) throws Exception {
        return pod(
                "t",
                "Running",
                null,
                List.of(),
                List.of(
                        running("app"),
                        terminated("tester", exitCode, "Error", JSON.writeValueAsString(report))));
    }

    private static CheckResult result(String name, boolean ok) {
        return new CheckResult(
                name, false, ok, "GET /" + name, ok ? null : "expected status 200, got 404");
    }
}
