package dev.darkfactory.operator.apiserver;

import static dev.darkfactory.operator.testing.FactoryHarness.WAIT;
import static dev.darkfactory.operator.testing.FactoryHarness.phase;
import static dev.darkfactory.operator.testing.FactoryHarness.report;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.darkfactory.operator.api.v1alpha1.AttemptStatus;
import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.IntentPhase;
import dev.darkfactory.operator.api.v1alpha1.RunPhase;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntent;
import dev.darkfactory.operator.config.InfraRetry;
import dev.darkfactory.operator.contract.TestReport;
import dev.darkfactory.operator.status.StatusAggregator;
import dev.darkfactory.operator.testing.FactoryConfigs;
import dev.darkfactory.operator.testing.FactoryHarness;
import dev.darkfactory.operator.testing.FakeKubelet;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Failures that are the cluster's, on a real API server: the test plays the kubelet and the
 * scheduler by writing pod statuses, and the quota controller by writing a ResourceQuota's status.
 * For each class: the reason appears on the run and the intent naming the object at fault, no
 * attempt is charged and nothing is fed back, the slot is freed, the retries are bounded, and the
 * run recovers once the cause goes. The time from cause to reason is printed (measured, never
 * asserted).
 */
// Its namespaces and operators are its own: in the parallel lane, its tests one by one.
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock("InfrastructureFailuresTest")
class InfrastructureFailuresTest {

    private static final String IMAGE = "registry.test/ns/todo@sha256:" + "a".repeat(64);

    /** Short waits so the test sees several retries: 3 in a row, 1 s doubled up to 2 s. */
    private static final InfraRetry RETRY =
            new InfraRetry(3, Duration.ofSeconds(1), Duration.ofSeconds(2));

    private FactoryHarness factory;
    private KubernetesClient client;
    private String namespace;
    private FakeKubelet kubelet;

    @BeforeEach
    void setUp() {
        factory =
                new FactoryHarness(
                        FactoryConfigs.with(
                                "darkfactory.max-concurrent-runs", "1",
                                "darkfactory.infra-retry-limit", String.valueOf(RETRY.limit()),
                                "darkfactory.infra-retry-initial-backoff", "1s",
                                "darkfactory.infra-retry-max-backoff", "2s",
                                // Short, so the test sees the grace end and the pod reported.
                                "darkfactory.unschedulable-grace", "1s"));
        client = factory.client;
        namespace = factory.namespace;
        kubelet = factory.kubelet;
    }

    @AfterEach
    void tearDown() {
        factory.close();
    }

    @Test
    void aMissingSecretBlocksTheRunFreesItsSlotAndTheRunRecoversOnceItExists() {
        factory.createIntent("todo", 3, null);
        FactoryRun run = awaitRun("todo", r -> generatorPod(r) != null);
        String firstPod = generatorPod(run);
        factory.createIntent("other", 3, null);
        awaitRun("other", r -> phase(r) == RunPhase.Queued);

        long cause = System.nanoTime();
        kubelet.containerWaits(
                firstPod,
                "generate",
                "CreateContainerConfigError",
                "secret \"darkfactory-openai\" not found");

        FactoryRun blocked =
                factory.awaitRunPassedThrough("todo", r -> phase(r) == RunPhase.Blocked);
        measured("ConfigMissing", cause);
        assertThat(blocked.getStatus().reason).isEqualTo("ConfigMissing");
        assertThat(blocked.getStatus().message)
                .contains("Secret darkfactory-openai does not exist", "not charged");
        assertBlockedWithoutCharge(blocked, "ConfigMissing");
        SoftwareIntent intent =
                factory.awaitIntent("todo", i -> i.getStatus().phase == IntentPhase.Blocked);
        assertThat(StatusAggregator.find(intent.getStatus().conditions, "Reconciling").message)
                .contains("Secret darkfactory-openai");

        // The slot is free: the other intent's run starts while this one waits.
        awaitRun("other", r -> generatorPod(r) != null && phase(r) == RunPhase.Running);
        await().atMost(WAIT).until(() -> !kubelet.exists(firstPod));

        // The Secret appears: the other run ends, this one gets its slot back and carries on
        // with the same attempt in a new pod.
        failAttempts("other");
        FactoryRun resumed =
                awaitRun("todo", r -> generatorPod(r) != null && !generatorPod(r).equals(firstPod));
        assertThat(generatorPod(resumed)).isEqualTo(firstPod + "-r1");
        passAttempt("todo", resumed);
        FactoryRun passed = awaitRun("todo", r -> phase(r) == RunPhase.Succeeded);
        assertThat(passed.getStatus().attempts).hasSize(1);
        assertThat(passed.getStatus().attempts.get(0).lostPods).containsExactly(firstPod);
        assertThat(passed.getStatus().infrastructureFailures).isNull();
        assertThat(factory.eventReasons(passed.getMetadata().getName()))
                .containsOnlyOnce("ConfigMissing");
    }

    @Test
    void anAppImageThatCannotBePulledIsNeverAppNeverHealthy() {
        factory.createIntent("todo", 3, null);
        FactoryRun run = awaitRun("todo", r -> generatorPod(r) != null);
        kubelet.generatorSucceeds(generatorPod(run), FactoryHarness.built(IMAGE, 10L));
        run = awaitRun("todo", r -> testerPod(r) != null);
        String firstTester = testerPod(run);

        long cause = System.nanoTime();
        kubelet.appWaitsWhileTesterGivesUp(
                firstTester,
                "ImagePullBackOff",
                new TestReport(
                        false,
                        false,
                        0,
                        0,
                        List.of(),
                        0,
                        "the app never answered /healthz within 60s"));

        FactoryRun blocked =
                factory.awaitRunPassedThrough("todo", r -> phase(r) == RunPhase.Blocked);
        measured("ImagePullFailed (app image)", cause);
        assertThat(blocked.getStatus().reason).isEqualTo("ImagePullFailed");
        assertThat(blocked.getStatus().message).contains(IMAGE, "container app");
        assertBlockedWithoutCharge(blocked, "ImagePullFailed");
        assertThat(blocked.getStatus().attempts.get(0).failures).isNull();

        // The image becomes pullable: a new tester pod for the same attempt passes.
        FactoryRun resumed =
                awaitRun("todo", r -> testerPod(r) != null && !testerPod(r).equals(firstTester));
        kubelet.testerFinishes(
                testerPod(resumed),
                report(List.of("health", "list-todos", "create-todo"), List.of()),
                0);
        FactoryRun passed = awaitRun("todo", r -> phase(r) == RunPhase.Succeeded);
        assertThat(passed.getStatus().attempts).hasSize(1);
        assertThat(passed.getStatus().attempts.get(0).reason).isNull();
        await().atMost(WAIT).until(() -> !kubelet.exists(firstTester));
    }

    @Test
    void aStationImageThatCannotBePulledNamesTheImage() {
        factory.createIntent("todo", 3, null);
        FactoryRun run = awaitRun("todo", r -> generatorPod(r) != null);

        long cause = System.nanoTime();
        kubelet.containerWaits(generatorPod(run), "prepare", "ErrImagePull", "pull access denied");

        FactoryRun blocked =
                factory.awaitRunPassedThrough("todo", r -> phase(r) == RunPhase.Blocked);
        measured("ImagePullFailed (station image)", cause);
        assertThat(blocked.getStatus().message)
                .contains(FactoryConfigs.defaults().stationImage(), "container prepare");
        assertBlockedWithoutCharge(blocked, "ImagePullFailed");
    }

    @Test
    void anUnschedulablePodIsRetriedWithinItsBudgetThenTheRunStalls() {
        factory.createIntent("todo", 3, null);
        long previous = 0;
        String lastPod = null;
        for (int failure = 1; failure <= RETRY.limit() + 1; failure++) {
            String before = lastPod;
            FactoryRun run =
                    awaitRun(
                            "todo",
                            r -> generatorPod(r) != null && !generatorPod(r).equals(before));
            lastPod = generatorPod(run);
            long now = System.nanoTime();
            if (previous != 0) {
                System.out.printf(
                        "measured: Unschedulable retry %d after %d ms%n",
                        failure - 1, (now - previous) / 1_000_000);
            }
            long cause = System.nanoTime();
            kubelet.unschedulable(lastPod, "0/3 nodes are available: 3 Insufficient cpu.");
            int expected = failure;
            awaitRun(
                    "todo",
                    r ->
                            r.getStatus().infrastructureFailures != null
                                    && r.getStatus().infrastructureFailures == expected);
            measured("Unschedulable", cause);
            previous = System.nanoTime();
        }

        FactoryRun stalled = awaitRun("todo", r -> phase(r) == RunPhase.Failed);
        assertThat(stalled.getStatus().reason).isEqualTo("Unschedulable");
        assertThat(stalled.getStatus().message)
                .contains("gave up after 4 infrastructure failures", "Insufficient cpu");
        assertThat(stalled.getStatus().attempts).hasSize(1);
        assertThat(stalled.getStatus().attempts.get(0).lostPods).hasSize(RETRY.limit() + 1);
        SoftwareIntent intent =
                factory.awaitIntent("todo", i -> i.getStatus().phase == IntentPhase.Failed);
        var condition = StatusAggregator.find(intent.getStatus().conditions, "Stalled");
        assertThat(condition.isTrue()).isTrue();
        assertThat(condition.reason).isEqualTo("Unschedulable");
        await().atMost(WAIT)
                .until(() -> client.pods().inNamespace(namespace).list().getItems().isEmpty());
    }

    @Test
    void aQuotaThatRefusesThePodBlocksTheRunUntilItIsRaised() {
        ResourceQuota quota =
                client.resource(
                                new ResourceQuotaBuilder()
                                        .withNewMetadata()
                                        .withName("compute")
                                        .withNamespace(namespace)
                                        .endMetadata()
                                        .withNewSpec()
                                        .withHard(Map.of("pods", new Quantity("0")))
                                        .endSpec()
                                        .build())
                        .create();
        // Plays the quota controller, which kube-api-test does not run: until the quota has a
        // status, the API server refuses with "status unknown" rather than "exceeded quota".
        quota.setStatus(
                new io.fabric8.kubernetes.api.model.ResourceQuotaStatusBuilder()
                        .withHard(Map.of("pods", new Quantity("0")))
                        .withUsed(Map.of("pods", new Quantity("0")))
                        .build());
        client.resource(quota).updateStatus();

        long cause = System.nanoTime();
        factory.createIntent("todo", 3, null);
        FactoryRun blocked =
                factory.awaitRunPassedThrough("todo", r -> phase(r) == RunPhase.Blocked);
        measured("QuotaExceeded (from the intent's creation)", cause);
        assertThat(blocked.getStatus().reason).isEqualTo("QuotaExceeded");
        assertThat(blocked.getStatus().message).contains("exceeded quota: compute");
        assertThat(blocked.getStatus().attempts.get(0).generatorPod).isNull();
        assertThat(blocked.getStatus().currentAttempt).isEqualTo(1);

        client.resource(quota).delete();
        FactoryRun resumed = awaitRun("todo", r -> generatorPod(r) != null);
        assertThat(resumed.getStatus().attempts).hasSize(1);
        assertThat(kubelet.exists(generatorPod(resumed))).isTrue();
    }

    @Test
    void anEvictedPodIsReplacedWithoutChargingAnAttempt() {
        factory.createIntent("todo", 3, null);
        FactoryRun run = awaitRun("todo", r -> generatorPod(r) != null);
        String evicted = generatorPod(run);

        long cause = System.nanoTime();
        kubelet.evicted(evicted);

        FactoryRun blocked =
                factory.awaitRunPassedThrough("todo", r -> phase(r) == RunPhase.Blocked);
        measured("PodEvicted", cause);
        assertThat(blocked.getStatus().message).contains("Evicted", "ephemeral-storage");
        assertBlockedWithoutCharge(blocked, "PodEvicted");
        FactoryRun resumed =
                awaitRun("todo", r -> generatorPod(r) != null && !generatorPod(r).equals(evicted));
        passAttempt("todo", resumed);
        assertThat(awaitRun("todo", r -> phase(r) == RunPhase.Succeeded).getStatus().attempts)
                .hasSize(1);
    }

    // ---- shorthands

    /** Attempt 1 is still the only one, not failed, and its input carries no feedback. */
    private void assertBlockedWithoutCharge(FactoryRun blocked, String reason) {
        assertThat(blocked.getStatus().attempts).hasSize(1);
        AttemptStatus attempt = blocked.getStatus().attempts.get(0);
        assertThat(attempt.reason).as("the attempt is not charged").isNull();
        assertThat(blocked.getStatus().currentAttempt).isEqualTo(1);
        var reconciling =
                StatusAggregator.find(blocked.getStatus().conditions, StatusAggregator.RECONCILING);
        assertThat(reconciling.reason).isEqualTo(reason);
        assertThat(StatusAggregator.find(blocked.getStatus().conditions, "Stalled").isTrue())
                .isFalse();
        assertThat(blocked.getStatus().retryAt).isNotNull();
        ConfigMap input =
                client.configMaps()
                        .inNamespace(namespace)
                        .withName(blocked.getMetadata().getName() + "-a1-input")
                        .get();
        assertThat(String.join("\n", input.getData().values()))
                .as("nothing of the failure reaches the generator")
                .doesNotContain(reason);
    }

    private void passAttempt(String intent, FactoryRun run) {
        kubelet.generatorSucceeds(generatorPod(run), FactoryHarness.built(IMAGE, 10L));
        FactoryRun testing = awaitRun(intent, r -> testerPod(r) != null);
        kubelet.testerFinishes(
                testerPod(testing),
                report(List.of("health", "list-todos", "create-todo"), List.of()),
                0);
    }

    private void failAttempts(String intent) {
        for (int n = 1; n <= 3; n++) {
            int attempt = n;
            FactoryRun run =
                    awaitRun(
                            intent,
                            r ->
                                    r.getStatus().attempts.size() == attempt
                                            && generatorPod(r) != null);
            kubelet.stationFails(
                    generatorPod(run),
                    "build",
                    1,
                    "Error",
                    "{\"station\":\"build\",\"ok\":false,\"reason\":\"BuildFailed\",\"message\":\"no\"}");
        }
        awaitRun(intent, r -> phase(r) == RunPhase.Failed);
    }

    private FactoryRun awaitRun(String intent, Predicate<FactoryRun> until) {
        return factory.awaitRun(intent, until);
    }

    private static String generatorPod(FactoryRun run) {
        return run.getStatus().attempts.isEmpty()
                ? null
                : run.getStatus().attempts.get(run.getStatus().attempts.size() - 1).generatorPod;
    }

    private static String testerPod(FactoryRun run) {
        return run.getStatus().attempts.isEmpty()
                ? null
                : run.getStatus().attempts.get(run.getStatus().attempts.size() - 1).testerPod;
    }

    private static void measured(String failure, long causeNanos) {
        System.out.printf(
                "measured: %s cause -> reason in status %d ms%n",
                failure, (System.nanoTime() - causeNanos) / 1_000_000);
    }
}
