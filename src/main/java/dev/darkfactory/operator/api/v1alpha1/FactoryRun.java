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
 * One generation of an intent being built: attempts, pods, images, test reports, token use. Written
 * by the operator.
 */
@Group(GeneratorClass.GROUP)
@Version(GeneratorClass.VERSION)
@ShortNames({"frun", "fruns"})
@Categories("darkfactory")
@AdditionalPrinterColumn(
        name = "Intent",
        jsonPath = ".spec.intentName",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
        name = "Generation",
        jsonPath = ".spec.intentGeneration",
        type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
        name = "Trigger",
        jsonPath = ".spec.trigger",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
        name = "Phase",
        jsonPath = ".status.phase",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
        name = "Attempts",
        jsonPath = ".status.currentAttempt",
        type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
        name = "Reason",
        jsonPath = ".status.reason",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
        name = "Satisfaction",
        jsonPath = ".status.satisfaction.value",
        type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(
        name = "Image",
        jsonPath = ".status.image",
        type = AdditionalPrinterColumn.Type.STRING,
        priority = 1)
@AdditionalPrinterColumn(
        name = "Age",
        jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
public class FactoryRun extends CustomResource<FactoryRunSpec, FactoryRunStatus>
        implements Namespaced {

    @Override
    @Required
    @JsonPropertyDescription(
            "Immutable snapshot of the intent generation and generator this run builds.")
    public FactoryRunSpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription(
            "Progress of the run: attempts, pods, images, test results, token use.")
    public FactoryRunStatus getStatus() {
        return super.getStatus();
    }

    @Override
    protected FactoryRunStatus initStatus() {
        return new FactoryRunStatus();
    }
}
