package dev.darkfactory.operator.run;

import dev.darkfactory.operator.contract.FailureReason;
import java.util.Optional;

import dev.darkfactory.operator.contract.CheckResult;
import dev.darkfactory.operator.contract.StationOutcome;
import dev.darkfactory.operator.contract.TestReport;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.Pod;

/**
 * Reads the tester pod: the verdict is the {@code tester} container's terminated state and
 * report, even while {@code app} still runs. Empty while the tester works.
 */
public final class TesterPodReader {

    public static final String APP = "app";
    public static final String TESTER = "tester";

    private TesterPodReader() {
    }

    public static Optional<PodVerdict> read(Pod pod) {
        String name = pod.getMetadata().getName();
        Optional<ContainerStateTerminated> tester = PodStatuses.terminated(pod, TESTER);
        if (tester.isEmpty()) {
            return PodStatuses.podLevelFailure(pod, TESTER);
        }
        Optional<ContainerStateTerminated> app = PodStatuses.terminated(pod, APP);
        if (app.isPresent() && PodStatuses.oomKilled(app.get())) {
            return Optional.of(PodVerdict.failed(FailureReason.OOMKilled, "the app in pod " + name
                    + " ran out of memory; raise spec.serve.resources.limits.memory or make the app use less", name, APP));
        }
        if (tester.get().getExitCode() != TestReport.EXIT_PASSED && PodStatuses.oomKilled(tester.get())) {
            return Optional.of(PodVerdict.failed(FailureReason.OOMKilled, "the tester in pod " + name
                    + " ran out of memory", name, TESTER));
        }
        if (tester.get().getExitCode() == TestReport.EXIT_TESTER_FAILED) {
            String why = PodStatuses.parse(tester.get(), StationOutcome.class).map(StationOutcome::message)
                    .orElseGet(() -> PodStatuses.shortMessage(tester.get().getMessage()));
            return Optional.of(PodVerdict.failed(FailureReason.TesterFailed, "the tester could not run: " + why, name, TESTER));
        }
        Optional<TestReport> report = PodStatuses.parse(tester.get(), TestReport.class);
        if (report.isEmpty()) {
            return Optional.of(PodVerdict.failed(FailureReason.TesterFailed, "the tester exited with code "
                    + tester.get().getExitCode() + " and no report: " + PodStatuses.shortMessage(tester.get().getMessage()),
                    name, TESTER));
        }
        return Optional.of(verdict(name, report.get(), app));
    }

    private static PodVerdict verdict(String pod, TestReport report, Optional<ContainerStateTerminated> app) {
        if (!report.healthy()) {
            String appState = app.map(a -> "; the app exited with code " + a.getExitCode() + ": "
                    + PodStatuses.shortMessage(a.getMessage())).orElse("");
            String message = (report.message() != null ? report.message() : "the app never answered its health path") + appState;
            return new PodVerdict(false, FailureReason.AppNeverHealthy, message, pod, APP, null, report);
        }
        if (report.ok() && report.failed() == 0) {
            return new PodVerdict(true, null, report.passed() + " checks passed", pod, TESTER, null, report);
        }
        long visibleFailed = report.results() == null ? 0
                : report.results().stream().filter(r -> !r.ok() && !r.holdout()).count();
        long heldOutFailed = report.results() == null ? 0
                : report.results().stream().filter(r -> !r.ok() && r.holdout()).count();
        FailureReason reason = visibleFailed == 0 && heldOutFailed > 0 ? FailureReason.HeldOutChecksFailed
                : FailureReason.ChecksFailed;
        String message = report.failed() + " of " + (report.passed() + report.failed()) + " checks failed"
                + (visibleFailed > 0 ? ": " + firstVisibleFailure(report) : "");
        return new PodVerdict(false, reason, message, pod, TESTER, null, report);
    }

    private static String firstVisibleFailure(TestReport report) {
        return report.results().stream().filter(r -> !r.ok() && !r.holdout()).findFirst()
                .map(CheckResult::name).map(n -> "first is " + n).orElse("");
    }
}
