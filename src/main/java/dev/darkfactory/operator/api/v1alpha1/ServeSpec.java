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

    @Default("1")
    @Min(0)
    @Max(10)
    @JsonPropertyDescription(
            "How many earlier revisions stay beside the serving one, scaled to 0, for a rollback by spec.serve.revision "
                    + "(their Deployments <intent>-<revision>); older ones are deleted. 0 keeps none: nothing to roll back to.")
    public Integer revisionHistoryLimit = 1;

    @Default("1")
    @Min(1)
    @Max(AcceptanceSpec.MAX_TRIALS)
    @JsonPropertyDescription(
            "How many times a candidate revision's verification runs the acceptance checks and scenarios (visible and held-out, "
                    + "fresh generated values each time) against it in its production configuration, before the Service switches "
                    + "to it. Every one must pass: a revision that fails once where it would serve is not promoted.")
    public Integer verificationTrials = 1;

    @Size(max = 63)
    @Pattern(Validation.REVISION)
    @JsonPropertyDescription(
            "Pins the revision that serves (a name from status.servingRevision or status.keptRevisions[].revision). "
                    + "Empty (the default): the latest verified revision serves. Pinning a kept revision rolls back: it is scaled up "
                    + "first, and the Service switches to it only once it is Available. While pinned, no new revision is promoted.")
    public String revision;

    @Default("false")
    @JsonPropertyDescription(
            "Forward the app's last output (its logs when it exits) into status, Events and the next attempt's prompt. "
                    + "Off by default: that output may hold Secret values from env, and the tester cannot redact what it never sees.")
    public Boolean forwardAppOutput = false;

    @Default("Namespace")
    @JsonPropertyDescription(
            "Who may reach the app on its port: Namespace (pods of the intent's namespace), Cluster (pods of every namespace) "
                    + "or Anywhere (also sources outside the cluster, such as ingress controllers on the host network). "
                    + "Nothing else reaches the app (its NetworkPolicy, docs/security.md).")
    public IngressFrom ingressFrom = IngressFrom.Namespace;

    @Size(max = 32)
    @JsonPropertyDescription(
            "Destinations the served app may reach, each an address range with optional exceptions and ports; "
                    + "with any entry, DNS is allowed too. Empty (the default): the app reaches nothing.")
    public List<EgressRule> egress;

    public IngressFrom ingressFromOrDefault() {
        return ingressFrom == null ? IngressFrom.Namespace : ingressFrom;
    }

    public int verificationTrialsOrDefault() {
        return verificationTrials == null ? 1 : verificationTrials;
    }

    public int revisionHistoryLimitOrDefault() {
        return revisionHistoryLimit == null ? 1 : revisionHistoryLimit;
    }

    /** The pinned revision, or null when the latest verified one serves. */
    public String pinnedRevision() {
        return revision == null || revision.isBlank() ? null : revision;
    }

    public boolean forwardsAppOutput() {
        return Boolean.TRUE.equals(forwardAppOutput);
    }
}
