package dev.darkfactory.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Nullable;
import java.util.ArrayList;
import java.util.List;

/** Progress and outcome of a run. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FactoryRunStatus {

    @JsonPropertyDescription("The metadata.generation this status describes.")
    public Long observedGeneration;

    @JsonPropertyDescription(
            "Queued, Running, Blocked (an infrastructure failure holds it; it retries at retryAt), Succeeded, Failed or Cancelled.")
    public RunPhase phase;

    @JsonPropertyDescription("Succeeded, Ready, Reconciling and Stalled.")
    public List<Condition> conditions = new ArrayList<>();

    @JsonPropertyDescription("Number of the attempt in progress or last made.")
    public Integer currentAttempt;

    @JsonPropertyDescription("One record per attempt, oldest first.")
    public List<AttemptStatus> attempts = new ArrayList<>();

    @JsonPropertyDescription("Tokens used by all attempts, as the generators reported them.")
    public Long tokensUsed;

    @JsonPropertyDescription(
            "Model usage of all attempts as the gateway counted it (classes with a provider).")
    public ModelUsage usage;

    @Nullable
    @JsonPropertyDescription("The image that passed, by digest.")
    public String image;

    @Nullable
    @JsonPropertyDescription(
            "Satisfaction of the latest attempt that reached a verdict in its trials (of the image that passed, once the run succeeded).")
    public SatisfactionStatus satisfaction;

    @Nullable
    @JsonPropertyDescription(
            "Reason of the final phase, or of the infrastructure failure that blocks the run, from the documented reason table.")
    public String reason;

    @Nullable
    @JsonPropertyDescription(
            "Explanation of the final phase, or of what blocks the run; names the object at fault.")
    public String message;

    @Nullable
    @JsonPropertyDescription(
            "Infrastructure failures in a row (missing Secret, unpullable image, unschedulable pod, quota, eviction, outage); none are charged as attempts.")
    public Integer infrastructureFailures;

    @Nullable
    @JsonPropertyDescription("When a Blocked run tries again (RFC 3339).")
    public String retryAt;

    @JsonPropertyDescription("When the run left the queue (RFC 3339).")
    public String startTime;

    @Nullable
    @JsonPropertyDescription("When the run reached a final phase (RFC 3339).")
    public String completionTime;
}
