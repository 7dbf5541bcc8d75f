package dev.darkfactory.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A value expected at one place of a JSON response body. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class JsonFieldExpectation {

    @Required
    @Size(min = 2, max = 512)
    @Pattern(Validation.JSON_POINTER)
    @JsonPropertyDescription(
            "JSON pointer (RFC 6901) into the response body, for example /items/0/title.")
    public String pointer;

    @Required
    @Size(max = 4096)
    @JsonPropertyDescription(
            "Expected value, compared with the field's JSON text (strings without quotes, numbers and booleans as written).")
    public String equals;

    public JsonFieldExpectation() {}

    public JsonFieldExpectation(String pointer, String equals) {
        this.pointer = pointer;
        this.equals = equals;
    }
}
