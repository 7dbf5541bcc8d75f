package dev.darkfactory.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * Satisfaction of an attempt (docs/gate.md): the share of its trials in which every check and
 * scenario passed, with its 95 % Wilson interval, against the spec's minimum. Shares are rounded to
 * two decimals, the interval outwards, so it never claims more than the trials show.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SatisfactionStatus {

    @JsonPropertyDescription(
            "Share of the trials run in which every check and scenario passed, from 0 to 1.")
    public Double value;

    @JsonPropertyDescription("Lower bound of the 95 % Wilson score interval of the share.")
    public Double low;

    @JsonPropertyDescription("Upper bound of the 95 % Wilson score interval of the share.")
    public Double high;

    @JsonPropertyDescription("Trials in which every check and scenario passed.")
    public int trialsPassed;

    @JsonPropertyDescription(
            "Trials that reached a verdict; fewer than trials when the gate failed early, once the minimum could no longer be reached.")
    public int trialsRun;

    @JsonPropertyDescription("Trials the spec asks for (spec.acceptance.trials).")
    public int trials;

    @JsonPropertyDescription(
            "The minimum the attempt had to reach (spec.acceptance.minSatisfaction).")
    public Double minSatisfaction;
}
