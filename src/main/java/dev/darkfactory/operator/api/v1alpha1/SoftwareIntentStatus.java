package dev.darkfactory.operator.api.v1alpha1;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** What the operator observed and did for an intent. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SoftwareIntentStatus {

    @JsonPropertyDescription("The metadata.generation this status describes.")
    public Long observedGeneration;

    @JsonPropertyDescription("Where the intent stands: Pending, Invalid, Queued, Building, RollingOut, Ready, Failed or Paused.")
    public IntentPhase phase;

    @JsonPropertyDescription("Ready, Reconciling and Stalled, as the Kubernetes API conventions define them.")
    public List<Condition> conditions = new ArrayList<>();

    @JsonPropertyDescription("The GeneratorClass the intent resolved to (its own or the default).")
    public String generatorClassName;

    @JsonPropertyDescription("Name of the newest FactoryRun of this intent.")
    public String latestRun;

    @JsonPropertyDescription("Attempts made so far by the latest run.")
    public Integer attempts;

    @JsonPropertyDescription("Name of the FactoryRun whose image serves now.")
    public String servingRun;

    @JsonPropertyDescription("The image that serves now, by digest.")
    public String servingImage;

    @JsonPropertyDescription("In-cluster URL of the app's Service.")
    public String url;
}
