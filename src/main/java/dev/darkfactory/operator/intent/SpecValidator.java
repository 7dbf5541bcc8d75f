package dev.darkfactory.operator.intent;

import dev.darkfactory.operator.api.v1alpha1.AcceptanceSpec;
import dev.darkfactory.operator.api.v1alpha1.BudgetSpec;
import dev.darkfactory.operator.api.v1alpha1.ComputeResources;
import dev.darkfactory.operator.api.v1alpha1.EnvVar;
import dev.darkfactory.operator.api.v1alpha1.HttpCheck;
import dev.darkfactory.operator.api.v1alpha1.HttpMethod;
import dev.darkfactory.operator.api.v1alpha1.Scenario;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntentSpec;
import dev.darkfactory.operator.util.Durations;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The cross-field rules of the schema, checked again by the reconciler. The CRDs carry them as CEL
 * rules, which only API servers from Kubernetes 1.25 enforce; on older servers this is what stops a
 * bad spec, with the same messages, in status instead of at admission.
 */
public final class SpecValidator {

    private static final Duration MIN_ATTEMPT = Duration.ofMinutes(1);
    private static final Duration MAX_ATTEMPT = Duration.ofHours(24);
    private static final Duration MIN_ROLLOUT = Duration.ofSeconds(10);

    private SpecValidator() {}

    public static List<SpecProblem> validate(SoftwareIntentSpec spec) {
        List<SpecProblem> problems = new ArrayList<>();
        AcceptanceSpec acceptance = spec.acceptance;
        if (acceptance != null) {
            checkAcceptance(acceptance, problems);
        }
        if (spec.serve != null && spec.serve.env != null) {
            checkEnv("spec.serve.env", spec.serve.env, problems);
        }
        if (spec.serve != null && spec.serve.resources != null) {
            checkRequestsWithinLimits("spec.serve.resources", spec.serve.resources, problems);
        }
        String rolloutTimeout = spec.serveOrDefault().rolloutTimeout;
        if (rolloutTimeout != null) {
            Duration timeout = Durations.parse(rolloutTimeout);
            if (timeout.compareTo(MIN_ROLLOUT) < 0 || timeout.compareTo(MAX_ATTEMPT) > 0) {
                // Below 10s the Deployment's progressDeadlineSeconds would be 0, which Kubernetes
                // rejects.
                problems.add(
                        new SpecProblem(
                                "spec.serve.rolloutTimeout",
                                "InvalidServe",
                                "must be between 10s and 24h, got " + rolloutTimeout));
            }
        }
        BudgetSpec budget = spec.budgetOrDefault();
        if (budget.attemptTimeout != null) {
            Duration timeout = Durations.parse(budget.attemptTimeout);
            if (timeout.compareTo(MIN_ATTEMPT) < 0 || timeout.compareTo(MAX_ATTEMPT) > 0) {
                problems.add(
                        new SpecProblem(
                                "spec.budget.attemptTimeout",
                                "InvalidBudget",
                                "must be between 1m and 24h, got " + budget.attemptTimeout));
            }
        }
        return problems;
    }

    /**
     * A request above its limit makes the API server refuse the pod, which no retry mends (found by
     * RandomInputTest: the tester pod was refused with 422 on every reconcile).
     */
    private static void checkRequestsWithinLimits(
            String field, ComputeResources resources, List<SpecProblem> problems) {
        if (resources.requests == null || resources.limits == null) {
            return;
        }
        compare(field, "cpu", resources.requests.cpu, resources.limits.cpu, problems);
        compare(field, "memory", resources.requests.memory, resources.limits.memory, problems);
    }

    private static void compare(
            String field,
            String resource,
            String request,
            String limit,
            List<SpecProblem> problems) {
        if (request == null || limit == null) {
            return;
        }
        if (new Quantity(request)
                        .getNumericalAmount()
                        .compareTo(new Quantity(limit).getNumericalAmount())
                > 0) {
            problems.add(
                    new SpecProblem(
                            field + ".requests." + resource,
                            "InvalidServe",
                            "must not exceed "
                                    + field
                                    + ".limits."
                                    + resource
                                    + " ("
                                    + limit
                                    + "), got "
                                    + request));
        }
    }

    private static void checkAcceptance(AcceptanceSpec acceptance, List<SpecProblem> problems) {
        List<HttpCheck> checks = acceptance.checks == null ? List.of() : acceptance.checks;
        if (checks.isEmpty()
                && acceptance.scenariosOrEmpty().isEmpty()
                && acceptance.image == null) {
            problems.add(
                    new SpecProblem(
                            "spec.acceptance",
                            "NoAcceptanceChecks",
                            "needs at least one check in checks, a scenario in scenarios or a custom test image in image"));
        }
        if (acceptance.trials != null
                && (acceptance.trials < 1 || acceptance.trials > AcceptanceSpec.MAX_TRIALS)) {
            problems.add(
                    new SpecProblem(
                            "spec.acceptance.trials",
                            "InvalidAcceptance",
                            "must be between 1 and "
                                    + AcceptanceSpec.MAX_TRIALS
                                    + ", got "
                                    + acceptance.trials));
        }
        if (acceptance.minSatisfaction != null
                && !(acceptance.minSatisfaction >= 0 && acceptance.minSatisfaction <= 1)) {
            problems.add(
                    new SpecProblem(
                            "spec.acceptance.minSatisfaction",
                            "InvalidAcceptance",
                            "must be between 0 and 1, got " + acceptance.minSatisfaction));
        }
        if (acceptance.command != null && acceptance.image == null) {
            problems.add(
                    new SpecProblem(
                            "spec.acceptance.command",
                            "InvalidAcceptance",
                            "needs spec.acceptance.image"));
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < checks.size(); i++) {
            HttpCheck check = checks.get(i);
            String field = "spec.acceptance.checks[" + i + "]";
            if (check.heldOut() && check.name == null) {
                problems.add(
                        new SpecProblem(
                                field + ".name",
                                "InvalidCheck",
                                "a held-out check (holdout: true) needs a name"));
            }
            if (check.name != null && !names.add(check.name)) {
                problems.add(
                        new SpecProblem(
                                field + ".name",
                                "InvalidCheck",
                                "check names must be unique; \""
                                        + check.name
                                        + "\" is used twice"));
            }
            if (check.body != null
                    && (check.method == HttpMethod.GET || check.method == HttpMethod.HEAD)) {
                problems.add(
                        new SpecProblem(
                                field + ".body",
                                "InvalidCheck",
                                "body is not allowed with method " + check.method));
            }
            // A check is a scenario of one step without vars: only generators can fill its
            // placeholders.
            ScenarioValidator.checkExchange(
                    field, check, Set.of(), Map.of(), "InvalidCheck", problems);
        }
        List<Scenario> scenarios = acceptance.scenariosOrEmpty();
        for (int i = 0; i < scenarios.size(); i++) {
            Scenario scenario = scenarios.get(i);
            String field = "spec.acceptance.scenarios[" + i + "]";
            if (scenario.name != null && !names.add(scenario.name)) {
                problems.add(
                        new SpecProblem(
                                field + ".name",
                                "InvalidScenario",
                                "names must be unique among checks and scenarios; \""
                                        + scenario.name
                                        + "\" is used twice"));
            }
            ScenarioValidator.check(field, scenario, problems);
        }
    }

    private static void checkEnv(String field, List<EnvVar> env, List<SpecProblem> problems) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < env.size(); i++) {
            EnvVar variable = env.get(i);
            if ((variable.value == null) == (variable.secretKeyRef == null)) {
                problems.add(
                        new SpecProblem(
                                field + "[" + i + "]",
                                "InvalidEnv",
                                "exactly one of value and secretKeyRef must be set"));
            }
            if (!names.add(variable.name)) {
                problems.add(
                        new SpecProblem(
                                field + "[" + i + "].name",
                                "InvalidEnv",
                                "env names must be unique; \""
                                        + variable.name
                                        + "\" is used twice"));
            }
        }
    }
}
