package dev.darkfactory.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;

/** Hints for the generator: how the software should be built, not what it must do. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Constraints {

    @Size(max = 64)
    @JsonPropertyDescription("Programming language, for example python, go or java.")
    public String language;

    @Size(max = 128)
    @JsonPropertyDescription(
            "Runtime or framework, for example 'python3 standard library only' or 'Quarkus'.")
    public String runtime;

    @Size(max = 8192)
    @JsonPropertyDescription("Free notes passed to the generator as they are.")
    public String notes;
}
