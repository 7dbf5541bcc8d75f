package dev.darkfactory.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.RunPhase;
import dev.darkfactory.operator.testing.FactoryConfigs;
import dev.darkfactory.operator.testing.FactoryHarness;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * A generator pod whose registry push Secret (a volume) does not exist never starts: the kubelet
 * leaves its containers waiting and says why only in a FailedMount Event. The run reports
 * ConfigMissing naming the Secret, is not charged an attempt, and recovers once the Secret exists.
 * The time from cause to reason is printed (measured, never asserted).
 */
// Its namespaces and operators are its own: in the parallel lane, its tests one by one.
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock("MissingVolumeTest")
class MissingVolumeTest {

    private FactoryHarness factory;

    @BeforeEach
    void setUp() {
        factory =
                new FactoryHarness(
                        FactoryConfigs.with(
                                "darkfactory.registry-push-secret", "push-creds",
                                "darkfactory.infra-retry-initial-backoff", "1s",
                                "darkfactory.infra-retry-max-backoff", "2s"));
    }

    @AfterEach
    void tearDown() {
        factory.close();
    }

    @Test
    void aMissingVolumeSecretIsNamedAndTheRunRecoversOnceItExists() {
        long cause = System.nanoTime();
        factory.createIntent("todo", 3, null);

        FactoryRun blocked =
                factory.awaitRunPassedThrough(
                        "todo", r -> FactoryHarness.phase(r) == RunPhase.Blocked);
        System.out.printf(
                "measured: ConfigMissing (volume) %d ms after the intent's creation%n",
                (System.nanoTime() - cause) / 1_000_000);
        assertThat(blocked.getStatus().reason).isEqualTo("ConfigMissing");
        assertThat(blocked.getStatus().message)
                .contains("Secret push-creds does not exist", "volume registry-auth");
        assertThat(blocked.getStatus().attempts).hasSize(1);
        assertThat(blocked.getStatus().attempts.get(0).reason).isNull();

        factory.client
                .resource(
                        new SecretBuilder()
                                .withNewMetadata()
                                .withName("push-creds")
                                .withNamespace(factory.namespace)
                                .endMetadata()
                                .withType("kubernetes.io/dockerconfigjson")
                                .withStringData(Map.of(".dockerconfigjson", "{\"auths\":{}}"))
                                .build())
                .create();

        // Retried in a new pod for the same attempt, which now mounts the Secret and builds.
        FactoryRun resumed =
                factory.awaitRun(
                        "todo",
                        r ->
                                FactoryHarness.phase(r) == RunPhase.Running
                                        && factory.hasPod(r, 1, false));
        String pod = resumed.getStatus().attempts.get(0).generatorPod;
        assertThat(resumed.getStatus().attempts.get(0).lostPods).doesNotContain(pod).isNotEmpty();
        factory.kubelet.generatorSucceeds(pod, FactoryHarness.built(FactoryHarness.IMAGE, 10L));
        FactoryRun testing = factory.awaitPod("todo", 1, true);
        assertThat(testing.getStatus().attempts).hasSize(1);
        assertThat(testing.getStatus().infrastructureFailures).isNull();
    }
}
