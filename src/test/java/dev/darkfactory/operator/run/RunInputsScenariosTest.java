package dev.darkfactory.operator.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.HttpMethod;
import dev.darkfactory.operator.api.v1alpha1.Scenario;
import dev.darkfactory.operator.api.v1alpha1.Step;
import dev.darkfactory.operator.contract.StationContract.Keys;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Scenarios reach the tester through the same two objects as checks; held-out ones only through the
 * Secret.
 */
class RunInputsScenariosTest {

    private static final String CANARY = "canary-heldout-scenario-4d2e";

    @Test
    void visibleScenariosGoToTheGeneratorAndTheConfigMapHeldOutOnesOnlyToTheSecret() {
        FactoryRun run = RunFixtures.run(3);
        Scenario visible =
                new Scenario(
                        "create-then-read",
                        List.of(new Step("create", HttpMethod.POST, "/todos", 201)));
        Scenario heldOut =
                new Scenario(CANARY, List.of(new Step("s", HttpMethod.GET, "/" + CANARY, 200)));
        heldOut.holdout = true;
        heldOut.vars = Map.of(CANARY.replace('-', '_'), "word");
        run.getSpec().intent.acceptance.scenarios = new ArrayList<>(List.of(visible, heldOut));

        Map<String, String> input = RunInputs.attemptInput(run, 1).getData();
        Map<String, String> checks = RunInputs.visibleChecks(run).getData();
        Map<String, String> secret = RunInputs.heldOutChecks(run).getStringData();

        assertThat(input.get("intent.json")).contains("create-then-read").doesNotContain("canary");
        assertThat(checks.get(Keys.SCENARIOS))
                .contains("create-then-read")
                .doesNotContain("canary");
        assertThat(checks.values()).noneMatch(v -> v.contains("canary"));
        assertThat(secret.get(Keys.SCENARIOS)).contains(CANARY).doesNotContain("create-then-read");
    }

    @Test
    void withoutScenariosTheFilesAreAsBefore() {
        FactoryRun run = RunFixtures.run(3);

        assertThat(RunInputs.visibleChecks(run).getData()).containsOnlyKeys(Keys.VISIBLE_CHECKS);
        assertThat(RunInputs.heldOutChecks(run).getStringData())
                .containsOnlyKeys(Keys.HOLDOUT_CHECKS);
    }
}
