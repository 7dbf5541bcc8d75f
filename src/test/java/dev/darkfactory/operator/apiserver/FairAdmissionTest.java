package dev.darkfactory.operator.apiserver;

import static dev.darkfactory.operator.testing.FactoryHarness.WAIT;
import static dev.darkfactory.operator.testing.FactoryHarness.phase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.RunPhase;
import dev.darkfactory.operator.config.FactoryConfig;
import dev.darkfactory.operator.intent.IntentReconciler;
import dev.darkfactory.operator.metrics.FactoryMetrics;
import dev.darkfactory.operator.run.RunReconciler;
import dev.darkfactory.operator.testing.FactoryConfigs;
import dev.darkfactory.operator.testing.FactoryHarness;
import dev.darkfactory.operator.testing.Fixtures;
import dev.darkfactory.operator.testing.InProcessOperator;
import dev.darkfactory.operator.testing.TestApiServer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Fair admission on a real API server, with one operator serving two namespaces: one namespace with
 * 200 runs queued cannot keep another's first run waiting for more than one slot. Asserted on the
 * order in which pods appear, never on time.
 */
// Long, and mostly waiting on the operator in namespaces of its own: in the parallel lane.
@Execution(ExecutionMode.CONCURRENT)
class FairAdmissionTest {

    private static final int QUEUED = 200;

    /** Listing 200 runs is not free on a shared machine: look twice a second, not ten times. */
    private static final Duration POLL = Duration.ofMillis(500);

    /** Namespace A, its GeneratorClass and its kubelet; the operator is this test's own. */
    @RegisterExtension final FactoryHarness a = FactoryHarness.withoutOperator();

    private final KubernetesClient client = a.client;
    private final String b = TestApiServer.newNamespace("fair-b");

    @Test
    void aNamespaceWithTwoHundredQueuedRunsDelaysAnothersFirstRunByOneSlotAtMost() {
        // The default cap: two runs in flight across all namespaces, none per namespace.
        FactoryConfig settings = FactoryConfigs.defaults();
        assertThat(settings.maxConcurrentRuns()).isEqualTo(2);
        try (InProcessOperator operator =
                InProcessOperator.startWatching(
                        client,
                        Set.of(a.namespace, b),
                        new IntentReconciler(settings, FactoryMetrics.inMemory()),
                        new RunReconciler(settings, FactoryMetrics.inMemory()))) {
            for (int i = 0; i < QUEUED; i++) {
                a.createIntent(String.format("a%03d", i), 1, null);
            }
            // A's first two runs take both slots; the other 198 queue.
            await().atMost(WAIT.multipliedBy(3))
                    .pollInterval(POLL)
                    .until(
                            () -> {
                                List<FactoryRun> runs = runs(a.namespace);
                                return runs.size() == QUEUED
                                        && count(runs, RunPhase.Running) == 2
                                        && count(runs, RunPhase.Queued) == QUEUED - 2;
                            });
            await().atMost(WAIT).pollInterval(POLL).until(() -> pods(a.namespace).size() == 2);

            client.resource(Fixtures.intent(b, "b000", a.className)).create();
            await().atMost(WAIT)
                    .pollInterval(POLL)
                    .until(
                            () -> {
                                List<FactoryRun> runs = runs(b);
                                return runs.size() == 1 && phase(runs.get(0)) == RunPhase.Queued;
                            });

            // One of A's runs ends (its only attempt fails): the slot goes to B's run, not to A's
            // third.
            FactoryRun first =
                    runs(a.namespace).stream()
                            .filter(r -> phase(r) == RunPhase.Running)
                            .findFirst()
                            .orElseThrow();
            a.failAttempt(first.getSpec().intentName, 1);
            await().atMost(WAIT)
                    .pollInterval(POLL)
                    .until(() -> !pods(b).isEmpty() || pods(a.namespace).size() > 2);

            assertThat(pods(b)).as("B's first run started").hasSize(1);
            assertThat(pods(a.namespace))
                    .as("A had started no third run when B's started")
                    .hasSize(2);
            assertThat(phase(a.run(first.getMetadata().getName()))).isEqualTo(RunPhase.Failed);
        }
    }

    private List<FactoryRun> runs(String namespace) {
        return client.resources(FactoryRun.class).inNamespace(namespace).list().getItems();
    }

    private List<Pod> pods(String namespace) {
        return client.pods().inNamespace(namespace).list().getItems();
    }

    private static long count(List<FactoryRun> runs, RunPhase phase) {
        return runs.stream().filter(r -> phase(r) == phase).count();
    }
}
