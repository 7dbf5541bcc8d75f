package dev.darkfactory.operator.contract;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The tester's report, from the termination message of container {@code tester}. {@code passed}
 * and {@code failed} count every check (visible and held-out); {@code results} may be cut to fit
 * 4096 bytes, {@code truncated} says how many results were left out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record TestReport(boolean ok, boolean healthy, int passed, int failed, List<CheckResult> results,
        int truncated, String message) {

    public static final int EXIT_PASSED = 0;
    public static final int EXIT_CHECKS_FAILED = 1;
    public static final int EXIT_NEVER_HEALTHY = 2;
    /** The tester could not run at all; its termination message is a StationOutcome, not a report. */
    public static final int EXIT_TESTER_FAILED = 3;
}
