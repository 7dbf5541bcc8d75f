package dev.darkfactory.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A key of a Secret in the same namespace; only the reference is ever copied, never the value. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretKeySelector {

    @Required
    @Size(min = 1, max = 253)
    @Pattern(Validation.DNS_SUBDOMAIN)
    @JsonPropertyDescription("Name of the Secret.")
    public String name;

    @Required
    @Size(min = 1, max = 253)
    @Pattern("^[-._a-zA-Z0-9]+$")
    @JsonPropertyDescription("Key within the Secret.")
    public String key;

    public SecretKeySelector() {}

    public SecretKeySelector(String name, String key) {
        this.name = name;
        this.key = key;
    }
}
