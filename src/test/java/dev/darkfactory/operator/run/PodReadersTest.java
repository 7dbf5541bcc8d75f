package dev.darkfactory.operator.run;

import static dev.darkfactory.operator.run.RunFixtures.pod;
import static dev.darkfactory.operator.run.RunFixtures.running;
import static dev.darkfactory.operator.run.RunFixtures.terminated;
import static org.assertj.core.api.Assertions.assertThat;

import dev.darkfactory.operator.contract.FailureReason;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Classifying what the kubelet reported into the documented failure reasons. */
class PodReadersTest {

    private static final String REPORT =
            "{\"station\":\"report\",\"ok\":true,\"image\":\"r/x@sha256:1\",\"tokens\":7}";

    @Test
    void generatorStillWorkingHasNoVerdict() {
        var pod =
                pod(
                        "g",
                        "Pending",
                        null,
                        List.of(terminated("prepare", 0, null, null), running("generate")),
                        List.of());

        assertThat(GeneratorPodReader.read(pod)).isEmpty();
    }

    @Test
    void generatorThatFinishedReportsItsImage() {
        var pod =
                pod(
                        "g",
                        "Succeeded",
                        null,
                        List.of(
                                terminated("prepare", 0, null, null),
                                terminated("generate", 0, null, null),
                                terminated("build", 0, null, null)),
                        List.of(terminated("report", 0, null, REPORT)));

        var result = GeneratorPodReader.read(pod).orElseThrow();

        assertThat(result.passed()).isTrue();
        assertThat(result.outcome().image()).isEqualTo("r/x@sha256:1");
        assertThat(result.outcome().tokens()).isEqualTo(7L);
    }

    @Test
    void theFirstStationThatFailedIsAtFaultWithTheReasonItReported() {
        var pod =
                pod(
                        "g",
                        "Failed",
                        null,
                        List.of(
                                terminated("prepare", 0, null, null),
                                terminated("generate", 0, null, null),
                                terminated(
                                        "build",
                                        1,
                                        "Error",
                                        "{\"station\":\"build\",\"ok\":false,\"reason\":\"PushFailed\",\"message\":\"registry said 401\"}")),
                        List.of());

        var result = GeneratorPodReader.read(pod).orElseThrow();

        assertThat(result.reason()).isEqualTo(FailureReason.PushFailed);
        assertThat(result.container()).isEqualTo("build");
        assertThat(result.message()).isEqualTo("registry said 401");
    }

    @Test
    void aGeneratorWithoutJsonFailsWithItsLastLogLines() {
        var pod =
                pod(
                        "g",
                        "Failed",
                        null,
                        List.of(
                                terminated("prepare", 0, null, null),
                                terminated(
                                        "generate",
                                        2,
                                        "Error",
                                        "Traceback: model endpoint refused")),
                        List.of());

        var result = GeneratorPodReader.read(pod).orElseThrow();

        assertThat(result.reason()).isEqualTo(FailureReason.GeneratorFailed);
        assertThat(result.message()).contains("exited with code 2", "model endpoint refused");
    }

    @Test
    void outOfMemoryDeadlineAndEvictionAreTheirOwnReasons() {
        var oom =
                pod(
                        "g",
                        "Failed",
                        null,
                        List.of(
                                terminated("prepare", 0, null, null),
                                terminated("generate", 137, "OOMKilled", "")),
                        List.of());
        var deadline =
                pod(
                        "g",
                        "Failed",
                        "DeadlineExceeded",
                        List.of(terminated("prepare", 0, null, null)),
                        List.of());
        var evicted = pod("t", "Failed", "Evicted", List.of(), List.of(running("app")));

        assertThat(GeneratorPodReader.read(oom).orElseThrow().reason())
                .isEqualTo(FailureReason.OOMKilled);
        assertThat(GeneratorPodReader.read(deadline).orElseThrow().reason())
                .isEqualTo(FailureReason.DeadlineExceeded);
        assertThat(GeneratorPodReader.read(deadline).orElseThrow().container())
                .isEqualTo("generate");
        assertThat(InfraFailures.of(evicted).orElseThrow().reason())
                .isEqualTo(FailureReason.PodEvicted);
    }

    @Test
    void testerVerdictIsReadWhileTheAppStillRuns() {
        var passed =
                pod(
                        "t",
                        "Running",
                        null,
                        List.of(),
                        List.of(
                                running("app"),
                                terminated(
                                        "tester",
                                        0,
                                        "Completed",
                                        "{\"ok\":true,\"healthy\":true,\"passed\":3,\"failed\":0}")));

        assertThat(TesterPodReader.read(passed).orElseThrow().passed()).isTrue();
        assertThat(
                        TesterPodReader.read(
                                pod(
                                        "t",
                                        "Running",
                                        null,
                                        List.of(),
                                        List.of(running("app"), running("tester")))))
                .isEmpty();
    }

    @Test
    void onlyHeldOutFailuresAreHeldOutChecksFailedAndNeverNamed() {
        var pod =
                pod(
                        "t",
                        "Running",
                        null,
                        List.of(),
                        List.of(
                                running("app"),
                                terminated(
                                        "tester",
                                        1,
                                        "Error",
                                        "{\"ok\":false,\"healthy\":true,\"passed\":2,\"failed\":1,\"results\":[{\"name\":\"secret-check\",\"holdout\":true,\"ok\":false,\"reason\":\"got 500\"}]}")));

        var result = TesterPodReader.read(pod).orElseThrow();

        assertThat(result.reason()).isEqualTo(FailureReason.HeldOutChecksFailed);
        assertThat(result.message())
                .isEqualTo("1 of 3 checks failed (1 held out)")
                .doesNotContain("secret-check");
    }

    @Test
    void aTesterThatCouldNotRunIsNotAVerdictOnTheApp() {
        var pod =
                pod(
                        "t",
                        "Running",
                        null,
                        List.of(),
                        List.of(
                                running("app"),
                                terminated(
                                        "tester",
                                        3,
                                        "Error",
                                        "{\"station\":\"test\",\"ok\":false,\"reason\":\"TesterFailed\",\"message\":\"/checks/visible.json is not a JSON array\"}")));

        var result = TesterPodReader.read(pod).orElseThrow();

        assertThat(result.reason()).isEqualTo(FailureReason.TesterFailed);
        assertThat(result.message()).contains("/checks/visible.json is not a JSON array");
    }

    @Test
    void anAppThatNeverBecameHealthyCarriesItsExit() {
        var pod =
                TesterPodReaderTest.forwardingAppOutput(
                        pod(
                                "t",
                                "Running",
                                null,
                                List.of(),
                                List.of(
                                        terminated("app", 1, "Error", "ImportError: flask"),
                                        terminated(
                                                "tester",
                                                2,
                                                "Error",
                                                "{\"ok\":false,\"healthy\":false,\"passed\":0,\"failed\":0,\"message\":\"no answer on /healthz in 60s\"}"))));

        var result = TesterPodReader.read(pod).orElseThrow();

        assertThat(result.reason()).isEqualTo(FailureReason.AppNeverHealthy);
        assertThat(result.container()).isEqualTo("app");
        assertThat(result.message())
                .contains("no answer on /healthz", "exited with code 1", "ImportError: flask");
    }
}
