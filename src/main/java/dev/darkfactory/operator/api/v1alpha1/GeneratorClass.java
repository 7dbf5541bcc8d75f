package dev.darkfactory.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * How a generator runs, set up by the cluster admin. Cluster-scoped, like StorageClass; the class
 * annotated {@value Annotations#DEFAULT_CLASS}{@code =true} serves intents that name none.
 */
@Group(GeneratorClass.GROUP)
@Version(GeneratorClass.VERSION)
@ShortNames("genclass")
@Categories("darkfactory")
@AdditionalPrinterColumn(
        name = "Image",
        jsonPath = ".spec.image",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
        name = "Default",
        jsonPath = ".metadata.annotations.darkfactory\\.dev/is-default-class",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
        name = "Age",
        jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
public class GeneratorClass extends CustomResource<GeneratorClassSpec, Void> {

    @Override
    @Required
    @JsonPropertyDescription(
            "How the generator runs: image, command, environment, resources, timeout, allowed base images.")
    public GeneratorClassSpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription("Unused: a GeneratorClass carries no status.")
    public Void getStatus() {
        return super.getStatus();
    }

    public static final String GROUP = "darkfactory.dev";
    public static final String VERSION = "v1alpha1";

    /** Whether the cluster admin marked this class as the default, like a default StorageClass. */
    public boolean markedDefault() {
        var annotations = getMetadata().getAnnotations();
        return annotations != null
                && "true".equalsIgnoreCase(annotations.get(Annotations.DEFAULT_CLASS));
    }
}
