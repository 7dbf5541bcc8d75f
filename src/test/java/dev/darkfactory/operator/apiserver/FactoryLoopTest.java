package dev.darkfactory.operator.apiserver;

import static dev.darkfactory.operator.testing.FactoryHarness.WAIT;
import static dev.darkfactory.operator.testing.FactoryHarness.genPod;
import static dev.darkfactory.operator.testing.FactoryHarness.phase;
import static dev.darkfactory.operator.testing.FactoryHarness.report;
import static dev.darkfactory.operator.testing.FactoryHarness.testPod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.darkfactory.operator.api.v1alpha1.AttemptPhase;
import dev.darkfactory.operator.api.v1alpha1.AttemptStatus;
import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.IntentPhase;
import dev.darkfactory.operator.api.v1alpha1.RunPhase;
import dev.darkfactory.operator.api.v1alpha1.RunTrigger;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntent;
import dev.darkfactory.operator.contract.StationOutcome;
import dev.darkfactory.operator.status.StatusAggregator;
import dev.darkfactory.operator.testing.FactoryConfigs;
import dev.darkfactory.operator.testing.FactoryHarness;
import dev.darkfactory.operator.testing.FakeGarbageCollector;
import dev.darkfactory.operator.testing.FakeKubelet;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The factory loop on a real API server: the intent and run reconcilers run in-process, and the
 * test plays the kubelet by writing pod statuses and termination messages.
 */
// Its namespaces and operators are its own: in the parallel lane, its tests one by one.
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock("FactoryLoopTest")
class FactoryLoopTest {

    private static final String IMAGE = "registry.test/ns/todo@sha256:" + "a".repeat(64);

    // Infrastructure failures retry after a second, not the default half minute.
    @RegisterExtension
    final FactoryHarness factory =
            new FactoryHarness(
                    FactoryConfigs.with(
                            "darkfactory.infra-retry-limit", "3",
                            "darkfactory.infra-retry-initial-backoff", "1s",
                            "darkfactory.infra-retry-max-backoff", "2s"));

    private final KubernetesClient client = factory.client;
    private final String namespace = factory.namespace;
    private final FakeKubelet kubelet = factory.kubelet;

    @Test
    void passesOnTheFirstAttempt() {
        createIntent("todo", 3, null);

        FactoryRun run = awaitRun("todo", r -> hasPod(r, 1, false));
        assertThat(run.getSpec().trigger).isEqualTo(RunTrigger.SpecChanged);
        assertThat(run.getMetadata().getOwnerReferences())
                .singleElement()
                .satisfies(o -> assertThat(o.getKind()).isEqualTo("SoftwareIntent"));
        kubelet.generatorSucceeds(genPod(run, 1), built(120L));
        run = awaitRun("todo", r -> hasPod(r, 1, true));
        kubelet.testerFinishes(
                testPod(run, 1),
                report(List.of("health", "list-todos", "create-todo"), List.of()),
                0);

        FactoryRun passed = awaitRun("todo", r -> phase(r) == RunPhase.Succeeded);
        AttemptStatus attempt = passed.getStatus().attempts.get(0);
        assertThat(attempt.phase).isEqualTo(AttemptPhase.Passed);
        assertThat(attempt.image).isEqualTo(IMAGE);
        assertThat(attempt.baseImage)
                .as("the base image the build pinned")
                .isEqualTo(FactoryHarness.BASE_IMAGE);
        assertThat(attempt.tokens).isEqualTo(120L);
        assertThat(attempt.tests.passed).isEqualTo(2);
        assertThat(attempt.tests.heldOutPassed).isEqualTo(1);
        assertThat(passed.getStatus().image).isEqualTo(IMAGE);
        assertThat(StatusAggregator.find(passed.getStatus().conditions, "Succeeded").isTrue())
                .isTrue();
        Pod stopped =
                await().atMost(WAIT)
                        .until(
                                () ->
                                        client.pods()
                                                .inNamespace(namespace)
                                                .withName(testPod(passed, 1))
                                                .get(),
                                p ->
                                        Long.valueOf(1)
                                                .equals(p.getSpec().getActiveDeadlineSeconds()));
        assertThat(stopped.getMetadata().getDeletionTimestamp())
                .as("the decided tester pod is stopped (its app with it), not deleted: logs stay")
                .isNull();

        // Serving takes over from here (ServingTest): the passing image rolls out.
        SoftwareIntent intent =
                awaitIntent("todo", i -> i.getStatus().phase == IntentPhase.RollingOut);
        assertThat(intent.getStatus().attempts).isEqualTo(1);
        assertThat(intent.getStatus().latestRun).isEqualTo(passed.getMetadata().getName());
        assertThat(factory.eventReasons(passed.getMetadata().getName()))
                .contains("Built", "ChecksPassed")
                .doesNotContain("AttemptStarted");
    }

    @Test
    void failsThenPassesWithTheFeedbackOfTheFirstAttempt() {
        createIntent("todo", 3, null);
        FactoryRun run = awaitRun("todo", r -> hasPod(r, 1, false));
        kubelet.generatorSucceeds(genPod(run, 1), built(100L));
        run = awaitRun("todo", r -> hasPod(r, 1, true));
        kubelet.testerFinishes(
                testPod(run, 1),
                report(List.of("health"), List.of("list-todos", "create-todo")),
                1);

        run = awaitRun("todo", r -> hasPod(r, 2, false));
        AttemptStatus first = run.getStatus().attempts.get(0);
        assertThat(first.reason).isEqualTo("ChecksFailed");
        assertThat(first.failedContainer).isEqualTo("tester");
        assertThat(first.logsCommand)
                .isEqualTo("kubectl -n " + namespace + " logs " + testPod(run, 1) + " -c tester");
        assertThat(first.tests.heldOutFailed).isEqualTo(1);

        ConfigMap input =
                client.configMaps()
                        .inNamespace(namespace)
                        .withName(run.getMetadata().getName() + "-a2-input")
                        .get();
        String feedback = input.getData().get("feedback.json");
        assertThat(feedback)
                .contains("list-todos", "expected status 200, got 404", "\"failed\" : 1");
        assertThat(input.getData().values())
                .as("held-out checks stay out of everything the generator reads")
                .noneMatch(v -> v.contains("create-todo") || v.contains("milk"));
        Pod generator = client.pods().inNamespace(namespace).withName(genPod(run, 2)).get();
        assertThat(generator.getSpec().getVolumes()).noneMatch(v -> v.getSecret() != null);
        assertThat(generator.getSpec().getAutomountServiceAccountToken()).isFalse();

        kubelet.generatorSucceeds(genPod(run, 2), built(50L));
        run = awaitRun("todo", r -> hasPod(r, 2, true));
        kubelet.testerFinishes(
                testPod(run, 2),
                report(List.of("health", "list-todos", "create-todo"), List.of()),
                0);

        run = awaitRun("todo", r -> phase(r) == RunPhase.Succeeded);
        assertThat(run.getStatus().tokensUsed).isEqualTo(150L);
        assertThat(run.getStatus().currentAttempt).isEqualTo(2);
    }

    @Test
    void failsTheRunWhenEveryAttemptFails() {
        createIntent("todo", 2, null);
        for (int n = 1; n <= 2; n++) {
            int attempt = n;
            FactoryRun run = awaitRun("todo", r -> hasPod(r, attempt, false));
            kubelet.stationFails(
                    genPod(run, attempt),
                    "build",
                    1,
                    "Error",
                    "{\"station\":\"build\",\"ok\":false,\"reason\":\"BaseImageNotAllowed\",\"message\":\"base image evil:1 is not on the allow-list\"}");
        }

        FactoryRun run = awaitRun("todo", r -> phase(r) == RunPhase.Failed);
        assertThat(run.getStatus().reason).isEqualTo("MaxAttemptsExhausted");
        assertThat(run.getStatus().message)
                .contains("spec.budget.maxAttempts", "BaseImageNotAllowed");
        assertThat(run.getStatus().attempts)
                .extracting(a -> a.reason)
                .containsOnly("BaseImageNotAllowed");
        assertThat(run.getStatus().attempts.get(1).failedContainer).isEqualTo("build");

        SoftwareIntent intent = awaitIntent("todo", i -> i.getStatus().phase == IntentPhase.Failed);
        var stalled =
                StatusAggregator.find(intent.getStatus().conditions, StatusAggregator.STALLED);
        assertThat(stalled.isTrue()).isTrue();
        assertThat(stalled.reason).isEqualTo("MaxAttemptsExhausted");
    }

    @Test
    void aPodPastItsDeadlineFailsTheAttemptAndTheNextOneStarts() {
        createIntent("todo", 2, null);
        FactoryRun run = awaitRun("todo", r -> hasPod(r, 1, false));
        Pod pod = client.pods().inNamespace(namespace).withName(genPod(run, 1)).get();
        assertThat(pod.getSpec().getActiveDeadlineSeconds()).isEqualTo(20 * 60L);

        kubelet.deadlineExceeded(genPod(run, 1));

        run = awaitRun("todo", r -> hasPod(r, 2, false));
        assertThat(run.getStatus().attempts.get(0).reason).isEqualTo("DeadlineExceeded");
        assertThat(run.getStatus().attempts.get(0).message).contains("spec.budget.attemptTimeout");
    }

    @Test
    void stopsWhenTheTokenBudgetIsExhausted() {
        createIntent("todo", 5, 1000L);
        FactoryRun run = awaitRun("todo", r -> hasPod(r, 1, false));
        kubelet.generatorSucceeds(genPod(run, 1), built(600L));
        run = awaitRun("todo", r -> hasPod(r, 1, true));
        kubelet.testerFinishes(testPod(run, 1), report(List.of(), List.of("health")), 1);
        run = awaitRun("todo", r -> hasPod(r, 2, false));
        kubelet.generatorSucceeds(genPod(run, 2), built(600L));

        run = awaitRun("todo", r -> phase(r) == RunPhase.Failed);
        assertThat(run.getStatus().reason).isEqualTo("TokenBudgetExhausted");
        assertThat(run.getStatus().message).contains("1200 tokens", "spec.budget.maxTokens 1000");
        assertThat(run.getStatus().attempts).hasSize(2);
        assertThat(client.pods().inNamespace(namespace).withName(testPod(run, 2)).get()).isNull();
    }

    @Test
    void aSpecChangeCancelsTheRunInFlightAndStartsANewOne() {
        createIntent("todo", 3, null);
        FactoryRun old = awaitRun("todo", r -> hasPod(r, 1, false));

        factory.editIntent(
                "todo",
                i -> {
                    i.getSpec().description = "A REST service for todo items, now with priorities.";
                    return i;
                });

        FactoryRun cancelled =
                await().atMost(WAIT)
                        .until(
                                () -> get(old.getMetadata().getName()),
                                r -> phase(r) == RunPhase.Cancelled);
        assertThat(cancelled.getStatus().reason).isEqualTo("Cancelled");
        assertThat(cancelled.getStatus().attempts.get(0).reason).isEqualTo("Cancelled");
        await().atMost(WAIT).until(() -> !kubelet.exists(genPod(old, 1)));
        FactoryRun newer =
                awaitRun("todo", r -> hasPod(r, 1, false) && r.getSpec().intentGeneration == 2L);
        assertThat(newer.getMetadata().getName()).startsWith("todo-g2-");
        assertThat(newer.getSpec().trigger).isEqualTo(RunTrigger.SpecChanged);
        assertThat(newer.getSpec().intent.description).contains("priorities");
        assertThat(cancelled.getSpec().intent.description).doesNotContain("priorities");
    }

    @Test
    void theConcurrencyCapHoldsRunsInQueued() {
        factory.stop();
        factory.start(FactoryConfigs.with("darkfactory.max-concurrent-runs", "1"));
        createIntent("first", 3, null);
        FactoryRun first = awaitRun("first", r -> hasPod(r, 1, false));
        createIntent("second", 3, null);

        FactoryRun second = awaitRun("second", r -> phase(r) == RunPhase.Queued);
        SoftwareIntent waiting =
                awaitIntent("second", i -> i.getStatus().phase == IntentPhase.Queued);
        assertThat(second.getStatus().attempts).isEmpty();
        assertThat(
                        StatusAggregator.find(
                                        waiting.getStatus().conditions,
                                        StatusAggregator.RECONCILING)
                                .reason)
                .isEqualTo("Queued");

        kubelet.generatorSucceeds(genPod(first, 1), built(1L));
        first = awaitRun("first", r -> hasPod(r, 1, true));
        kubelet.testerFinishes(testPod(first, 1), report(List.of("health"), List.of()), 0);

        awaitRun("second", r -> hasPod(r, 1, false));
    }

    @Test
    void anOperatorRestartBetweenStagesNeitherDuplicatesNorLosesWork() {
        createIntent("todo", 3, null);
        FactoryRun run = awaitRun("todo", r -> hasPod(r, 1, false));
        factory.restartWhile(() -> kubelet.generatorSucceeds(genPod(run, 1), built(10L)));

        FactoryRun testing = awaitRun("todo", r -> hasPod(r, 1, true));
        factory.restartWhile(
                () ->
                        kubelet.testerFinishes(
                                testPod(testing, 1),
                                report(List.of("health"), List.of("list-todos")),
                                1));

        FactoryRun second = awaitRun("todo", r -> hasPod(r, 2, false));
        factory.restartWhile(() -> {});
        kubelet.generatorSucceeds(genPod(second, 2), built(10L));
        FactoryRun secondTesting = awaitRun("todo", r -> hasPod(r, 2, true));
        kubelet.testerFinishes(
                testPod(secondTesting, 2), report(List.of("health", "list-todos"), List.of()), 0);

        FactoryRun done = awaitRun("todo", r -> phase(r) == RunPhase.Succeeded);
        assertThat(done.getStatus().attempts).hasSize(2);
        assertThat(client.resources(FactoryRun.class).inNamespace(namespace).list().getItems())
                .hasSize(1);
        await().atMost(WAIT)
                .untilAsserted(
                        () -> {
                            List<Pod> pods = client.pods().inNamespace(namespace).list().getItems();
                            assertThat(pods)
                                    .extracting(p -> p.getMetadata().getName())
                                    .containsExactlyInAnyOrder(
                                            genPod(done, 1),
                                            genPod(done, 2),
                                            testPod(done, 1),
                                            testPod(done, 2));
                            assertThat(pods)
                                    .filteredOn(p -> p.getMetadata().getName().endsWith("-test"))
                                    .as("decided tester pods are stopped, kept for their logs")
                                    .allSatisfy(
                                            p ->
                                                    assertThat(
                                                                    p.getSpec()
                                                                            .getActiveDeadlineSeconds())
                                                            .isEqualTo(1L));
                        });
    }

    @Test
    void aPodDeletedUnderTheRunIsReplacedWithoutChargingItsAttempt() {
        createIntent("todo", 3, null);
        FactoryRun run = awaitRun("todo", r -> hasPod(r, 1, false));

        client.pods().inNamespace(namespace).withName(genPod(run, 1)).withGracePeriod(0).delete();

        // The run is Blocked only for the 1 s backoff, too short to be sure a poll sees it: what
        // stays is the replacement pod, the lost one on record, the count and the Warning.
        FactoryRun replaced =
                awaitRun(
                        "todo",
                        r ->
                                (genPod(run, 1) + "-r1")
                                        .equals(r.getStatus().attempts.get(0).generatorPod));
        assertThat(replaced.getStatus().attempts).hasSize(1);
        assertThat(replaced.getStatus().attempts.get(0).reason).isNull();
        assertThat(replaced.getStatus().attempts.get(0).lostPods).containsExactly(genPod(run, 1));
        assertThat(replaced.getStatus().infrastructureFailures).isEqualTo(1);
        assertThat(factory.eventReasons(replaced.getMetadata().getName())).contains("PodDeleted");
    }

    @Test
    void deletingTheIntentTakesEverythingItOwns() {
        createIntent("todo", 3, null);
        FactoryRun run = awaitRun("todo", r -> hasPod(r, 1, false));
        kubelet.generatorSucceeds(genPod(run, 1), built(1L));
        awaitRun("todo", r -> hasPod(r, 1, true));

        client.resources(SoftwareIntent.class).inNamespace(namespace).withName("todo").delete();
        await().atMost(WAIT)
                .untilAsserted(
                        () -> {
                            FakeGarbageCollector.collect(client, namespace);
                            assertThat(
                                            client.resources(FactoryRun.class)
                                                    .inNamespace(namespace)
                                                    .list()
                                                    .getItems())
                                    .isEmpty();
                            assertThat(client.pods().inNamespace(namespace).list().getItems())
                                    .isEmpty();
                            assertThat(client.configMaps().inNamespace(namespace).list().getItems())
                                    .allMatch(
                                            c ->
                                                    c.getMetadata()
                                                            .getName()
                                                            .equals("kube-root-ca.crt"));
                            assertThat(client.secrets().inNamespace(namespace).list().getItems())
                                    .noneMatch(s -> s.getMetadata().getName().endsWith("-holdout"));
                        });
    }

    // ---- shorthands

    private void createIntent(String name, int maxAttempts, Long maxTokens) {
        factory.createIntent(name, maxAttempts, maxTokens);
    }

    private FactoryRun awaitRun(String intent, Predicate<FactoryRun> until) {
        return factory.awaitRun(intent, until);
    }

    private SoftwareIntent awaitIntent(String name, Predicate<SoftwareIntent> until) {
        return factory.awaitIntent(name, until);
    }

    private boolean hasPod(FactoryRun run, int n, boolean tester) {
        return factory.hasPod(run, n, tester);
    }

    private FactoryRun get(String run) {
        return factory.run(run);
    }

    private static StationOutcome built(Long tokens) {
        return FactoryHarness.built(IMAGE, tokens);
    }
}
