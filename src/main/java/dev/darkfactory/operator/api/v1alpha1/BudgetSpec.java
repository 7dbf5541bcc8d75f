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
@ValidationRule(value = "!has(self.attemptTimeout) || (duration(self.attemptTimeout) >= duration('1m') && duration(self.attemptTimeout) <= duration('24h'))",
        message = "attemptTimeout must be between 1m and 24h")
public class BudgetSpec {

    @Default("3")
    @Min(1)
    @Max(20)
    @JsonPropertyDescription("Attempts per run (generate, build, test) before the run fails.")
    public Integer maxAttempts = 3;

    @Default("20m")
    @Pattern(Validation.DURATION)
    @JsonPropertyDescription("Deadline of each attempt's pods (activeDeadlineSeconds), as a duration such as 15m.")
    public String attemptTimeout = "20m";

    @Min(1)
    @JsonPropertyDescription("Tokens the generators of one run may use in total, as they report them; unset means no limit.")
    public Long maxTokens;
}
