package dev.darkfactory.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** What a namespace spent in the current period. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ModelBudgetStatus {

    @JsonPropertyDescription("The metadata.generation this status describes.")
    public Long observedGeneration;

    @JsonPropertyDescription("Start of the current period (RFC 3339, UTC).")
    public String periodStart;

    @JsonPropertyDescription("Tokens the namespace's runs used in the current period.")
    public Long spentTokens;

    @JsonPropertyDescription(
            "What the namespace's model calls cost in the current period, in spec.currency, as a decimal string.")
    public String spentCost;

    @JsonPropertyDescription(
            "Spend of each run in the current period, so that a run deleted meanwhile still counts; only runs that spent something.")
    public List<RunSpend> runs = new ArrayList<>();

    @JsonPropertyDescription(
            "Exhausted (True once a limit is reached: new runs of the namespace wait) and Ready.")
    public List<Condition> conditions = new ArrayList<>();
}
