package dev.darkfactory.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** The record of one attempt: its pods, image, test results, token use and verdict. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AttemptStatus {

    @JsonPropertyDescription("Attempt number, from 1.")
    public int number;

    @JsonPropertyDescription("Generating, Testing, Passed or Failed.")
    public AttemptPhase phase;

    @JsonPropertyDescription("Name of the generator pod (prepare, generate, build, report).")
    public String generatorPod;

    @JsonPropertyDescription(
            "Name of the tester pod of trial 1 (app beside tester); every trial's pod is in trials.")
    public String testerPod;

    @JsonPropertyDescription(
            "The trials of the attempt's image, each in its own tester pod against a freshly started app (docs/gate.md).")
    public List<TrialStatus> trials;

    @JsonPropertyDescription(
            "Share of trials in which every check and scenario passed, its 95 % interval and the minimum it had to reach.")
    public SatisfactionStatus satisfaction;

    @JsonPropertyDescription(
            "In how many trials each visible check and scenario passed; held-out ones are counted in tests only.")
    public List<ScenarioPasses> scenarios;

    @JsonPropertyDescription("The image the attempt built, by digest.")
    public String image;

    @JsonPropertyDescription(
            "Image of the source archive the attempt left, by digest; the next attempt starts from it.")
    public String sourceImage;

    @JsonPropertyDescription("The base image the attempt's image was built on, pinned by digest.")
    public String baseImage;

    @JsonPropertyDescription("Counts of the test reports, summed over trials.")
    public TestSummary tests;

    @JsonPropertyDescription(
            "The visible checks that failed, with their reasons; the next attempt's feedback. Held-out checks only count in tests.")
    public List<CheckFailure> failures;

    @JsonPropertyDescription("Tokens the generator reported for this attempt.")
    public Long tokens;

    @JsonPropertyDescription(
            "Model usage of this attempt as the gateway counted it (classes with a provider).")
    public ModelUsage usage;

    @JsonPropertyDescription(
            "Pods of this attempt lost to infrastructure failures and replaced; the reconciler deletes them.")
    public List<String> lostPods;

    @JsonPropertyDescription("When the attempt started (RFC 3339).")
    public String startTime;

    @JsonPropertyDescription("When the attempt reached its verdict (RFC 3339).")
    public String finishTime;

    @JsonPropertyDescription(
            "When each stage ran, in order, as the kubelet reported it: where the attempt's time went.")
    public List<StageTime> stages;

    @JsonPropertyDescription(
            "Why the attempt failed, from the documented reason table (docs/failure-reasons.md).")
    public String reason;

    @JsonPropertyDescription("What went wrong, in words a user can act on.")
    public String message;

    @JsonPropertyDescription("The pod at fault, when the attempt failed.")
    public String failedPod;

    @JsonPropertyDescription("The container at fault, when the attempt failed.")
    public String failedContainer;

    @JsonPropertyDescription(
            "The command that shows the logs of the container at fault, when the attempt failed.")
    public String logsCommand;
}
