package dev.darkfactory.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * One trial of an attempt: its own tester pod, so a freshly started app, and freshly generated
 * values. The message carries held-out results as counts only.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TrialStatus {

    @JsonPropertyDescription("Trial number, from 1.")
    public int number;

    @JsonPropertyDescription("Testing, Passed or Failed.")
    public AttemptPhase phase;

    @JsonPropertyDescription(
            "Name of the trial's tester pod (app beside tester); unset until the pod is made.")
    public String pod;

    @JsonPropertyDescription("Why the trial failed, from the documented reason table.")
    public String reason;

    @JsonPropertyDescription("What the trial's tester reported.")
    public String message;

    public TrialStatus() {}

    public TrialStatus(int number) {
        this.number = number;
        this.phase = AttemptPhase.Testing;
    }
}
