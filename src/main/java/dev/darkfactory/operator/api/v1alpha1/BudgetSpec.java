package dev.darkfactory.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/** What one run may spend before it stops with a reason that names the budget. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value =
                "!has(self.attemptTimeout) || (duration(self.attemptTimeout) >= duration('1m') && duration(self.attemptTimeout) <= duration('24h'))",
        message = "attemptTimeout must be between 1m and 24h")
public class BudgetSpec {

    @Default("3")
    @Min(1)
    @Max(20)
    @JsonPropertyDescription("Attempts per run (generate, build, test) before the run fails.")
    public Integer maxAttempts = 3;

    @Default("20m")
    @Pattern(Validation.DURATION)
    @JsonPropertyDescription(
            "Deadline of each attempt's pods (activeDeadlineSeconds), as a duration such as 15m.")
    public String attemptTimeout = "20m";

    @Min(1)
    @JsonPropertyDescription(
            "Tokens the generators of one run may use in total (counted by the gateway for classes with a provider, else as the generators report them); unset means no limit.")
    public Long maxTokens;

    @Pattern(Validation.DECIMAL)
    @JsonPropertyDescription(
            "Money the model calls of one run may cost in total, in the currency of the GeneratorClass's pricing, as a decimal string such as \"5.00\"; the gateway refuses calls past it. Unset means no limit.")
    public String maxCost;
}
