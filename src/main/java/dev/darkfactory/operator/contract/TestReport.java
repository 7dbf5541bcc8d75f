package dev.darkfactory.operator.contract;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The tester's report, from the termination message of container {@code tester}.
 *
 * <p>{@code passed} and {@code failed} count every run of a check or scenario (visible and held
 * out, over every trial); {@code heldOutPassed} and {@code heldOutFailed} are the held-out part of
 * them. {@code results} lists visible checks and scenarios only: held-out ones never appear by
 * name, request or reason, so nothing of them leaves the tester container but these counts. A
 * custom test image may leave the held-out counts out and mark held-out results instead; then the
 * operator counts those. {@code results} may be cut to fit 4096 bytes: {@code truncated} says how
 * many were left out, and the counts stay complete. {@code trials} and {@code trialsPassed} say in
 * how many trials every check and scenario passed.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record TestReport(
        boolean ok,
        boolean healthy,
        int passed,
        int failed,
        Integer heldOutPassed,
        Integer heldOutFailed,
        Integer trials,
        Integer trialsPassed,
        List<CheckResult> results,
        int truncated,
        String message) {

    public static final int EXIT_PASSED = 0;
    public static final int EXIT_CHECKS_FAILED = 1;
    public static final int EXIT_NEVER_HEALTHY = 2;

    /**
     * The tester could not run at all; its termination message is a StationOutcome, not a report.
     */
    public static final int EXIT_TESTER_FAILED = 3;

    /**
     * A report in the form custom test images write: held-out results marked in {@code results}.
     */
    public TestReport(
            boolean ok,
            boolean healthy,
            int passed,
            int failed,
            List<CheckResult> results,
            int truncated,
            String message) {
        this(ok, healthy, passed, failed, null, null, null, null, results, truncated, message);
    }

    /** Whether the report counts held-out runs itself, as the built-in tester does. */
    public boolean countsHeldOut() {
        return heldOutPassed != null || heldOutFailed != null;
    }
}
