package dev.darkfactory.operator.contract;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.darkfactory.operator.api.v1alpha1.AcceptanceSpec;
import dev.darkfactory.operator.api.v1alpha1.Constraints;
import dev.darkfactory.operator.api.v1alpha1.HttpCheck;
import dev.darkfactory.operator.api.v1alpha1.Scenario;
import dev.darkfactory.operator.api.v1alpha1.ServeSpec;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntentSpec;
import java.util.List;

/**
 * What the generator may see of an intent ({@code intent.json}): the description, the constraints,
 * the visible acceptance checks and scenarios, and how the app is served. Never held-out checks or
 * scenarios, never the budget.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record VisibleIntent(
        String description, Constraints constraints, Acceptance acceptance, Serve serve) {

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Acceptance(List<HttpCheck> checks, List<Scenario> scenarios) {
        /**
         * Absent and empty lists are one thing, so that a round trip through JSON changes nothing.
         */
        public Acceptance {
            checks = checks == null ? List.of() : checks;
            scenarios = scenarios == null ? List.of() : scenarios;
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Serve(int port, String healthPath) {}

    /** The visible part of a spec: held-out checks are left out here, and only here. */
    public static VisibleIntent of(SoftwareIntentSpec spec) {
        ServeSpec serve = spec.serveOrDefault();
        return new VisibleIntent(
                        spec.description,
                        spec.constraints,
                        new Acceptance(visibleChecks(spec), visibleScenarios(spec)),
                        new Serve(serve.port, serve.healthPath))
                .withoutHeldOutChecks();
    }

    /** The checks of a spec the generator may see. */
    public static List<HttpCheck> visibleChecks(SoftwareIntentSpec spec) {
        List<HttpCheck> all =
                spec.acceptance == null || spec.acceptance.checks == null
                        ? List.of()
                        : spec.acceptance.checks;
        return all.stream().filter(check -> !check.heldOut()).toList();
    }

    /** The scenarios of a spec the generator may see. */
    public static List<Scenario> visibleScenarios(SoftwareIntentSpec spec) {
        return spec.acceptance == null
                ? List.of()
                : spec.acceptance.scenariosOrEmpty().stream()
                        .filter(scenario -> !scenario.heldOut())
                        .toList();
    }

    /**
     * The same intent without held-out checks or scenarios: a guard for readers, should a writer
     * ever get it wrong.
     */
    public VisibleIntent withoutHeldOutChecks() {
        List<HttpCheck> checks =
                acceptance == null || acceptance.checks() == null
                        ? List.of()
                        : acceptance.checks().stream().filter(check -> !check.heldOut()).toList();
        List<Scenario> scenarios =
                acceptance == null || acceptance.scenarios() == null
                        ? List.of()
                        : acceptance.scenarios().stream()
                                .filter(scenario -> !scenario.heldOut())
                                .toList();
        return new VisibleIntent(
                description, constraints, new Acceptance(checks, scenarios), serve);
    }

    /**
     * As a spec, for code that reads specs (the prompt); fields the generator may not see stay
     * unset or default.
     */
    public SoftwareIntentSpec toSpec() {
        SoftwareIntentSpec spec = new SoftwareIntentSpec();
        spec.description = description;
        spec.constraints = constraints;
        spec.acceptance =
                new AcceptanceSpec(
                        acceptance == null || acceptance.checks() == null
                                ? List.of()
                                : acceptance.checks());
        spec.acceptance.scenarios =
                acceptance == null
                                || acceptance.scenarios() == null
                                || acceptance.scenarios().isEmpty()
                        ? null
                        : acceptance.scenarios();
        if (serve != null) {
            spec.serve = new ServeSpec();
            spec.serve.port = serve.port();
            spec.serve.healthPath = serve.healthPath();
        }
        return spec;
    }
}
