package dev.darkfactory.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * Tokens and cost of model calls, as the darkfactory-gateway metered them from the provider's
 * answers.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ModelUsage {

    @JsonPropertyDescription("Input (prompt) tokens, cache reads and writes included.")
    public Long inputTokens;

    @JsonPropertyDescription("Output (completion) tokens.")
    public Long outputTokens;

    @JsonPropertyDescription("Model calls forwarded.")
    public Long calls;

    @JsonPropertyDescription(
            "Cost from the GeneratorClass's pricing, as a decimal string; unset without pricing.")
    public String cost;

    @JsonPropertyDescription("Currency of cost.")
    public String currency;

    public ModelUsage() {}

    public ModelUsage(
            Long inputTokens, Long outputTokens, Long calls, String cost, String currency) {
        this.inputTokens = inputTokens;
        this.outputTokens = outputTokens;
        this.calls = calls;
        this.cost = cost;
        this.currency = currency;
    }
}
