package dev.darkfactory.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * How a generator runs: the container that writes the code in the generator pod's generate station.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "!has(self.env) || self.env.all(e, self.env.exists_one(f, f.name == e.name))",
        message = "env names must be unique")
public class GeneratorClassSpec {

    @Size(max = 1024)
    @JsonPropertyDescription("What this generator is, for the people choosing a class.")
    public String description;

    @Required
    @Size(min = 1, max = 512)
    @Pattern(Validation.IMAGE)
    @JsonPropertyDescription(
            "Image of the generate station. The built-in generator is the operator's own image with the command generate-openai.")
    public String image;

    @Default("IfNotPresent")
    @Pattern("^(Always|IfNotPresent|Never)$")
    @JsonPropertyDescription("Pull policy of the image: Always, IfNotPresent or Never.")
    public String imagePullPolicy = "IfNotPresent";

    @Size(max = 32)
    @JsonPropertyDescription("Entrypoint of the generate container; the image's own when unset.")
    public List<String> command;

    @Size(max = 64)
    @JsonPropertyDescription("Arguments of the generate container.")
    public List<String> args;

    @Size(max = 64)
    @JsonPropertyDescription(
            "Environment of the generate container: plain values, or Secret keys (API keys) from the namespace of the intent.")
    public List<EnvVar> env;

    @JsonPropertyDescription("CPU and memory of the generate container.")
    public ComputeResources resources;

    @Pattern(Validation.DURATION)
    @JsonPropertyDescription(
            "Upper bound for one generate step; an intent's attemptTimeout that is shorter wins.")
    public String timeout;

    @Size(max = 64)
    @JsonPropertyDescription(
            "Base images the app manifest may name, as exact references or prefixes ending in '*'. Unset means the operator's configured allow-list.")
    public List<String> allowedBaseImages;

    @JsonPropertyDescription(
            "The model provider the darkfactory-gateway forwards this class's calls to; the generate container then gets the gateway's URL and a per-attempt token, never the provider key (docs/gateway.md).")
    public ModelProvider provider;

    @JsonPropertyDescription(
            "Prices of the model's tokens; the gateway computes the cost of each call from them and enforces budget.maxCost.")
    public ModelPricing pricing;

    @Size(max = 32)
    @JsonPropertyDescription(
            "Destinations the generator pod may reach besides DNS, the registry and the gateway, which the operator allows by itself: "
                    + "for example a coding agent's vendor API when the class has no provider (no gateway). "
                    + "Each entry is an address range with optional exceptions and ports; nothing else is reachable (docs/security.md).")
    public List<EgressRule> egress;

    @Size(max = 253)
    @Pattern(Validation.DNS_SUBDOMAIN)
    @JsonPropertyDescription(
            "RuntimeClass of the generator pod, for a stronger sandbox where the cluster offers one (gVisor, Kata Containers); "
                    + "the cluster's default runtime when unset. The RuntimeClass must exist, or the pod is not admitted.")
    public String runtimeClassName;
}
