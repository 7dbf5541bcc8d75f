package dev.darkfactory.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** When one stage of an attempt (a container of its generator or tester pod) ran. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StageTime {

    @JsonPropertyDescription(
            "The stage: prepare, generate, build, report (generator pod), app, tester (tester pod).")
    public String name;

    @JsonPropertyDescription("When its container started, as the kubelet reported (RFC 3339).")
    public String startTime;

    @JsonPropertyDescription(
            "When its container ended, as the kubelet reported (RFC 3339); unset while it runs.")
    public String finishTime;

    @JsonPropertyDescription("How long it ran, such as 1m12s; unset while it runs.")
    public String duration;

    public StageTime() {}

    public StageTime(String name, String startTime, String finishTime, String duration) {
        this.name = name;
        this.startTime = startTime;
        this.finishTime = finishTime;
        this.duration = duration;
    }
}
