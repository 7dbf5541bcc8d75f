package dev.darkfactory.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/**
 * What the model costs, so that the gateway can compute the cost of each call and enforce
 * budget.maxCost.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ModelPricing {

    @Required
    @Pattern(Validation.DECIMAL)
    @JsonPropertyDescription(
            "Price of one million input tokens, as a decimal string such as \"3.00\".")
    public String inputPerMillion;

    @Required
    @Pattern(Validation.DECIMAL)
    @JsonPropertyDescription(
            "Price of one million output tokens, as a decimal string such as \"15.00\".")
    public String outputPerMillion;

    @Default("USD")
    @Pattern("^[A-Z]{3}$")
    @JsonPropertyDescription("ISO 4217 currency of the prices and of budget.maxCost.")
    public String currency = "USD";

    public ModelPricing() {}

    public ModelPricing(String inputPerMillion, String outputPerMillion, String currency) {
        this.inputPerMillion = inputPerMillion;
        this.outputPerMillion = outputPerMillion;
        this.currency = currency;
    }
}
