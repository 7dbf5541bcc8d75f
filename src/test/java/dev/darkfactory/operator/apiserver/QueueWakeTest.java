package dev.darkfactory.operator.apiserver;

import static dev.darkfactory.operator.testing.FactoryHarness.phase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.RunPhase;
import dev.darkfactory.operator.testing.FactoryConfigs;
import dev.darkfactory.operator.testing.FactoryHarness;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * A run that gives up its slot, or is deleted while it holds one, hands it on at once: the queued
 * run it goes to is woken, instead of waiting for its next look at the queue. The test sets that
 * look to every ten minutes, so only the wake can start the queued run within the harness's wait.
 */
// Its namespaces and operators are its own: in the parallel lane, its tests one by one.
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock("QueueWakeTest")
class QueueWakeTest {

    @RegisterExtension final FactoryHarness factory = FactoryHarness.withoutOperator();

    @Test
    void aRunThatEndsWakesTheQueuedRunItsSlotGoesTo() {
        factory.start(
                FactoryConfigs.with(
                        "darkfactory.max-concurrent-runs", "1",
                        "darkfactory.queue-recheck", "10m"));
        factory.createIntent("first", factory.className, 1);
        factory.awaitPod("first", 1, false);
        factory.createIntent("second", factory.className, 1);
        factory.awaitRun("second", r -> phase(r) == RunPhase.Queued);

        factory.failAttempt("first", 1);

        assertThat(phase(factory.awaitPod("second", 1, false))).isEqualTo(RunPhase.Running);
        assertThat(phase(factory.latestRun("first"))).isEqualTo(RunPhase.Failed);
    }

    @Test
    void aRunningRunDeletedWakesTheQueuedRunItsSlotGoesTo() {
        factory.start(
                FactoryConfigs.with(
                        "darkfactory.max-concurrent-runs", "1",
                        "darkfactory.queue-recheck", "10m"));
        factory.createIntent("first", factory.className, 1);
        FactoryRun first = factory.awaitPod("first", 1, false);
        factory.createIntent("second", factory.className, 1);
        factory.awaitRun("second", r -> phase(r) == RunPhase.Queued);

        factory.client.resource(first).delete();
        // The API server of these tests has no garbage collector. Once the run is gone, the
        // collector marks its pod deleted and later removes it, each an event of the pod; the test
        // plays that by touching the pod until the queued run has started, then removes it. The
        // queue's own look, every ten minutes, cannot start it in the harness's wait.
        var pod =
                factory.client
                        .pods()
                        .inNamespace(factory.namespace)
                        .withName(FactoryHarness.genPod(first, 1));
        AtomicInteger touches = new AtomicInteger();
        await().atMost(FactoryHarness.WAIT)
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> {
                            pod.edit(
                                    p ->
                                            new PodBuilder(p)
                                                    .editMetadata()
                                                    .addToAnnotations(
                                                            "test.darkfactory.dev/collector-touch",
                                                            String.valueOf(
                                                                    touches.incrementAndGet()))
                                                    .endMetadata()
                                                    .build());
                            return factory.hasPod(factory.latestRun("second"), 1, false);
                        });
        pod.delete();

        assertThat(phase(factory.awaitPod("second", 1, false))).isEqualTo(RunPhase.Running);
    }
}
