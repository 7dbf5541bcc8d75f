package dev.darkfactory.operator.run;

import dev.darkfactory.operator.api.v1alpha1.CheckFailure;
import dev.darkfactory.operator.api.v1alpha1.TestSummary;
import dev.darkfactory.operator.contract.CheckResult;
import dev.darkfactory.operator.contract.FailureReason;
import dev.darkfactory.operator.contract.StationOutcome;
import dev.darkfactory.operator.contract.TestReport;
import dev.darkfactory.operator.workload.AppOutput;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Optional;

/**
 * Reads the tester pod: the verdict is the {@code tester} container's terminated state and report,
 * even while {@code app} still runs. Empty while the tester works.
 *
 * <p>What it builds goes to status, Events and the next prompt, so it carries held-out results as
 * counts alone (even when a custom tester names them), and the app's own output only when the pod
 * says it may ({@link AppOutput}).
 */
public final class TesterPodReader {

    public static final String APP = "app";
    public static final String TESTER = "tester";

    private TesterPodReader() {}

    public static Optional<PodVerdict> read(Pod pod) {
        String name = pod.getMetadata().getName();
        Optional<ContainerStateTerminated> tester = PodStatuses.terminated(pod, TESTER);
        if (tester.isEmpty()) {
            return PodStatuses.podLevelFailure(pod, TESTER);
        }
        Optional<ContainerStateTerminated> app = PodStatuses.terminated(pod, APP);
        if (app.isPresent() && PodStatuses.oomKilled(app.get())) {
            return Optional.of(
                    PodVerdict.failed(
                            FailureReason.OOMKilled,
                            "the app in pod "
                                    + name
                                    + " ran out of memory; raise spec.serve.resources.limits.memory or make the app use less",
                            name,
                            APP));
        }
        if (tester.get().getExitCode() != TestReport.EXIT_PASSED
                && PodStatuses.oomKilled(tester.get())) {
            return Optional.of(
                    PodVerdict.failed(
                            FailureReason.OOMKilled,
                            "the tester in pod " + name + " ran out of memory",
                            name,
                            TESTER));
        }
        if (tester.get().getExitCode() == TestReport.EXIT_TESTER_FAILED) {
            String why =
                    PodStatuses.parse(tester.get(), StationOutcome.class)
                            .map(StationOutcome::message)
                            .orElseGet(() -> PodStatuses.shortMessage(tester.get().getMessage()));
            return Optional.of(
                    PodVerdict.failed(
                            FailureReason.TesterFailed,
                            "the tester could not run: " + why,
                            name,
                            TESTER));
        }
        Optional<TestReport> report = PodStatuses.parse(tester.get(), TestReport.class);
        if (report.isEmpty()) {
            return Optional.of(
                    PodVerdict.failed(
                            FailureReason.TesterFailed,
                            "the tester exited with code "
                                    + tester.get().getExitCode()
                                    + " and no report: "
                                    + PodStatuses.shortMessage(tester.get().getMessage()),
                            name,
                            TESTER));
        }
        return Optional.of(verdict(name, report.get(), app, AppOutput.forwarded(pod, APP)));
    }

    /**
     * The report's counts from its totals, never from {@code results}, which may be cut to fit the
     * termination message. A report that does not count held-out runs itself (a custom tester's)
     * has them counted from the results it marks as held out.
     */
    public static TestSummary summary(TestReport report) {
        List<CheckResult> results = report.results() == null ? List.of() : report.results();
        int heldOutPassed =
                report.countsHeldOut()
                        ? orZero(report.heldOutPassed())
                        : (int) results.stream().filter(r -> r.ok() && r.holdout()).count();
        int heldOutFailed =
                report.countsHeldOut()
                        ? orZero(report.heldOutFailed())
                        : (int) results.stream().filter(r -> !r.ok() && r.holdout()).count();
        TestSummary summary =
                new TestSummary(
                        Math.max(0, report.passed() - heldOutPassed),
                        Math.max(0, report.failed() - heldOutFailed),
                        heldOutPassed,
                        heldOutFailed);
        summary.resultsLeftOut = report.truncated() > 0 ? report.truncated() : null;
        return summary;
    }

    /** The visible failures in full, for status and the next prompt; held-out ones never. */
    public static List<CheckFailure> visibleFailures(TestReport report) {
        return report.results() == null
                ? List.of()
                : report.results().stream()
                        .filter(r -> !r.ok() && !r.holdout())
                        .map(r -> new CheckFailure(r.name(), r.request(), r.reason()))
                        .toList();
    }

    private static PodVerdict verdict(
            String pod,
            TestReport report,
            Optional<ContainerStateTerminated> app,
            boolean appOutputForwarded) {
        if (!report.healthy()) {
            // The tester sends no check before the app is healthy, so its output holds no held-out
            // request.
            String appState =
                    app.map(
                                    a ->
                                            "; the app exited with code "
                                                    + a.getExitCode()
                                                    + (appOutputForwarded
                                                                    && a.getMessage() != null
                                                                    && !a.getMessage().isBlank()
                                                            ? ": "
                                                                    + PodStatuses.shortMessage(
                                                                            a.getMessage())
                                                            : ""))
                            .orElse("");
            String message =
                    (report.message() != null
                                    ? report.message()
                                    : "the app never answered its health path")
                            + appState;
            return new PodVerdict(
                    false, FailureReason.AppNeverHealthy, message, pod, APP, null, report);
        }
        if (report.ok() && report.failed() == 0) {
            return new PodVerdict(
                    true, null, report.passed() + " checks passed", pod, TESTER, null, report);
        }
        TestSummary counts = summary(report);
        int total = report.passed() + report.failed();
        FailureReason reason =
                counts.failed == 0 && counts.heldOutFailed > 0
                        ? FailureReason.HeldOutChecksFailed
                        : FailureReason.ChecksFailed;
        String message =
                report.failed()
                        + " of "
                        + total
                        + " checks failed"
                        + (counts.heldOutFailed > 0
                                ? " (" + counts.heldOutFailed + " held out)"
                                : "")
                        + firstVisibleFailure(report)
                        + (report.truncated() > 0
                                ? "; the report left out " + report.truncated() + " results to fit"
                                : "");
        return new PodVerdict(false, reason, message, pod, TESTER, null, report);
    }

    private static String firstVisibleFailure(TestReport report) {
        return visibleFailures(report).stream()
                .findFirst()
                .map(f -> ": first is " + f.name)
                .orElse("");
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }
}
