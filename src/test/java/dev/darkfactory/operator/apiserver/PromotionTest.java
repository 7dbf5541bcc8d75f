package dev.darkfactory.operator.apiserver;

import static dev.darkfactory.operator.testing.FactoryHarness.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.IntentPhase;
import dev.darkfactory.operator.api.v1alpha1.Labels;
import dev.darkfactory.operator.api.v1alpha1.ServeSpec;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntent;
import dev.darkfactory.operator.contract.CheckResult;
import dev.darkfactory.operator.contract.StationContract;
import dev.darkfactory.operator.contract.TestReport;
import dev.darkfactory.operator.rollout.DeploymentHealth;
import dev.darkfactory.operator.testing.FactoryConfigs;
import dev.darkfactory.operator.testing.FactoryHarness;
import dev.darkfactory.operator.testing.FakeDeploymentController;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Blue/green promotion on a real API server: the test plays the Deployment controller and the
 * kubelet (the verification pod's tester). A passing image runs as a revision of its own beside the
 * serving one, the intent's Service switches to it only once its verification passed, a candidate
 * that fails verification in its production configuration is removed and becomes the run's
 * feedback, older revisions are kept scaled to 0 up to revisionHistoryLimit, and a pin rolls back
 * by scaling up first and switching after.
 *
 * <p>Its namespaces and operators are its own, so it runs beside the other classes; its resource
 * lock keeps its own tests one after the other.
 */
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock("PromotionTest")
class PromotionTest {

    private static final String V1 = "registry.test/ns/todo@sha256:" + "1".repeat(64);
    private static final String V2 = "registry.test/ns/todo@sha256:" + "2".repeat(64);
    private static final String V3 = "registry.test/ns/todo@sha256:" + "3".repeat(64);
    private static final String V4 = "registry.test/ns/todo@sha256:" + "4".repeat(64);

    @RegisterExtension
    final FactoryHarness factory =
            new FactoryHarness(FactoryConfigs.with("darkfactory.serve-drain", "1s"));

    private final KubernetesClient client = factory.client;
    private final FakeDeploymentController deployments =
            new FakeDeploymentController(client, factory.namespace);

    @Test
    void aCandidateRunsBesideTheServingRevisionAndTheServiceSwitchesOnlyOnceItIsVerified() {
        String first = serveFirstRevision();
        FactoryRun second = newGeneration("with due dates", V2);

        String candidate = factory.awaitCandidate("todo");
        assertThat(candidate).isEqualTo(revisionOf(second, 1)).isNotEqualTo(first);
        Deployment serving = deployments.get("todo-" + first);
        Deployment beside = deployments.get("todo-" + candidate);
        assertThat(serving.getSpec().getReplicas()).isEqualTo(1);
        assertThat(DeploymentHealth.image(beside)).isEqualTo(V2);
        assertThat(app(beside).getEnv())
                .as("the production configuration of the serving revision")
                .isEqualTo(app(serving).getEnv());
        assertThat(beside.getSpec().getSelector().getMatchLabels())
                .containsEntry(Labels.REVISION, candidate);

        deployments.rolledOut("todo-" + candidate);
        String podName = FactoryHarness.verifierPod("todo", candidate);
        await().atMost(WAIT).until(() -> factory.kubelet.exists(podName));
        Pod verifier = client.pods().inNamespace(factory.namespace).withName(podName).get();
        Service candidateService =
                client.services().inNamespace(factory.namespace).withName("todo-candidate").get();
        assertThat(candidateService.getSpec().getSelector())
                .containsEntry(Labels.REVISION, candidate);
        assertThat(verifier.getSpec().getContainers())
                .as("the tester alone: it reaches the candidate through its Service")
                .singleElement()
                .satisfies(
                        tester ->
                                assertThat(env(tester, StationContract.Env.APP_URL))
                                        .isEqualTo(
                                                "http://"
                                                        + candidateService.getSpec().getClusterIP()
                                                        + ":8080"));
        assertThat(verifier.getSpec().getVolumes())
                .filteredOn(v -> v.getSecret() != null)
                .singleElement()
                .satisfies(
                        v ->
                                assertThat(v.getSecret().getSecretName())
                                        .isEqualTo(second.getMetadata().getName() + "-holdout"));
        assertThat(verifier.getMetadata().getOwnerReferences())
                .singleElement()
                .satisfies(o -> assertThat(o.getKind()).isEqualTo("SoftwareIntent"));
        SoftwareIntent verifying = factory.intent("todo");
        assertThat(selector())
                .as("not before it is verified")
                .containsEntry(Labels.REVISION, first);
        assertThat(verifying.getStatus().servingRevision).isEqualTo(first);
        assertThat(verifying.getStatus().rollout.revision).isEqualTo(candidate);

        factory.passVerification("todo", candidate);

        SoftwareIntent promoted =
                factory.awaitIntent(
                        "todo",
                        i ->
                                candidate.equals(i.getStatus().servingRevision)
                                        && i.getStatus().phase == IntentPhase.Ready);
        assertThat(selector()).containsEntry(Labels.REVISION, candidate);
        assertThat(promoted.getStatus().servingImage).isEqualTo(V2);
        assertThat(promoted.getStatus().keptRevisions)
                .extracting(r -> r.revision)
                .containsExactly(first);
        await().atMost(WAIT)
                .untilAsserted(
                        () -> {
                            assertThat(deployments.get("todo-" + first).getSpec().getReplicas())
                                    .as("scaled to 0 once drained")
                                    .isZero();
                            assertThat(factory.kubelet.exists(podName)).isFalse();
                            assertThat(
                                            client.services()
                                                    .inNamespace(factory.namespace)
                                                    .withName("todo-candidate")
                                                    .get())
                                    .isNull();
                        });
        assertThat(factory.eventReasons("todo"))
                .contains("RolloutStarted", "VerificationPassed", "RolledOut");
    }

    @Test
    void aCandidateThatFailsOnlyInItsProductionConfigurationIsNeverServedAndBecomesFeedback() {
        String first = serveFirstRevision();
        FactoryRun second = newGeneration("with tags", V2);
        String candidate = factory.awaitCandidate("todo");
        deployments.rolledOut("todo-" + candidate);

        // The run's own tester passed; against the candidate, with the production serve.env, a
        // held-out check fails. Its name, request and reason must not leave the tester.
        CheckResult heldOut =
                new CheckResult(
                        "canary-holdout-name",
                        true,
                        false,
                        "GET /canary-holdout-path",
                        "expected canary-holdout-value");
        factory.finishVerification(
                "todo",
                candidate,
                new TestReport(false, true, 2, 1, List.of(heldOut), 0, null),
                TestReport.EXIT_CHECKS_FAILED);

        await().atMost(WAIT).until(() -> deployments.get("todo-" + candidate) == null);
        SoftwareIntent after =
                factory.awaitIntent("todo", i -> i.getStatus().failedRollout != null);
        assertThat(after.getStatus().servingRevision).isEqualTo(first);
        assertThat(after.getStatus().servingImage).isEqualTo(V1);
        assertThat(selector()).containsEntry(Labels.REVISION, first);
        assertThat(deployments.get("todo-" + first).getSpec().getReplicas()).isEqualTo(1);
        assertThat(after.getStatus().failedRollout.of(second.getMetadata().getName(), 1)).isTrue();
        assertThat(after.getStatus().failedRollout.message)
                .contains("failed verification in its production configuration", "1 held out")
                .doesNotContain("canary");

        FactoryRun run =
                factory.awaitRun(
                        "todo",
                        r ->
                                r.getMetadata().getName().equals(second.getMetadata().getName())
                                        && r.getStatus().attempts.size() == 2
                                        && factory.hasPod(r, 2, false));
        assertThat(run.getStatus().attempts.get(0).reason).isEqualTo("RolloutFailed");
        assertThat(run.getStatus().attempts.get(0).message)
                .contains("verification")
                .doesNotContain("canary");
        String feedback =
                client.configMaps()
                        .inNamespace(factory.namespace)
                        .withName(run.getMetadata().getName() + "-a2-input")
                        .get()
                        .getData()
                        .get("feedback.json");
        assertThat(feedback).contains("production configuration").doesNotContain("canary");
        assertThat(client.v1().events().inNamespace(factory.namespace).list().getItems())
                .noneMatch(e -> e.getMessage() != null && e.getMessage().contains("canary"));
        assertThat(factory.eventReasons("todo")).contains("VerificationFailed");
    }

    @Test
    void aVerificationPodLostToTheInfrastructureIsReplacedAndChargesNothing() {
        serveFirstRevision();
        FactoryRun second = newGeneration("with notes", V2);
        String candidate = factory.awaitCandidate("todo");
        deployments.rolledOut("todo-" + candidate);
        String podName = FactoryHarness.verifierPod("todo", candidate);
        await().atMost(WAIT).until(() -> factory.kubelet.exists(podName));
        String lostUid =
                client.pods()
                        .inNamespace(factory.namespace)
                        .withName(podName)
                        .get()
                        .getMetadata()
                        .getUid();

        factory.kubelet.evicted(podName);

        await().atMost(WAIT)
                .until(
                        () -> {
                            Pod pod =
                                    client.pods()
                                            .inNamespace(factory.namespace)
                                            .withName(podName)
                                            .get();
                            return pod != null && !pod.getMetadata().getUid().equals(lostUid);
                        });
        factory.passVerification("todo", candidate);
        factory.awaitIntent("todo", i -> candidate.equals(i.getStatus().servingRevision));
        FactoryRun run =
                factory.awaitRun(
                        "todo",
                        r -> r.getMetadata().getName().equals(second.getMetadata().getName()));
        assertThat(run.getStatus().attempts).as("not charged to the run").hasSize(1);
        assertThat(factory.intent("todo").getStatus().failedRollout).isNull();
    }

    @Test
    void revisionHistoryLimitKeepsThatManyEarlierRevisionsScaledToZero() {
        String first = serveFirstRevision();
        factory.editIntent(
                "todo",
                i -> {
                    i.getSpec().serve = new ServeSpec();
                    i.getSpec().serve.revisionHistoryLimit = 2;
                    i.getSpec().description = "A REST service for todo items, keeping two.";
                    return i;
                });
        awaitRunOf(2);
        String second = promote(factory.passAttempt("todo", 1, V2));
        String third = promote(newGeneration("with owners", V3));
        String fourth = promote(newGeneration("with labels", V4));

        await().atMost(WAIT)
                .untilAsserted(
                        () -> {
                            assertThat(deployments.get("todo-" + first))
                                    .as("beyond the limit: deleted")
                                    .isNull();
                            assertThat(deployments.get("todo-" + second).getSpec().getReplicas())
                                    .isZero();
                            assertThat(deployments.get("todo-" + third).getSpec().getReplicas())
                                    .isZero();
                            assertThat(deployments.get("todo-" + fourth).getSpec().getReplicas())
                                    .isEqualTo(1);
                        });
        assertThat(factory.intent("todo").getStatus().keptRevisions)
                .extracting(r -> r.revision)
                .containsExactly(third, second);
    }

    @Test
    void aPinnedKeptRevisionIsScaledUpFirstAndTheServiceSwitchesOnlyOnceItIsAvailable() {
        String first = serveFirstRevision();
        String second = promote(newGeneration("with due dates", V2));
        await().atMost(WAIT)
                .until(() -> deployments.get("todo-" + first).getSpec().getReplicas() == 0);

        factory.editIntent(
                "todo",
                i -> {
                    i.getSpec().serve = new ServeSpec();
                    i.getSpec().serve.revision = first;
                    return i;
                });

        await().atMost(WAIT)
                .until(() -> deployments.get("todo-" + first).getSpec().getReplicas() == 1);
        SoftwareIntent rollingBack =
                factory.awaitIntent(
                        "todo",
                        i -> i.getStatus().rollout != null && i.getStatus().rollout.rollingBack());
        assertThat(rollingBack.getStatus().servingRevision).isEqualTo(second);
        assertThat(selector())
                .as("not before it is Available")
                .containsEntry(Labels.REVISION, second);
        assertThat(client.pods().inNamespace(factory.namespace).list().getItems())
                .as("it was verified when it was promoted")
                .noneMatch(p -> p.getMetadata().getName().endsWith("-verify"));

        deployments.rolledOut("todo-" + first);

        SoftwareIntent rolledBack =
                factory.awaitIntent("todo", i -> first.equals(i.getStatus().servingRevision));
        assertThat(selector()).containsEntry(Labels.REVISION, first);
        assertThat(rolledBack.getStatus().servingImage).isEqualTo(V1);
        assertThat(rolledBack.getStatus().keptRevisions)
                .extracting(r -> r.revision)
                .containsExactly(second);
        await().atMost(WAIT)
                .until(() -> deployments.get("todo-" + second).getSpec().getReplicas() == 0);
        assertThat(factory.eventReasons("todo")).contains("RolledBack");
    }

    /** Creates the intent, passes its first run with V1 and promotes it; returns its revision. */
    private String serveFirstRevision() {
        factory.createIntent("todo", 3, null);
        factory.passAttempt("todo", 1, V1);
        return factory.rollOut("todo");
    }

    /** Changes the description; the new generation's run passes attempt 1 with {@code image}. */
    private FactoryRun newGeneration(String change, String image) {
        SoftwareIntent changed =
                factory.editIntent(
                        "todo",
                        i -> {
                            i.getSpec().description = "A REST service for todo items, " + change;
                            return i;
                        });
        awaitRunOf(changed.getMetadata().getGeneration());
        return factory.passAttempt("todo", 1, image);
    }

    private FactoryRun awaitRunOf(long generation) {
        return factory.awaitRun("todo", r -> r.getSpec().intentGeneration == generation);
    }

    /** Promotes the image the run passed with; returns its revision once it serves. */
    private String promote(FactoryRun passed) {
        String revision = factory.rollOut("todo");
        assertThat(revision).isEqualTo(revisionOf(passed, 1));
        return revision;
    }

    private Map<String, String> selector() {
        return client.services()
                .inNamespace(factory.namespace)
                .withName("todo")
                .get()
                .getSpec()
                .getSelector();
    }

    private static String revisionOf(FactoryRun run, int attempt) {
        return run.getMetadata().getName().substring("todo-".length()) + "-a" + attempt;
    }

    private static Container app(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    private static String env(Container container, String name) {
        return container.getEnv().stream()
                .filter(e -> e.getName().equals(name))
                .map(EnvVar::getValue)
                .findFirst()
                .orElse(null);
    }
}
