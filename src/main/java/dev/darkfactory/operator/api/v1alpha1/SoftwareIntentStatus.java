package dev.darkfactory.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Nullable;
import java.util.ArrayList;
import java.util.List;

/**
 * What the operator observed and did for an intent. Fields that go back to unset are nullable: API
 * servers before 1.22 write an explicit null when a server-side apply drops a field.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SoftwareIntentStatus {

    @JsonPropertyDescription("The metadata.generation this status describes.")
    public Long observedGeneration;

    @JsonPropertyDescription(
            "Where the intent stands: Pending, Invalid, Queued, Building, RollingOut, Ready, Failed or Paused.")
    public IntentPhase phase;

    @JsonPropertyDescription(
            "Ready, Reconciling and Stalled, as the Kubernetes API conventions define them.")
    public List<Condition> conditions = new ArrayList<>();

    @Nullable
    @JsonPropertyDescription("The GeneratorClass the intent resolved to (its own or the default).")
    public String generatorClassName;

    @Nullable
    @JsonPropertyDescription("Name of the newest FactoryRun of this intent.")
    public String latestRun;

    @Nullable
    @JsonPropertyDescription("Attempts made so far by the latest run.")
    public Integer attempts;

    @Nullable
    @JsonPropertyDescription("Name of the FactoryRun whose image serves now.")
    public String servingRun;

    @Nullable
    @JsonPropertyDescription("The image that serves now, by digest.")
    public String servingImage;

    @Nullable
    @JsonPropertyDescription(
            "The revision that serves now: the intent's Service selects the pods labelled darkfactory.dev/revision with it.")
    public String servingRevision;

    @Nullable
    @JsonPropertyDescription(
            "When the Service switched to the serving revision (RFC 3339); the revision before it drains until a short while after.")
    public String servingSince;

    @Nullable
    @JsonPropertyDescription(
            "Earlier verified revisions kept scaled to 0 for a rollback, newest first (at most spec.serve.revisionHistoryLimit).")
    public List<RevisionStatus> keptRevisions;

    @Nullable
    @JsonPropertyDescription(
            "Satisfaction of the serving image: the share of its trials in which every check and scenario passed, with its 95 % interval (docs/gate.md).")
    public SatisfactionStatus satisfaction;

    @Nullable
    @JsonPropertyDescription("In-cluster URL of the app's Service.")
    public String url;

    @Nullable
    @JsonPropertyDescription(
            "The rollout in progress, if any; the serving image keeps serving until it becomes Available.")
    public RolloutStatus rollout;

    @Nullable
    @JsonPropertyDescription(
            "The latest image that failed to roll out and why; its run reads it and tries again while its budget lasts.")
    public RolloutFailure failedRollout;
}
