package dev.darkfactory.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A rollout in progress: the passing image moving into the Deployment, and what it replaces. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RolloutStatus {

    @JsonPropertyDescription("The FactoryRun whose image rolls out.")
    public String run;

    @JsonPropertyDescription("The attempt of that run that passed.")
    public Integer attempt;

    @JsonPropertyDescription("The image rolling out, by digest.")
    public String image;

    @JsonPropertyDescription(
            "When the rollout started (RFC 3339); it fails after spec.serve.rolloutTimeout.")
    public String startTime;

    public RolloutStatus() {}

    public RolloutStatus(String run, Integer attempt, String image, String startTime) {
        this.run = run;
        this.attempt = attempt;
        this.image = image;
        this.startTime = startTime;
    }
}
