package dev.darkfactory.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** How the passing image is served: a Deployment and a Service. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "!has(self.env) || self.env.all(e, self.env.exists_one(f, f.name == e.name))",
        message = "env names must be unique")
@ValidationRule(
        value =
                "!has(self.rolloutTimeout) || (duration(self.rolloutTimeout) >= duration('10s') && duration(self.rolloutTimeout) <= duration('24h'))",
        message = "rolloutTimeout must be between 10s and 24h")
public class ServeSpec {

    @Default("8080")
    @Min(1)
    @Max(65535)
    @JsonPropertyDescription(
            "Port the app listens on; the Service exposes it under the same number.")
    public Integer port = 8080;

    @Default("1")
    @Min(0)
    @Max(50)
    @JsonPropertyDescription("Number of replicas of the serving Deployment.")
    public Integer replicas = 1;

    @Default("/healthz")
    @Size(max = 1024)
    @Pattern(Validation.HTTP_PATH)
    @JsonPropertyDescription(
            "Path answered with 2xx when the app is healthy; used by the tester and by the readiness and liveness probes.")
    public String healthPath = "/healthz";

    @JsonPropertyDescription("CPU and memory of the app container.")
    public ComputeResources resources;

    @Size(max = 64)
    @JsonPropertyDescription("Environment of the app: plain values or references to Secret keys.")
    public List<EnvVar> env;

    @Default("5m")
    @Pattern(Validation.DURATION)
    @JsonPropertyDescription(
            "How long a new revision may take to become Available before it is rolled back.")
    public String rolloutTimeout = "5m";

    @Default("false")
    @JsonPropertyDescription(
            "Forward the app's last output (its logs when it exits) into status, Events and the next attempt's prompt. "
                    + "Off by default: that output may hold Secret values from env, and the tester cannot redact what it never sees.")
    public Boolean forwardAppOutput = false;

    public boolean forwardsAppOutput() {
        return Boolean.TRUE.equals(forwardAppOutput);
    }
}
