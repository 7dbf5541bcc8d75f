package dev.darkfactory.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * A declarative HTTP acceptance check, run by the tester against the built app: a scenario of one
 * step, whose placeholders can only be generated values (nothing is captured before it).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "!has(self.holdout) || !self.holdout || has(self.name)",
        message = "a held-out check (holdout: true) needs a name")
@ValidationRule(
        value = "!has(self.body) || !(self.method in ['GET', 'HEAD'])",
        message = "body is not allowed with method GET or HEAD")
public class HttpCheck extends HttpExchange {

    @Size(min = 1, max = 63)
    @Pattern(Validation.DNS_LABEL)
    @JsonPropertyDescription(
            "Name of the check, unique within the intent; shown in test reports and feedback.")
    public String name;

    @Default("false")
    @JsonPropertyDescription(
            "A held-out check is never shown to the generator: only the tester sees it, and feedback reports held-out failures as counts alone.")
    public Boolean holdout = false;

    public HttpCheck() {}

    public HttpCheck(String name, HttpMethod method, String path, int expectStatus) {
        this.name = name;
        this.method = method;
        this.path = path;
        this.expectStatus = expectStatus;
    }

    public boolean heldOut() {
        return Boolean.TRUE.equals(holdout);
    }
}
