package dev.darkfactory.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * What the model calls of all runs of one namespace may spend per UTC day or month. Once spent, new
 * runs of the namespace wait (Queued, reason NamespaceBudgetExhausted) until the period rolls over
 * or the budget is raised; runs already in flight keep only their own budget.
 */
@Group(GeneratorClass.GROUP)
@Version(GeneratorClass.VERSION)
@ShortNames({"mbudget", "mbudgets"})
@Categories("darkfactory")
@AdditionalPrinterColumn(
        name = "Period",
        jsonPath = ".spec.period",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
        name = "Spent-Cost",
        jsonPath = ".status.spentCost",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
        name = "Max-Cost",
        jsonPath = ".spec.maxCost",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
        name = "Spent-Tokens",
        jsonPath = ".status.spentTokens",
        type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
        name = "Max-Tokens",
        jsonPath = ".spec.maxTokens",
        type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
        name = "Exhausted",
        jsonPath = ".status.conditions[?(@.type==\"Exhausted\")].status",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
        name = "Age",
        jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
public class ModelBudget extends CustomResource<ModelBudgetSpec, ModelBudgetStatus>
        implements Namespaced {

    @Override
    @Required
    @JsonPropertyDescription("The period and the limits: maxCost, maxTokens or both.")
    public ModelBudgetSpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription(
            "What the namespace's runs spent in the current period, as the operator counted it.")
    public ModelBudgetStatus getStatus() {
        return super.getStatus();
    }

    @Override
    protected ModelBudgetStatus initStatus() {
        return new ModelBudgetStatus();
    }
}
