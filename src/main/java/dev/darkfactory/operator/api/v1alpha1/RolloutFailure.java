package dev.darkfactory.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * A passing image that did not become Available and was rolled back. The run it came from reads
 * this record from its intent's status and turns it into a failed attempt, with the message as the
 * next attempt's feedback.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RolloutFailure {

    @JsonPropertyDescription("The FactoryRun whose image failed to roll out.")
    public String run;

    @JsonPropertyDescription("The attempt of that run that passed its checks with the image.")
    public Integer attempt;

    @JsonPropertyDescription("The image that failed to roll out, by digest.")
    public String image;

    @JsonPropertyDescription("Why the new revision did not become Available, from its pods.")
    public String message;

    public RolloutFailure() {}

    public RolloutFailure(String run, Integer attempt, String image, String message) {
        this.run = run;
        this.attempt = attempt;
        this.image = image;
        this.message = message;
    }

    /** Whether this failure is about the given attempt of the given run. */
    public boolean of(String runName, Integer attemptNumber) {
        return run != null
                && run.equals(runName)
                && attempt != null
                && attempt.equals(attemptNumber);
    }
}
