package dev.darkfactory.operator.apiserver;

import static dev.darkfactory.operator.testing.FactoryHarness.WAIT;
import static dev.darkfactory.operator.testing.FactoryHarness.genPod;
import static dev.darkfactory.operator.testing.FactoryHarness.phase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.darkfactory.operator.api.v1alpha1.AttemptStatus;
import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.OwnerReferences;
import dev.darkfactory.operator.api.v1alpha1.RunPhase;
import dev.darkfactory.operator.testing.FactoryConfigs;
import dev.darkfactory.operator.testing.FactoryHarness;
import dev.darkfactory.operator.testing.FakeGarbageCollector;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * A run deleted while it runs is made again by its intent under the same name; what the deleted run
 * left (its input ConfigMap, its generator pod) is the garbage collector's to delete, which
 * kube-api-test does not run. The new run waits for that as for any infrastructure failure, and
 * then makes its own.
 */
// Its namespaces and operators are its own: in the parallel lane, its tests one by one.
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock("LeftoverObjectTest")
class LeftoverObjectTest {

    /**
     * Retries a second or two apart, so the run soon looks again once the leftovers are gone, and
     * many of them, so that it has not given up by the time the test collects on a busy machine.
     */
    @RegisterExtension
    final FactoryHarness factory =
            new FactoryHarness(
                    FactoryConfigs.with(
                            "darkfactory.infra-retry-limit", "30",
                            "darkfactory.infra-retry-initial-backoff", "1s",
                            "darkfactory.infra-retry-max-backoff", "2s"));

    private final KubernetesClient client = factory.client;

    @Test
    void aRunMadeAgainUnderItsNameWaitsForWhatTheDeletedOneLeftThenMakesItsOwn() {
        factory.createIntent("todo", 3, null);
        FactoryRun deleted = factory.awaitRun("todo", r -> factory.hasPod(r, 1, false));
        String name = deleted.getMetadata().getName();
        String deletedUid = deleted.getMetadata().getUid();
        client.resources(FactoryRun.class).inNamespace(factory.namespace).withName(name).delete();

        FactoryRun blocked =
                factory.awaitRunPassedThrough(
                        "todo",
                        r ->
                                !deletedUid.equals(r.getMetadata().getUid())
                                        && phase(r) == RunPhase.Blocked);
        assertThat(blocked.getMetadata().getName()).as("the same name").isEqualTo(name);
        assertThat(blocked.getStatus().reason).isEqualTo("LeftoverObject");
        assertThat(blocked.getStatus().message)
                .contains(factory.namespace + "/" + name + "-a1-")
                .contains("earlier run " + name, deletedUid, "garbage collector")
                .contains("not charged");
        assertThat(blocked.getStatus().attempts).hasSize(1);
        AttemptStatus attempt = blocked.getStatus().attempts.get(0);
        assertThat(attempt.reason).as("the attempt is not charged").isNull();
        assertThat(attempt.generatorPod).isNull();
        assertThat(attempt.lostPods).as("no pod of the run was lost").isNull();
        // The Event follows the status write.
        await().atMost(WAIT).until(() -> factory.eventReasons(name).contains("LeftoverObject"));
        assertThat(ownerUid(pod(name + "-a1-gen")))
                .as("the leftover pod is left to the garbage collector")
                .isEqualTo(deletedUid);

        FakeGarbageCollector.collect(client, factory.namespace);

        String uid = blocked.getMetadata().getUid();
        FactoryRun resumed =
                factory.awaitRun(
                        "todo",
                        r -> uid.equals(r.getMetadata().getUid()) && factory.hasPod(r, 1, false));
        assertThat(phase(resumed)).isEqualTo(RunPhase.Running);
        assertThat(resumed.getStatus().attempts).hasSize(1);
        assertThat(ownerUid(pod(genPod(resumed, 1)))).isEqualTo(uid);
        ConfigMap input =
                client.configMaps()
                        .inNamespace(factory.namespace)
                        .withName(name + "-a1-input")
                        .get();
        assertThat(ownerUid(input)).isEqualTo(uid);
        assertThat(String.join("\n", input.getData().values()))
                .as("nothing of the wait reaches the generator")
                .doesNotContain("LeftoverObject");
    }

    private Pod pod(String name) {
        Pod pod = client.pods().inNamespace(factory.namespace).withName(name).get();
        assertThat(pod).as("pod " + name).isNotNull();
        return pod;
    }

    private static String ownerUid(HasMetadata object) {
        return OwnerReferences.controllerUid(object);
    }
}
