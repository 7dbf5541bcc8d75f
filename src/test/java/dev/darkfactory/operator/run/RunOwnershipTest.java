package dev.darkfactory.operator.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.OwnerReferences;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntent;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntentStatus;
import dev.darkfactory.operator.run.RunOwnership.Found;
import dev.darkfactory.operator.run.RunOwnership.Verdict;
import dev.darkfactory.operator.testing.Fixtures;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

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
        assertThat(RunOwnership.existing(same, desired, run))
                .isEqualTo(new RunOwnership.Existing(Found.OWN, null));

        ConfigMap planted =
                new ConfigMapBuilder(desired)
                        .editMetadata()
                        .withOwnerReferences(List.of())
                        .endMetadata()
                        .build();
        assertThat(RunOwnership.existing(planted, desired, run).message())
                .contains("ConfigMap ns/todo-g1-abcdef-checks")
                .contains("it has no controller");

        ConfigMap emptied =
                new ConfigMapBuilder(desired).withData(Map.of("checks.json", "[]")).build();
        assertThat(RunOwnership.existing(emptied, desired, run).message()).contains("content");
    }

    /** An object under the run's checks name, controlled as the case says, holding its content. */
    private record Controlled(
            String name, OwnerReference controller, boolean sameContent, Found expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final String RUN = "todo-g1-abcdef";

    private static OwnerReference reference(
            String apiVersion, String kind, String name, String uid, boolean controller) {
        return new OwnerReferenceBuilder()
                .withApiVersion(apiVersion)
                .withKind(kind)
                .withName(name)
                .withUid(uid)
                .withController(controller)
                .build();
    }

    static List<Controlled> controllers() {
        String api = "darkfactory.dev/v1alpha1";
        return List.of(
                new Controlled(
                        "this run (by UID)",
                        reference(api, "FactoryRun", RUN, "uid-1", true),
                        true,
                        Found.OWN),
                new Controlled(
                        "this run, with other content",
                        reference(api, "FactoryRun", RUN, "uid-1", true),
                        false,
                        Found.FOREIGN),
                new Controlled(
                        "an earlier run of this name",
                        reference(api, "FactoryRun", RUN, "uid-0", true),
                        true,
                        Found.LEFTOVER),
                new Controlled(
                        "an earlier run of this name, with other content",
                        reference(api, "FactoryRun", RUN, "uid-0", true),
                        false,
                        Found.LEFTOVER),
                new Controlled(
                        "a run of another name",
                        reference(api, "FactoryRun", "todo-g2-abcdef", "uid-0", true),
                        true,
                        Found.FOREIGN),
                new Controlled(
                        "a FactoryRun of this name in another API group",
                        reference("example.com/v1", "FactoryRun", RUN, "uid-0", true),
                        true,
                        Found.FOREIGN),
                new Controlled(
                        "another kind of this name",
                        reference(api, "SoftwareIntent", RUN, "uid-0", true),
                        true,
                        Found.FOREIGN),
                new Controlled(
                        "an earlier run of this name as owner but not controller",
                        reference(api, "FactoryRun", RUN, "uid-0", false),
                        true,
                        Found.FOREIGN),
                new Controlled("no owner", null, true, Found.FOREIGN));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("controllers")
    void whatAnObjectUnderTheRunsNameIsFollowsItsControllerReference(Controlled c) {
        FactoryRun run = RunFixtures.run(3);
        ConfigMap desired = RunInputs.visibleChecks(run);
        ConfigMap found =
                new ConfigMapBuilder(desired)
                        .editMetadata()
                        .withOwnerReferences(
                                c.controller() == null ? List.of() : List.of(c.controller()))
                        .endMetadata()
                        .withData(c.sameContent() ? desired.getData() : Map.of("checks.json", "[]"))
                        .build();

        RunOwnership.Existing existing = RunOwnership.existing(found, desired, run);

        assertThat(existing.found()).isEqualTo(c.expected());
        if (c.expected() != Found.OWN) {
            assertThat(existing.message()).contains("ConfigMap ns/" + RUN + "-checks");
        }
    }

    @Test
    void aLeftoverIsNamedWithTheEarlierRunsUidAndTheWaitForTheGarbageCollector() {
        FactoryRun run = RunFixtures.run(3);
        Pod desired =
                new PodBuilder()
                        .withNewMetadata()
                        .withName(RUN + "-a1-gen")
                        .withNamespace("ns")
                        .endMetadata()
                        .build();
        Pod left =
                new PodBuilder(desired)
                        .editMetadata()
                        .withOwnerReferences(
                                reference(
                                        "darkfactory.dev/v1alpha1",
                                        "FactoryRun",
                                        RUN,
                                        "uid-0",
                                        true))
                        .endMetadata()
                        .build();

        assertThat(RunOwnership.existing(left, desired, run).message())
                .contains("Pod ns/" + RUN + "-a1-gen", "earlier run " + RUN, "uid-0")
                .contains("garbage collector");
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
        assertThat(RunOwnership.existing(readBack, desired, run).found()).isEqualTo(Found.OWN);

        data.replaceAll((k, v) -> Base64.getEncoder().encodeToString("[]".getBytes()));
        Secret emptied = new SecretBuilder(desired).withStringData(null).withData(data).build();
        assertThat(RunOwnership.existing(emptied, desired, run).found()).isEqualTo(Found.FOREIGN);
    }
}
