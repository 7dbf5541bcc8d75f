package dev.darkfactory.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * A rollout in progress: a candidate revision running beside the serving one until it is verified
 * (a promotion), or a kept revision scaled up until it is Available (a rollback). The intent's
 * Service keeps selecting the serving revision until either is done.
 */
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

    @JsonPropertyDescription(
            "The candidate revision: its Deployment is <intent>-<revision>, its pods carry the label darkfactory.dev/revision.")
    public String revision;

    @JsonPropertyDescription(
            "True for a rollback to a kept revision (spec.serve.revision): it was verified before, so it is not verified again.")
    public Boolean rollback;

    public RolloutStatus() {}

    public RolloutStatus(String run, Integer attempt, String image, String startTime) {
        this.run = run;
        this.attempt = attempt;
        this.image = image;
        this.startTime = startTime;
    }

    public RolloutStatus(
            String revision,
            String run,
            Integer attempt,
            String image,
            String startTime,
            boolean rollback) {
        this(run, attempt, image, startTime);
        this.revision = revision;
        this.rollback = rollback ? Boolean.TRUE : null;
    }

    /** Whether this is a rollback to a kept revision (a method, not a bean property). */
    public boolean rollingBack() {
        return Boolean.TRUE.equals(rollback);
    }
}
