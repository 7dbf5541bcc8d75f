package dev.darkfactory.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** What one run spent within a ModelBudget's current period. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RunSpend {

    @JsonPropertyDescription("Name of the FactoryRun.")
    public String run;

    @JsonPropertyDescription(
            "UID of the FactoryRun: a run made again under the same name is another.")
    public String uid;

    @JsonPropertyDescription("Tokens of the run's attempts that started in the period.")
    public Long tokens;

    @JsonPropertyDescription(
            "Cost of those attempts in the budget's currency, as a decimal string; unset when none is priced in it.")
    public String cost;

    public RunSpend() {}

    public RunSpend(String run, String uid, Long tokens, String cost) {
        this.run = run;
        this.uid = uid;
        this.tokens = tokens;
        this.cost = cost;
    }
}
