package dev.darkfactory.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/**
 * A status condition as the Kubernetes API conventions define it (the shape of {@code
 * metav1.Condition}), so that kstatus, Argo CD and {@code kubectl wait} read it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Condition {

    @Required
    @JsonPropertyDescription(
            "Type of the condition: Ready, Reconciling, Stalled (and Succeeded on a FactoryRun).")
    public String type;

    @Required
    @JsonPropertyDescription("Status of the condition: True, False or Unknown.")
    public ConditionStatus status;

    @JsonPropertyDescription("Machine-readable reason for the last transition, in CamelCase.")
    public String reason;

    @JsonPropertyDescription(
            "Human-readable explanation of the condition; names the field at fault when the spec is wrong.")
    public String message;

    @JsonPropertyDescription("Time of the last change of status (RFC 3339).")
    public String lastTransitionTime;

    @JsonPropertyDescription("The metadata.generation the condition was computed from.")
    public Long observedGeneration;

    public Condition() {}

    public Condition(
            String type,
            ConditionStatus status,
            String reason,
            String message,
            String lastTransitionTime,
            Long observedGeneration) {
        this.type = type;
        this.status = status;
        this.reason = reason;
        this.message = message;
        this.lastTransitionTime = lastTransitionTime;
        this.observedGeneration = observedGeneration;
    }

    @JsonIgnore
    public boolean isTrue() {
        return status == ConditionStatus.True;
    }

    @Override
    public String toString() {
        return type + "=" + status + " (" + reason + ": " + message + ")";
    }
}
