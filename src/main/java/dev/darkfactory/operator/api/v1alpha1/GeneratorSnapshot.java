package dev.darkfactory.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/**
 * The GeneratorClass a run uses, copied when the run starts so that later edits of the class do not
 * rewrite history.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GeneratorSnapshot {

    @Required
    @JsonPropertyDescription("Name of the GeneratorClass.")
    public String className;

    @JsonPropertyDescription("metadata.generation of the class when it was copied.")
    public Long classGeneration;

    @Required
    @JsonPropertyDescription("The class's spec as it was when the run started.")
    public GeneratorClassSpec spec;

    public GeneratorSnapshot() {}

    public GeneratorSnapshot(String className, Long classGeneration, GeneratorClassSpec spec) {
        this.className = className;
        this.classGeneration = classGeneration;
        this.spec = spec;
    }
}
