package dev.darkfactory.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A port of an {@link EgressRule}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NetworkPort {

    @Required
    @Min(1)
    @Max(65535)
    @JsonPropertyDescription("Port number.")
    public Integer port;

    @Default("TCP")
    @Pattern("^(TCP|UDP|SCTP)$")
    @JsonPropertyDescription("Protocol: TCP, UDP or SCTP.")
    public String protocol = "TCP";

    public NetworkPort() {}

    public NetworkPort(int port, String protocol) {
        this.port = port;
        this.protocol = protocol;
    }
}
