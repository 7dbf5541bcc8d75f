package dev.darkfactory.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A user story as ordered HTTP steps that share variables: values generated afresh for every trial
 * ({@code vars}) and values captured from earlier responses. It passes when every step does.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Scenario {

    @Required
    @Size(min = 1, max = 63)
    @Pattern(Validation.DNS_LABEL)
    @JsonPropertyDescription(
            "Name of the scenario, unique among checks and scenarios; shown in reports and feedback unless held out.")
    public String name;

    // Names are checked by the reconciler (ScenarioValidator): a CEL rule over map keys of
    // unbounded
    // length would be over the API server's cost budget.
    @Size(max = 32)
    @JsonPropertyDescription(
            "Variables generated afresh for every trial, by name: a generator such as uuid, word, email or 'int 1 1000'; used as {{name}} in the steps.")
    public Map<String, String> vars;

    @Required
    @Size(min = 1, max = 32)
    @JsonPropertyDescription(
            "The steps, run in order; the scenario stops at the first step that fails.")
    public List<Step> steps = new ArrayList<>();

    @Default("false")
    @JsonPropertyDescription(
            "A held-out scenario is never shown to the generator: only the tester sees it, and reports count its runs without naming it.")
    public Boolean holdout = false;

    public Scenario() {}

    public Scenario(String name, List<Step> steps) {
        this.name = name;
        this.steps = steps;
    }

    public boolean heldOut() {
        return Boolean.TRUE.equals(holdout);
    }
}
