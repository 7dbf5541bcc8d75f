package dev.darkfactory.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * One destination a pod the operator makes may reach beyond what the operator allows by itself: an
 * address range, optionally narrowed by exceptions and ports. It becomes one egress rule of a
 * NetworkPolicy (docs/security.md).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EgressRule {

    @Required
    @Size(min = 1, max = 64)
    @Pattern(Validation.CIDR)
    @JsonPropertyDescription(
            "Address range in CIDR notation, for example 203.0.113.0/24, 0.0.0.0/0 or 2001:db8::/32.")
    public String cidr;

    @Size(max = 32)
    @JsonPropertyDescription(
            "Ranges inside cidr that stay unreachable, in CIDR notation, for example the cluster's pod and service ranges.")
    public List<String> except;

    @Size(max = 32)
    @JsonPropertyDescription("Ports the rule allows; none means every port.")
    public List<NetworkPort> ports;

    public EgressRule() {}

    public EgressRule(String cidr, List<String> except, List<NetworkPort> ports) {
        this.cidr = cidr;
        this.except = except;
        this.ports = ports;
    }
}
