package dev.darkfactory.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** An environment variable: a plain value or a reference to a Secret key, never both. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "has(self.value) != has(self.secretKeyRef)",
        message = "exactly one of value and secretKeyRef must be set")
public class EnvVar {

    @Required
    @Size(min = 1, max = 128)
    @Pattern(Validation.ENV_NAME)
    @JsonPropertyDescription("Name of the environment variable.")
    public String name;

    @Size(max = 4096)
    @JsonPropertyDescription("Plain value. Use secretKeyRef for anything confidential.")
    public String value;

    @JsonPropertyDescription("Takes the value from a key of a Secret in the same namespace.")
    public SecretKeySelector secretKeyRef;

    public EnvVar() {}

    public EnvVar(String name, String value) {
        this.name = name;
        this.value = value;
    }
}
