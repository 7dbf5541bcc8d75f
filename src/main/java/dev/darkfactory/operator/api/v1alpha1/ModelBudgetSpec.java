package dev.darkfactory.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** The limits of a ModelBudget. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "has(self.maxCost) || has(self.maxTokens)",
        message = "set maxCost, maxTokens or both")
public class ModelBudgetSpec {

    @Required
    @JsonPropertyDescription(
            "Day or Month: the UTC calendar day or month spend is counted in; it starts from zero at each period's start.")
    public BudgetPeriod period;

    @Pattern(Validation.DECIMAL)
    @JsonPropertyDescription(
            "Money the namespace's model calls may cost per period, in currency, as a decimal string such as \"50.00\". Only runs whose GeneratorClass prices calls in this currency count towards it.")
    public String maxCost;

    @Default("USD")
    @Pattern("^[A-Z]{3}$")
    @JsonPropertyDescription("ISO 4217 currency of maxCost.")
    public String currency = "USD";

    @Min(1)
    @JsonPropertyDescription("Tokens (input and output) the namespace's runs may use per period.")
    public Long maxTokens;

    public ModelBudgetSpec() {}

    public ModelBudgetSpec(BudgetPeriod period, String maxCost, Long maxTokens) {
        this.period = period;
        this.maxCost = maxCost;
        this.maxTokens = maxTokens;
    }
}
