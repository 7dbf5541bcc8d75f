package dev.darkfactory.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** One step of a scenario: a request, what its answer must show, and the values taken from it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "!has(self.body) || !(self.method in ['GET', 'HEAD'])",
        message = "body is not allowed with method GET or HEAD")
public class Step extends HttpExchange {

    @Size(min = 1, max = 63)
    @Pattern(Validation.DNS_LABEL)
    @JsonPropertyDescription("Name of the step, shown in the reason when it fails.")
    public String name;

    @Size(max = 16)
    @JsonPropertyDescription(
            "Values taken from this step's response (a JSON pointer into the body, or a header), usable as {{name}} in later steps.")
    public List<Capture> capture;

    public Step() {}

    public Step(String name, HttpMethod method, String path, int expectStatus) {
        this.name = name;
        this.method = method;
        this.path = path;
        this.expectStatus = expectStatus;
    }
}
