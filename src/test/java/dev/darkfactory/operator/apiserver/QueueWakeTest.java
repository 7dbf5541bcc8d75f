package dev.darkfactory.operator.apiserver;

import static dev.darkfactory.operator.testing.FactoryHarness.phase;
import static org.assertj.core.api.Assertions.assertThat;

import dev.darkfactory.operator.api.v1alpha1.RunPhase;
import dev.darkfactory.operator.testing.FactoryConfigs;
import dev.darkfactory.operator.testing.FactoryHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * A run that gives up its slot hands it on at once: the queued run it goes to is woken, instead of
 * waiting for its next look at the queue. The test sets that look to every ten minutes, so only the
 * wake can start the queued run within the harness's wait.
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
}
