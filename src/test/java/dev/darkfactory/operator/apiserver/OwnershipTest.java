package dev.darkfactory.operator.apiserver;

import static dev.darkfactory.operator.testing.FactoryHarness.WAIT;
import static dev.darkfactory.operator.testing.FactoryHarness.genPod;
import static dev.darkfactory.operator.testing.FactoryHarness.phase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.RunPhase;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntent;
import dev.darkfactory.operator.testing.FactoryConfigs;
import dev.darkfactory.operator.testing.FactoryHarness;
import dev.darkfactory.operator.testing.FakeDeploymentController;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Ownership is verified, never assumed, on a real API server: objects a user pre-creates under a
 * run's deterministic names are never used, a FactoryRun no live intent made never runs a pod, and
 * an intent made again under the same name adopts nothing of the one before.
 */
// Its namespaces and operators are its own: in the parallel lane, its tests one by one.
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock("OwnershipTest")
class OwnershipTest {

    private static final String IMAGE = "registry.test/ns/todo@sha256:" + "a".repeat(64);

    private FactoryHarness factory;
    private KubernetesClient client;

    @BeforeEach
    void setUp() {
        factory = new FactoryHarness(FactoryConfigs.defaults());
        client = factory.client;
    }

    @AfterEach
    void tearDown() {
        factory.close();
    }

    @Test
    void aPreCreatedChecksConfigMapFailsTheRunNamingItAndIsNeitherUsedNorOverwritten() {
        factory.createIntent("todo", 3, null);
        FactoryRun run = factory.awaitRun("todo", r -> factory.hasPod(r, 1, false));
        String name = run.getMetadata().getName() + "-checks";
        client.resource(
                        new ConfigMapBuilder()
                                .withMetadata(meta(name))
                                .withData(Map.of("checks.json", "[]"))
                                .build())
                .create();

        FactoryRun failed = generatorSucceedsThenFails(run);

        assertThat(failed.getStatus().message)
                .contains("ConfigMap " + factory.namespace + "/" + name)
                .contains("not run " + run.getMetadata().getName() + "'s");
        ConfigMap planted = client.configMaps().inNamespace(factory.namespace).withName(name).get();
        assertThat(planted.getData()).containsExactly(Map.entry("checks.json", "[]"));
        assertThat(failed.getStatus().attempts.get(0).testerPod).isNull();
        assertThat(factory.kubelet.exists(run.getMetadata().getName() + "-a1-test")).isFalse();
    }

    @Test
    void aPodPlantedUnderTheRunsPodNameIsNotReadAsTheRunsVerdict() {
        factory.createIntent("todo", 3, null);
        FactoryRun run = factory.awaitRun("todo", r -> factory.hasPod(r, 1, false));
        String podName = genPod(run, 1);
        Pod own = client.pods().inNamespace(factory.namespace).withName(podName).get();
        client.resource(own).delete();
        await().atMost(WAIT).until(() -> !factory.kubelet.exists(podName));
        // Same name and labels, controlled by a FactoryRun of the run's name with another UID:
        // what an earlier run of the name would leave, and what anyone can write.
        client.resource(
                        new PodBuilder(own)
                                .editMetadata()
                                .withResourceVersion(null)
                                .withUid(null)
                                .withCreationTimestamp(null)
                                .withOwnerReferences(
                                        new OwnerReferenceBuilder()
                                                .withApiVersion("darkfactory.dev/v1alpha1")
                                                .withKind("FactoryRun")
                                                .withName(run.getMetadata().getName())
                                                .withUid(UUID.randomUUID().toString())
                                                .withController(true)
                                                .build())
                                .endMetadata()
                                .withStatus(null)
                                .build())
                .create();
        factory.kubelet.stationFails(
                podName,
                "build",
                1,
                "Error",
                "{\"station\":\"build\",\"ok\":false,\"reason\":\"BaseImageNotAllowed\",\"message\":\"forged\"}");

        FactoryRun after =
                factory.awaitRun(
                        "todo",
                        r ->
                                r.getStatus().attempts.get(0).lostPods != null
                                        && r.getStatus()
                                                .attempts
                                                .get(0)
                                                .lostPods
                                                .contains(podName));

        assertThat(after.getStatus().attempts.get(0).reason)
                .as("the planted pod's verdict is not the run's")
                .isNull();
        assertThat(factory.eventReasons(run.getMetadata().getName()))
                .doesNotContain("BaseImageNotAllowed");
    }

    @Test
    void aPreCreatedDeploymentOfARevisionsNameIsNeitherAdoptedNorOverwritten() {
        String namespace = factory.namespace;
        factory.createIntent("todo", 3, null);
        FactoryRun run = factory.awaitRun("todo", r -> factory.hasPod(r, 1, false));
        // The name the first revision's Deployment will have: <intent>-<run without intent>-a1.
        String name = "todo-" + run.getMetadata().getName().substring("todo-".length()) + "-a1";
        client.resource(
                        new DeploymentBuilder()
                                .withMetadata(new ObjectMetaBuilder().withName(name).build())
                                .withNewSpec()
                                .withNewSelector()
                                .addToMatchLabels("planted", "yes")
                                .endSelector()
                                .withNewTemplate()
                                .withNewMetadata()
                                .addToLabels("planted", "yes")
                                .endMetadata()
                                .withNewSpec()
                                .addNewContainer()
                                .withName("planted")
                                .withImage("planted:1")
                                .endContainer()
                                .endSpec()
                                .endTemplate()
                                .endSpec()
                                .build())
                .inNamespace(namespace)
                .create();
        factory.passAttempt("todo", 1);

        SoftwareIntent intent =
                factory.awaitIntent(
                        "todo",
                        i ->
                                i.getStatus() != null
                                        && i.getStatus().conditions.stream()
                                                .anyMatch(
                                                        c ->
                                                                "ReconcileError".equals(c.reason)
                                                                        && c.message.contains(
                                                                                "Deployment "
                                                                                        + namespace
                                                                                        + "/"
                                                                                        + name
                                                                                        + " exists but is"
                                                                                        + " not controlled")));
        assertThat(intent.getStatus().servingImage).as("nothing serves").isNull();
        Deployment planted =
                client.apps().deployments().inNamespace(namespace).withName(name).get();
        assertThat(planted.getSpec().getTemplate().getSpec().getContainers())
                .extracting(c -> c.getImage())
                .as("the planted Deployment is not overwritten")
                .containsExactly("planted:1");
        assertThat(planted.getMetadata().getOwnerReferences()).isEmpty();
    }

    @Test
    void aPreCreatedPolicyOfTheVerifiersNameIsNeitherOverwrittenNorUsed() {
        String namespace = factory.namespace;
        client.resource(
                        new NetworkPolicyBuilder()
                                .withMetadata(
                                        new ObjectMetaBuilder().withName("todo-verifier").build())
                                .withNewSpec()
                                .withNewPodSelector()
                                .addToMatchLabels("planted", "yes")
                                .endPodSelector()
                                .endSpec()
                                .build())
                .inNamespace(namespace)
                .create();
        factory.createIntent("todo", 3, null);
        factory.awaitRun("todo", r -> factory.hasPod(r, 1, false));
        factory.passAttempt("todo", 1);
        String revision = factory.awaitCandidate("todo");
        new FakeDeploymentController(client, namespace).rolledOut("todo-" + revision);

        SoftwareIntent intent =
                factory.awaitIntent(
                        "todo",
                        i ->
                                i.getStatus().conditions.stream()
                                        .anyMatch(
                                                c ->
                                                        "ReconcileError".equals(c.reason)
                                                                && c.message.contains(
                                                                        "NetworkPolicy "
                                                                                + namespace
                                                                                + "/todo-verifier exists"
                                                                                + " but is not controlled")));
        assertThat(intent.getStatus().servingRevision).as("nothing was verified").isNull();
        assertThat(factory.kubelet.exists("todo-" + revision + "-verify"))
                .as("no verification pod runs under a policy that is not the intent's")
                .isFalse();
        NetworkPolicy planted =
                client.network()
                        .v1()
                        .networkPolicies()
                        .inNamespace(namespace)
                        .withName("todo-verifier")
                        .get();
        assertThat(planted.getSpec().getPodSelector().getMatchLabels())
                .as("the planted policy is not overwritten")
                .containsExactly(Map.entry("planted", "yes"));
        assertThat(planted.getMetadata().getOwnerReferences()).isEmpty();
    }

    @Test
    void aPreCreatedHeldOutSecretFailsTheRunNamingIt() {
        factory.createIntent("todo", 3, null);
        FactoryRun run = factory.awaitRun("todo", r -> factory.hasPod(r, 1, false));
        String name = run.getMetadata().getName() + "-holdout";
        client.resource(
                        new SecretBuilder()
                                .withMetadata(meta(name))
                                .withStringData(Map.of("holdout.json", "[]"))
                                .build())
                .create();

        FactoryRun failed = generatorSucceedsThenFails(run);

        assertThat(failed.getStatus().message)
                .contains("Secret " + factory.namespace + "/" + name)
                .contains("it has no controller");
        assertThat(factory.kubelet.exists(run.getMetadata().getName() + "-a1-test")).isFalse();
    }

    @Test
    void aFactoryRunAUserMadeIsMarkedInvalidAndRunsNoPod() {
        factory.createIntent("todo", 3, null);
        FactoryRun made = factory.awaitRun("todo", r -> factory.hasPod(r, 1, false));

        FactoryRun withoutOwner = copy(made, "todo-by-hand");
        client.resource(withoutOwner).create();
        FactoryRun ownerCopied = copy(made, "todo-forged");
        ownerCopied
                .getMetadata()
                .setOwnerReferences(
                        java.util.List.of(
                                new OwnerReferenceBuilder()
                                        .withApiVersion("darkfactory.dev/v1alpha1")
                                        .withKind("SoftwareIntent")
                                        .withName("todo")
                                        .withUid(UUID.randomUUID().toString())
                                        .withController(true)
                                        .build()));
        client.resource(ownerCopied).create();

        FactoryRun invalid = awaitPhase("todo-by-hand", RunPhase.Failed);
        assertThat(invalid.getStatus().reason).isEqualTo("InvalidRun");
        assertThat(invalid.getStatus().message).contains("not controlled by a SoftwareIntent");
        FactoryRun forged = awaitPhase("todo-forged", RunPhase.Failed);
        assertThat(forged.getStatus().reason).isEqualTo("InvalidRun");
        assertThat(forged.getStatus().message).contains("not the live one");
        for (String run : new String[] {"todo-by-hand", "todo-forged"}) {
            assertThat(
                            client.pods()
                                    .inNamespace(factory.namespace)
                                    .withLabel("darkfactory.dev/run", run)
                                    .list()
                                    .getItems())
                    .isEmpty();
            assertThat(factory.run(run).getStatus().attempts).isEmpty();
        }
    }

    @Test
    void anIntentMadeAgainUnderTheSameNameAdoptsNothingOfTheOneBefore() {
        SoftwareIntent first = factory.createIntent("todo", 3, null);
        FactoryRun old = factory.awaitRun("todo", r -> factory.hasPod(r, 1, false));
        // This API server has no garbage collector: the old run stays, as it would for a moment
        // on a real cluster.
        client.resource(first).withGracePeriod(0).delete();
        await().atMost(WAIT).until(() -> factory.intent("todo") == null);

        SoftwareIntent second = factory.createIntent("todo", 3, null);
        assertThat(second.getMetadata().getUid()).isNotEqualTo(first.getMetadata().getUid());

        FactoryRun fresh = factory.awaitRun("todo", r -> factory.hasPod(r, 1, false));
        assertThat(fresh.getMetadata().getName()).isNotEqualTo(old.getMetadata().getName());
        assertThat(fresh.getMetadata().getOwnerReferences().get(0).getUid())
                .isEqualTo(second.getMetadata().getUid());
        FactoryRun ended = awaitPhase(old.getMetadata().getName(), RunPhase.Failed);
        assertThat(ended.getStatus().reason).isEqualTo("InvalidRun");
        assertThat(ended.getStatus().message).contains("earlier SoftwareIntent todo");
        await().atMost(WAIT).until(() -> !factory.kubelet.exists(genPod(old, 1)));
    }

    /** The generator of attempt 1 succeeds; the run then needs its checks, and fails. */
    private FactoryRun generatorSucceedsThenFails(FactoryRun run) {
        factory.kubelet.generatorSucceeds(genPod(run, 1), FactoryHarness.built(IMAGE, 10L));
        FactoryRun failed = awaitPhase(run.getMetadata().getName(), RunPhase.Failed);
        assertThat(failed.getStatus().reason).isEqualTo("ForeignObject");
        assertThat(failed.getStatus().attempts.get(0).reason).isEqualTo("ForeignObject");
        return failed;
    }

    private FactoryRun awaitPhase(String name, RunPhase wanted) {
        return await().atMost(WAIT)
                .until(() -> factory.run(name), r -> r != null && phase(r) == wanted);
    }

    private io.fabric8.kubernetes.api.model.ObjectMeta meta(String name) {
        return new ObjectMetaBuilder().withName(name).withNamespace(factory.namespace).build();
    }

    private FactoryRun copy(FactoryRun run, String name) {
        FactoryRun copy = new FactoryRun();
        copy.setMetadata(meta(name));
        copy.setSpec(run.getSpec());
        return copy;
    }
}
