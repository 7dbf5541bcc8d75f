package dev.darkfactory.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** What the built app must pass before it serves. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value =
                "(has(self.checks) && size(self.checks) > 0) || (has(self.scenarios) && size(self.scenarios) > 0) || has(self.image)",
        message =
                "acceptance needs at least one check in checks, a scenario in scenarios or a custom test image in image")
@ValidationRule(
        value = "!has(self.command) || has(self.image)",
        message = "acceptance.command needs acceptance.image")
@ValidationRule(
        value =
                "!has(self.checks) || self.checks.all(c, !has(c.name) || self.checks.exists_one(d, has(d.name) && d.name == c.name))",
        message = "check names must be unique")
@ValidationRule(
        value =
                "!has(self.scenarios) || self.scenarios.all(s, self.scenarios.exists_one(t, t.name == s.name))",
        message = "scenario names must be unique")
@ValidationRule(
        value =
                "!has(self.scenarios) || !has(self.checks) || self.scenarios.all(s, !self.checks.exists(c, has(c.name) && c.name == s.name))",
        message = "a scenario cannot have the name of a check")
public class AcceptanceSpec {

    public static final int MAX_TRIALS = 20;

    @Size(max = 100)
    @JsonPropertyDescription(
            "Declarative HTTP checks; those marked holdout are never shown to the generator.")
    public List<HttpCheck> checks = new ArrayList<>();

    @Size(max = 50)
    @JsonPropertyDescription(
            "Scenarios: named, ordered HTTP steps with generated and captured variables (docs/gate.md); those marked holdout are never shown to the generator.")
    public List<Scenario> scenarios;

    @Default("1")
    @Min(1)
    @Max(MAX_TRIALS)
    @JsonPropertyDescription(
            "How many times every check and scenario runs, each trial with freshly generated values.")
    public Integer trials = 1;

    @Default("1.0")
    @Min(0)
    @Max(1)
    @JsonPropertyDescription(
            "Share of trials in which every check and scenario must pass (satisfaction) for an attempt to pass, from 0 to 1.")
    public Double minSatisfaction = 1.0;

    @Size(max = 512)
    @Pattern(Validation.IMAGE)
    @JsonPropertyDescription(
            "Optional custom test image, run as the tester beside the app; its termination message is the test report.")
    public String image;

    @Size(max = 32)
    @JsonPropertyDescription("Command of the custom test image (requires image).")
    public List<String> command;

    public AcceptanceSpec() {}

    public AcceptanceSpec(List<HttpCheck> checks) {
        this.checks = checks;
    }

    public List<Scenario> scenariosOrEmpty() {
        return scenarios == null ? List.of() : scenarios;
    }
}
