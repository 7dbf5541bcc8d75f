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

/** A desired application: what it must do, the checks it must pass, how to serve it. */
@Group(GeneratorClass.GROUP)
@Version(GeneratorClass.VERSION)
@ShortNames({"intent", "intents", "sint"})
@Categories("darkfactory")
@AdditionalPrinterColumn(
        name = "Phase",
        jsonPath = ".status.phase",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
        name = "Attempts",
        jsonPath = ".status.attempts",
        type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
        name = "Image",
        jsonPath = ".status.servingImage",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
        name = "Revision",
        jsonPath = ".status.servingRevision",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
        name = "Satisfaction",
        jsonPath = ".status.satisfaction.value",
        type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(
        name = "Ready",
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
        name = "Age",
        jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
public class SoftwareIntent extends CustomResource<SoftwareIntentSpec, SoftwareIntentStatus>
        implements Namespaced {

    @Override
    @Required
    @JsonPropertyDescription(
            "The desired application, written by the user. The operator never writes it.")
    public SoftwareIntentSpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription(
            "What the operator observed and did, following the Kubernetes API conventions.")
    public SoftwareIntentStatus getStatus() {
        return super.getStatus();
    }

    @Override
    protected SoftwareIntentStatus initStatus() {
        return new SoftwareIntentStatus();
    }
}
