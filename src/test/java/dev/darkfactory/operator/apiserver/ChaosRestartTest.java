package dev.darkfactory.operator.apiserver;

import static dev.darkfactory.operator.testing.FactoryHarness.WAIT;
import static dev.darkfactory.operator.testing.FactoryHarness.phase;
import static dev.darkfactory.operator.testing.FactoryHarness.report;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.darkfactory.operator.api.v1alpha1.AttemptPhase;
import dev.darkfactory.operator.api.v1alpha1.AttemptStatus;
import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.RunPhase;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntent;
import dev.darkfactory.operator.contract.TestReport;
import dev.darkfactory.operator.testing.FactoryConfigs;
import dev.darkfactory.operator.testing.FactoryHarness;
import dev.darkfactory.operator.testing.FakeGarbageCollector;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Operator restarts at random moments, on a real API server: 20 intents whose runs take two or
 * three attempts each while the operator is stopped and started again at least ten times, the test
 * playing the kubelet meanwhile (also while the operator is down). Afterwards every run has ended
 * as planned, its attempts are numbered 1..n, every pod is one an attempt recorded (no duplicate),
 * and once the intents are deleted nothing they owned is left. Seeded: the seed is printed, and
 * {@code -Dchaos.seed=N} repeats a run.
 */
// Long, and mostly waiting on the operator in a namespace of its own: in the parallel lane.
@Execution(ExecutionMode.CONCURRENT)
class ChaosRestartTest {

    private static final int INTENTS = 20;
    private static final int MIN_RESTARTS = 10;
    private static final String IMAGE = "registry.test/ns/todo@sha256:" + "c".repeat(64);

    @RegisterExtension
    final FactoryHarness factory =
            new FactoryHarness(FactoryConfigs.with("darkfactory.max-concurrent-runs", "5"));

    private final KubernetesClient client = factory.client;
    private final long seed = Long.getLong("chaos.seed", System.nanoTime());
    private final Random random = new Random(seed);

    /** Per intent: how many attempts its run takes, and whether the last one passes. */
    private record Plan(int attempts, boolean passes) {}

    @Test
    void restartsAtRandomMomentsNeitherDuplicateNorLoseAnythingAndLeaveNothingBehind() {
        System.out.println("ChaosRestartTest seed " + seed + " (-Dchaos.seed=" + seed + ")");
        Map<String, Plan> plans = new HashMap<>();
        for (int i = 0; i < INTENTS; i++) {
            String name = "chaos-" + i;
            // A run that fails uses all three attempts of its budget; one that passes, two or
            // three.
            int attempts = 2 + random.nextInt(2);
            plans.put(name, new Plan(attempts, attempts == 2 || random.nextBoolean()));
            factory.createIntent(name, 3, null);
        }

        Set<String> played = new HashSet<>();
        int restarts = 0;
        while (restarts < MIN_RESTARTS || !allEnded(plans.keySet())) {
            assertThat(restarts)
                    .as("restarts before every run ended (seed %d)", seed)
                    .isLessThan(200);
            // Some kubelet work with the operator up, then a restart, during which the kubelet
            // may report more.
            for (int steps = random.nextInt(6); steps > 0; steps--) {
                playKubelet(plans, played);
                awaitProgressOrEnd(plans.keySet(), played.size());
            }
            factory.restartWhile(
                    () -> {
                        if (random.nextBoolean()) {
                            playKubelet(plans, played);
                        }
                    });
            restarts++;
        }
        System.out.println(
                "ChaosRestartTest: " + restarts + " restarts, " + played.size() + " pods played");

        for (String intent : plans.keySet()) {
            List<FactoryRun> runs = runsOf(intent);
            assertThat(runs).as("runs of %s (seed %d)", intent, seed).hasSize(1);
            FactoryRun run = runs.get(0);
            Plan plan = plans.get(intent);
            assertThat(phase(run))
                    .as("%s (seed %d)", intent, seed)
                    .isEqualTo(plan.passes() ? RunPhase.Succeeded : RunPhase.Failed);
            assertThat(run.getStatus().attempts)
                    .extracting(a -> a.number)
                    .as("attempt numbers of %s (seed %d)", intent, seed)
                    .containsExactlyElementsOf(
                            IntStream.rangeClosed(1, plan.attempts()).boxed().toList());
        }
        assertEveryPodIsOneAnAttemptRecorded();

        client.resources(SoftwareIntent.class).inNamespace(factory.namespace).delete();
        await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(
                        () -> {
                            FakeGarbageCollector.collect(client, factory.namespace);
                            assertThat(leftBehind()).as("left behind (seed %d)", seed).isEmpty();
                        });
    }

    /**
     * The kubelet reports every pod that waits for it: a generator pod fails its build or succeeds,
     * a tester pod fails a check or passes, as the intent's plan says for that attempt.
     */
    private void playKubelet(Map<String, Plan> plans, Set<String> played) {
        for (FactoryRun run : runs()) {
            if (phase(run) != RunPhase.Running || run.getStatus().attempts.isEmpty()) {
                continue;
            }
            AttemptStatus attempt =
                    run.getStatus().attempts.get(run.getStatus().attempts.size() - 1);
            Plan plan = plans.get(run.getSpec().intentName);
            boolean last = attempt.number >= plan.attempts();
            if (attempt.phase == AttemptPhase.Generating
                    && attempt.generatorPod != null
                    && played.add(attempt.generatorPod)) {
                // Attempts before the last fail in one of the two stations, chosen by the seed.
                if (!last && random.nextBoolean()) {
                    factory.kubelet.stationFails(
                            attempt.generatorPod,
                            "build",
                            1,
                            "Error",
                            "{\"station\":\"build\",\"ok\":false,\"reason\":\"BuildFailed\",\"message\":\"syntax error\"}");
                } else {
                    factory.kubelet.generatorSucceeds(
                            attempt.generatorPod, FactoryHarness.built(IMAGE, 10L));
                }
            } else if (attempt.phase == AttemptPhase.Testing
                    && attempt.testerPod != null
                    && played.add(attempt.testerPod)) {
                boolean passes = last && plan.passes();
                factory.kubelet.testerFinishes(
                        attempt.testerPod,
                        passes
                                ? report(List.of("health", "list-todos", "create-todo"), List.of())
                                : report(List.of("health", "create-todo"), List.of("list-todos")),
                        passes ? TestReport.EXIT_PASSED : TestReport.EXIT_CHECKS_FAILED);
            }
        }
    }

    /**
     * Waits until some pod awaits the kubelet, or every run has ended: a restart then falls
     * anywhere between two steps, never in a loop that only spins.
     */
    private void awaitProgressOrEnd(Set<String> intents, int playedBefore) {
        await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> allEnded(intents) || waitingPods(playedBefore));
    }

    private boolean waitingPods(int playedBefore) {
        long recorded =
                runs().stream()
                        .filter(r -> r.getStatus() != null)
                        .flatMap(r -> r.getStatus().attempts.stream())
                        .mapToLong(
                                a ->
                                        (a.generatorPod != null ? 1 : 0)
                                                + (a.testerPod != null ? 1 : 0))
                        .sum();
        return recorded > playedBefore;
    }

    private boolean allEnded(Set<String> intents) {
        List<FactoryRun> runs = runs();
        return intents.stream()
                .allMatch(
                        intent ->
                                runs.stream()
                                        .anyMatch(
                                                r ->
                                                        intent.equals(r.getSpec().intentName)
                                                                && phase(r) != null
                                                                && phase(r).isFinal()));
    }

    /** Each pod is the generator or tester pod an attempt of its run recorded, once. */
    private void assertEveryPodIsOneAnAttemptRecorded() {
        Map<String, String> recorded = new HashMap<>();
        for (FactoryRun run : runs()) {
            for (AttemptStatus attempt : run.getStatus().attempts) {
                List<String> names = new ArrayList<>();
                names.add(attempt.generatorPod);
                names.add(attempt.testerPod);
                if (attempt.lostPods != null) {
                    names.addAll(attempt.lostPods);
                }
                for (String name : names) {
                    if (name != null) {
                        assertThat(recorded.put(name, run.getMetadata().getName()))
                                .as("pod %s recorded twice (seed %d)", name, seed)
                                .isNull();
                    }
                }
            }
        }
        for (Pod pod : client.pods().inNamespace(factory.namespace).list().getItems()) {
            assertThat(recorded)
                    .as(
                            "pod %s is one an attempt recorded (seed %d)",
                            pod.getMetadata().getName(), seed)
                    .containsKey(pod.getMetadata().getName());
            assertThat(pod.getMetadata().getOwnerReferences())
                    .extracting(o -> o.getName())
                    .containsExactly(recorded.get(pod.getMetadata().getName()));
        }
    }

    private List<String> leftBehind() {
        String ns = factory.namespace;
        List<HasMetadata> objects = new ArrayList<>();
        objects.addAll(client.resources(FactoryRun.class).inNamespace(ns).list().getItems());
        objects.addAll(client.pods().inNamespace(ns).list().getItems());
        objects.addAll(client.configMaps().inNamespace(ns).list().getItems());
        objects.addAll(client.secrets().inNamespace(ns).list().getItems());
        objects.addAll(client.apps().deployments().inNamespace(ns).list().getItems());
        objects.addAll(client.services().inNamespace(ns).list().getItems());
        return objects.stream().map(o -> o.getKind() + " " + o.getMetadata().getName()).toList();
    }

    private List<FactoryRun> runs() {
        return client.resources(FactoryRun.class).inNamespace(factory.namespace).list().getItems();
    }

    private List<FactoryRun> runsOf(String intent) {
        return runs().stream().filter(r -> intent.equals(r.getSpec().intentName)).toList();
    }
}
