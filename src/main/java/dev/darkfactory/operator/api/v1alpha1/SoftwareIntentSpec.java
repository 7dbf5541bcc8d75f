package dev.darkfactory.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** The desired application. Written by the user; the operator never writes it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SoftwareIntentSpec {

    @Required
    @Size(min = 1, max = 20000)
    @JsonPropertyDescription(
            "What the software must do, in plain language; the heart of the generator's prompt.")
    public String description;

    @JsonPropertyDescription("Language, runtime and free notes that steer the generator.")
    public Constraints constraints;

    @Size(max = 253)
    @Pattern(Validation.DNS_SUBDOMAIN)
    @JsonPropertyDescription(
            "Name of the GeneratorClass that writes the code; unset means the class annotated darkfactory.dev/is-default-class=true.")
    public String generatorClassName;

    @Required
    @JsonPropertyDescription("Acceptance checks the built app must pass before it serves.")
    public AcceptanceSpec acceptance;

    @JsonPropertyDescription("How the passing image is served (Deployment and Service).")
    public ServeSpec serve;

    @JsonPropertyDescription("Limits of one run: attempts, time per attempt, tokens.")
    public BudgetSpec budget;

    @Default("false")
    @JsonPropertyDescription("Freezes the intent: no new runs and no rollout changes while true.")
    public Boolean paused = false;

    /** The serve settings with their defaults applied when the user gave none. */
    public ServeSpec serveOrDefault() {
        return serve != null ? serve : new ServeSpec();
    }

    /** The budget with its defaults applied when the user gave none. */
    public BudgetSpec budgetOrDefault() {
        return budget != null ? budget : new BudgetSpec();
    }

    public boolean pauseRequested() {
        return Boolean.TRUE.equals(paused);
    }
}
