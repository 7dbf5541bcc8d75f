package dev.darkfactory.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A value taken from a step's response, usable as {@code {{name}}} in the steps after it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "has(self.jsonPointer) != has(self.header)",
        message = "a capture takes exactly one of jsonPointer and header")
public class Capture {

    @Required
    @Size(min = 1, max = 63)
    @Pattern(Validation.VARIABLE_NAME)
    @JsonPropertyDescription(
            "Name of the variable, used as {{name}} in later steps; unique within the scenario.")
    public String name;

    @Size(min = 2, max = 512)
    @Pattern(Validation.JSON_POINTER)
    @JsonPropertyDescription(
            "JSON pointer (RFC 6901) into the response body, for example /id; strings are taken without quotes.")
    public String jsonPointer;

    @Size(min = 1, max = 256)
    @Pattern("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
    @JsonPropertyDescription(
            "Name of a response header whose first value is taken, for example Location.")
    public String header;

    public Capture() {}

    public static Capture fromBody(String name, String jsonPointer) {
        Capture capture = new Capture();
        capture.name = name;
        capture.jsonPointer = jsonPointer;
        return capture;
    }

    public static Capture fromHeader(String name, String header) {
        Capture capture = new Capture();
        capture.name = name;
        capture.header = header;
        return capture;
    }
}
