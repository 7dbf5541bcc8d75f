package dev.darkfactory.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Counts of an attempt's test report (from its totals); held-out checks are counted apart. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TestSummary {

    @JsonPropertyDescription("Visible checks that passed.")
    public int passed;

    @JsonPropertyDescription("Visible checks that failed.")
    public int failed;

    @JsonPropertyDescription("Held-out checks that passed.")
    public int heldOutPassed;

    @JsonPropertyDescription("Held-out checks that failed.")
    public int heldOutFailed;

    @JsonPropertyDescription(
            "Results the tester left out of its report to fit the termination message; the counts above are complete, the list of failures is not.")
    public Integer resultsLeftOut;

    public TestSummary() {}

    public TestSummary(int passed, int failed, int heldOutPassed, int heldOutFailed) {
        this.passed = passed;
        this.failed = failed;
        this.heldOutPassed = heldOutPassed;
        this.heldOutFailed = heldOutFailed;
    }
}
