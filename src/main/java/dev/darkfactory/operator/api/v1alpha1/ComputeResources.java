package dev.darkfactory.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Requests and limits of a container, as in a pod spec but limited to CPU and memory. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ComputeResources {

    @JsonPropertyDescription("What the container is guaranteed.")
    public ResourceAmounts requests;

    @JsonPropertyDescription("What the container may use at most; memory beyond it is OOM-killed.")
    public ResourceAmounts limits;

    public ComputeResources() {}

    public ComputeResources(ResourceAmounts requests, ResourceAmounts limits) {
        this.requests = requests;
        this.limits = limits;
    }
}
