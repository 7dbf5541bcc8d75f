package dev.darkfactory.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;

/** CPU and memory amounts, written as Kubernetes quantities. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ResourceAmounts {

    @Pattern(Validation.QUANTITY)
    @JsonPropertyDescription("CPU, for example 250m or 1.")
    public String cpu;

    @Pattern(Validation.QUANTITY)
    @JsonPropertyDescription("Memory, for example 256Mi or 1Gi.")
    public String memory;

    public ResourceAmounts() {}

    public ResourceAmounts(String cpu, String memory) {
        this.cpu = cpu;
        this.memory = memory;
    }
}
