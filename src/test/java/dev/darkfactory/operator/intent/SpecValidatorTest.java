package dev.darkfactory.operator.intent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.darkfactory.operator.api.v1alpha1.BudgetSpec;
import dev.darkfactory.operator.api.v1alpha1.ComputeResources;
import dev.darkfactory.operator.api.v1alpha1.EnvVar;
import dev.darkfactory.operator.api.v1alpha1.HttpCheck;
import dev.darkfactory.operator.api.v1alpha1.HttpMethod;
import dev.darkfactory.operator.api.v1alpha1.ResourceAmounts;
import dev.darkfactory.operator.api.v1alpha1.SecretKeySelector;
import dev.darkfactory.operator.api.v1alpha1.ServeSpec;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntentSpec;
import dev.darkfactory.operator.testing.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The CEL rules of the CRD, re-checked by the reconciler for API servers older than 1.25. */
class SpecValidatorTest {

    @Test
    void validSpecHasNoProblems() {
        assertThat(SpecValidator.validate(spec())).isEmpty();
    }

    @Test
    void heldOutCheckWithoutName() {
        SoftwareIntentSpec spec = spec();
        spec.acceptance.checks.get(2).name = null;

        assertThat(messages(spec))
                .containsExactly(
                        "spec.acceptance.checks[2].name: a held-out check (holdout: true) needs a name");
    }

    @Test
    void duplicateCheckNamesAndBodyOnGet() {
        SoftwareIntentSpec spec = spec();
        HttpCheck again = new HttpCheck("health", HttpMethod.GET, "/x", 200);
        again.body = "{}";
        spec.acceptance.checks = List.of(spec.acceptance.checks.get(0), again);

        assertThat(messages(spec))
                .containsExactly(
                        "spec.acceptance.checks[1].name: check names must be unique; \"health\" is used twice",
                        "spec.acceptance.checks[1].body: body is not allowed with method GET");
    }

    @Test
    void acceptanceWithoutChecksOrImageAndCommandWithoutImage() {
        SoftwareIntentSpec spec = spec();
        spec.acceptance.checks = List.of();
        spec.acceptance.command = List.of("pytest");

        assertThat(messages(spec))
                .containsExactly(
                        "spec.acceptance: needs at least one check in checks, a scenario in scenarios or a custom test image in image",
                        "spec.acceptance.command: needs spec.acceptance.image");
    }

    @Test
    void envNeedsExactlyOneSourceAndUniqueNames() {
        SoftwareIntentSpec spec = spec();
        spec.serve = new ServeSpec();
        EnvVar both = new EnvVar("TOKEN", "x");
        both.secretKeyRef = new SecretKeySelector("s", "k");
        spec.serve.env = List.of(new EnvVar("MODE", "a"), both, new EnvVar("MODE", "b"));

        assertThat(messages(spec))
                .containsExactly(
                        "spec.serve.env[1]: exactly one of value and secretKeyRef must be set",
                        "spec.serve.env[2].name: env names must be unique; \"MODE\" is used twice");
    }

    @Test
    void attemptTimeoutOutOfBounds() {
        SoftwareIntentSpec spec = spec();
        spec.budget = new BudgetSpec();
        spec.budget.attemptTimeout = "25h";

        assertThat(messages(spec))
                .containsExactly("spec.budget.attemptTimeout: must be between 1m and 24h, got 25h");
    }

    @Test
    void rolloutTimeoutTooShortForADeployment() {
        SoftwareIntentSpec spec = spec();
        spec.serve = new ServeSpec();
        spec.serve.rolloutTimeout = "500ms";

        assertThat(messages(spec))
                .containsExactly(
                        "spec.serve.rolloutTimeout: must be between 10s and 24h, got 500ms");
    }

    @Test
    void aRequestAboveItsLimitIsNamedBeforeAnyPodIsRefused() {
        SoftwareIntentSpec spec = spec();
        spec.serve = new ServeSpec();
        spec.serve.resources =
                new ComputeResources(
                        new ResourceAmounts("1.5", "128Mi"), new ResourceAmounts("250m", "1Gi"));

        assertThat(messages(spec))
                .containsExactly(
                        "spec.serve.resources.requests.cpu: must not exceed spec.serve.resources.limits.cpu (250m), got 1.5");
    }

    @Test
    void requestsEqualToTheirLimitsOrWithoutOnePass() {
        SoftwareIntentSpec spec = spec();
        spec.serve = new ServeSpec();
        spec.serve.resources =
                new ComputeResources(
                        new ResourceAmounts("1", "1Gi"), new ResourceAmounts("1000m", null));

        assertThat(messages(spec)).isEmpty();
    }

    private static SoftwareIntentSpec spec() {
        return Fixtures.intent("ns", "todo", "builtin").getSpec();
    }

    private static List<String> messages(SoftwareIntentSpec spec) {
        return SpecValidator.validate(spec).stream().map(SpecProblem::message).toList();
    }
}
