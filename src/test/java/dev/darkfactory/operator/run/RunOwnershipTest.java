package dev.darkfactory.operator.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.OwnerReferences;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntent;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntentStatus;
import dev.darkfactory.operator.run.RunOwnership.Verdict;
import dev.darkfactory.operator.testing.Fixtures;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunOwnershipTest {

    private static SoftwareIntent intent(String uid, String latestRun) {
        SoftwareIntent intent = Fixtures.intent("ns", "todo", "builtin");
        intent.getMetadata().setUid(uid);
        intent.setStatus(new SoftwareIntentStatus());
        intent.getStatus().latestRun = latestRun;
        return intent;
    }

    private static FactoryRun runOf(SoftwareIntent intent) {
        FactoryRun run = RunFixtures.run(3);
        run.getMetadata().setOwnerReferences(List.of(OwnerReferences.controlledBy(intent)));
        return run;
    }

    @Test
    void aRunItsLiveIntentControlsAndNamesRuns() {
        SoftwareIntent intent = intent("intent-uid", "todo-g1-abcdef");
        assertThat(RunOwnership.ofRun(runOf(intent), intent).verdict()).isEqualTo(Verdict.RUN);
    }

    @Test
    void aRunItsIntentDoesNotNameYetOrWhoseIntentIsNotCachedWaits() {
        SoftwareIntent intent = intent("intent-uid", "todo-g2-other");
        assertThat(RunOwnership.ofRun(runOf(intent), intent).verdict()).isEqualTo(Verdict.WAIT);
        assertThat(RunOwnership.ofRun(runOf(intent), null).verdict()).isEqualTo(Verdict.WAIT);
    }

    @Test
    void aRunWithoutAnIntentAsControllerIsInvalid() {
        var decision = RunOwnership.ofRun(RunFixtures.run(3), intent("intent-uid", null));
        assertThat(decision.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(decision.message())
                .contains("FactoryRun ns/todo-g1-abcdef")
                .contains("not controlled by a SoftwareIntent");
    }

    @Test
    void aRunOfAnEarlierIntentOfTheSameNameOrOfAnotherIntentIsInvalid() {
        SoftwareIntent earlier = intent("old-uid", "todo-g1-abcdef");
        SoftwareIntent live = intent("new-uid", "todo-g1-abcdef");
        var decision = RunOwnership.ofRun(runOf(earlier), live);
        assertThat(decision.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(decision.message()).contains("old-uid").contains("new-uid");

        FactoryRun elsewhere = runOf(live);
        elsewhere.getSpec().intentName = "other";
        assertThat(RunOwnership.ofRun(elsewhere, live).verdict()).isEqualTo(Verdict.INVALID);
    }

    @Test
    void anObjectIsTheRunsOnlyWithTheRunAsControllerAndTheSameContent() {
        FactoryRun run = RunFixtures.run(3);
        ConfigMap desired = RunInputs.visibleChecks(run);
        ConfigMap same = new ConfigMapBuilder(desired).build();
        assertThat(RunOwnership.foreign(same, desired, run)).isNull();

        ConfigMap planted =
                new ConfigMapBuilder(desired)
                        .editMetadata()
                        .withOwnerReferences(List.of())
                        .endMetadata()
                        .build();
        assertThat(RunOwnership.foreign(planted, desired, run))
                .contains("ConfigMap ns/todo-g1-abcdef-checks")
                .contains("it has no controller");

        ConfigMap emptied =
                new ConfigMapBuilder(desired).withData(Map.of("checks.json", "[]")).build();
        assertThat(RunOwnership.foreign(emptied, desired, run)).contains("content");
    }

    @Test
    void aSecretReadBackAsBase64IsComparedByItsValues() {
        FactoryRun run = RunFixtures.run(3);
        Secret desired = RunInputs.heldOutChecks(run);
        Map<String, String> data = new java.util.HashMap<>();
        desired.getStringData()
                .forEach(
                        (k, v) ->
                                data.put(
                                        k,
                                        Base64.getEncoder()
                                                .encodeToString(
                                                        v.getBytes(StandardCharsets.UTF_8))));
        Secret readBack = new SecretBuilder(desired).withStringData(null).withData(data).build();
        assertThat(RunOwnership.foreign(readBack, desired, run)).isNull();

        data.replaceAll((k, v) -> Base64.getEncoder().encodeToString("[]".getBytes()));
        Secret emptied = new SecretBuilder(desired).withStringData(null).withData(data).build();
        assertThat(RunOwnership.foreign(emptied, desired, run)).isNotNull();
    }
}
