package dev.darkfactory.operator.api.v1alpha1;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** What the built app must pass before it serves. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "(has(self.checks) && size(self.checks) > 0) || has(self.image)",
        message = "acceptance needs at least one check in checks or a custom test image in image")
@ValidationRule(value = "!has(self.command) || has(self.image)",
        message = "acceptance.command needs acceptance.image")
@ValidationRule(value = "!has(self.checks) || self.checks.all(c, !has(c.name) || self.checks.exists_one(d, has(d.name) && d.name == c.name))",
        message = "check names must be unique")
public class AcceptanceSpec {

    @Size(max = 100)
    @JsonPropertyDescription("Declarative HTTP checks; those marked holdout are never shown to the generator.")
    public List<HttpCheck> checks = new ArrayList<>();

    @Size(max = 512)
    @Pattern(Validation.IMAGE)
    @JsonPropertyDescription("Optional custom test image, run as the tester beside the app; its termination message is the test report.")
    public String image;

    @Size(max = 32)
    @JsonPropertyDescription("Command of the custom test image (requires image).")
    public List<String> command;

    public AcceptanceSpec() {
    }

    public AcceptanceSpec(List<HttpCheck> checks) {
        this.checks = checks;
    }
}
