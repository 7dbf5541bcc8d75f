package dev.darkfactory.operator.apiserver;

import static dev.darkfactory.operator.testing.FactoryHarness.WAIT;
import static dev.darkfactory.operator.testing.FactoryHarness.phase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.darkfactory.operator.api.v1alpha1.Annotations;
import dev.darkfactory.operator.api.v1alpha1.AttemptStatus;
import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.IntentPhase;
import dev.darkfactory.operator.api.v1alpha1.Labels;
import dev.darkfactory.operator.api.v1alpha1.RunPhase;
import dev.darkfactory.operator.api.v1alpha1.RunTrigger;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntent;
import dev.darkfactory.operator.rollout.DeploymentHealth;
import dev.darkfactory.operator.rollout.ServingResources;
import dev.darkfactory.operator.status.StatusAggregator;
import dev.darkfactory.operator.testing.FactoryConfigs;
import dev.darkfactory.operator.testing.FactoryHarness;
import dev.darkfactory.operator.testing.FakeDeploymentController;
import dev.darkfactory.operator.testing.FakeGarbageCollector;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Serving on a real API server: the test plays the kubelet and the Deployment controller. The
 * passing image rolls out by digest, the old one serves until the new one is Available, a failed
 * rollout rolls back and feeds the crash into the next attempt, and drift is put back.
 *
 * <p>The class runs beside the other test classes (junit-platform.properties), as its namespaces
 * and operators are its own; its resource lock keeps its own tests one after the other.
 */
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock("ServingTest")
class ServingTest {

    private static final String V1 = "registry.test/ns/todo@sha256:" + "1".repeat(64);
    private static final String V2 = "registry.test/ns/todo@sha256:" + "2".repeat(64);
    private static final String V3 = "registry.test/ns/todo@sha256:" + "3".repeat(64);

    @RegisterExtension final FactoryHarness factory = new FactoryHarness(FactoryConfigs.defaults());
    private final KubernetesClient client = factory.client;
    private final FakeDeploymentController deployments =
            new FakeDeploymentController(client, factory.namespace);

    @Test
    void theFirstPassingImageRollsOutByDigest() {
        FactoryRun run = serveFirstRevision();

        SoftwareIntent served = factory.intent("todo");
        String revision = served.getStatus().servingRevision;
        assertThat(revision)
                .isEqualTo(run.getMetadata().getName().substring("todo-".length()) + "-a1");
        Deployment deployment = deployments.get("todo-" + revision);
        Container app = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(app.getImage()).isEqualTo(V1);
        assertThat(app.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(app.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(app.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(deployment.getSpec().getTemplate().getSpec().getAutomountServiceAccountToken())
                .isFalse();
        assertThat(
                        deployment
                                .getSpec()
                                .getTemplate()
                                .getSpec()
                                .getSecurityContext()
                                .getSeccompProfile()
                                .getType())
                .isEqualTo("RuntimeDefault");
        assertThat(deployment.getMetadata().getOwnerReferences())
                .singleElement()
                .satisfies(o -> assertThat(o.getKind()).isEqualTo("SoftwareIntent"));
        Service service = client.services().inNamespace(factory.namespace).withName("todo").get();
        assertThat(service.getSpec().getPorts())
                .singleElement()
                .satisfies(p -> assertThat(p.getPort()).isEqualTo(8080));
        assertThat(service.getSpec().getSelector())
                .containsEntry(Labels.REVISION, revision)
                .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());

        SoftwareIntent intent = factory.intent("todo");
        assertThat(intent.getStatus().servingImage).isEqualTo(V1);
        assertThat(intent.getStatus().servingRun).isEqualTo(run.getMetadata().getName());
        assertThat(intent.getStatus().url)
                .isEqualTo("http://todo." + factory.namespace + ".svc:8080");
        assertThat(
                        StatusAggregator.find(intent.getStatus().conditions, StatusAggregator.READY)
                                .isTrue())
                .isTrue();
        assertThat(factory.eventReasons("todo"))
                .contains("RolloutStarted", "VerificationPassed", "RolledOut");
    }

    @Test
    void theOldImageServesWhileTheNextGenerationBuildsAndMovesOnlyWhenItPasses() {
        serveFirstRevision();
        changeDescription("A REST service for todo items, with due dates.");

        FactoryRun second =
                factory.awaitRun(
                        "todo",
                        r -> r.getSpec().intentGeneration == 2L && factory.hasPod(r, 1, false));
        SoftwareIntent building =
                factory.awaitIntent("todo", i -> i.getStatus().phase == IntentPhase.Building);
        assertThat(
                        DeploymentHealth.image(
                                deployments.get("todo-" + building.getStatus().servingRevision)))
                .isEqualTo(V1);
        assertThat(building.getStatus().servingImage).isEqualTo(V1);
        assertThat(condition(building, StatusAggregator.READY).isTrue())
                .as("the old revision still serves")
                .isTrue();
        assertThat(condition(building, StatusAggregator.RECONCILING).isTrue()).isTrue();

        factory.passAttempt("todo", 1, V2);
        String candidate = factory.awaitCandidate("todo");
        assertThat(DeploymentHealth.image(deployments.get("todo-" + candidate))).isEqualTo(V2);
        assertThat(factory.intent("todo").getStatus().servingImage)
                .as("not before it is Available and verified")
                .isEqualTo(V1);
        factory.rollOut("todo");

        SoftwareIntent ready =
                factory.awaitIntent(
                        "todo",
                        i ->
                                V2.equals(i.getStatus().servingImage)
                                        && i.getStatus().phase == IntentPhase.Ready);
        assertThat(ready.getStatus().servingRun).isEqualTo(second.getMetadata().getName());
    }

    @Test
    void aFailedRolloutRollsBackAndTheNextAttemptGetsTheCrashButNotTheAppsOutputAsFeedback() {
        serveFirstRevision();
        String serving = factory.intent("todo").getStatus().servingRevision;
        changeDescription("A REST service for todo items, with tags.");
        factory.passAttempt("todo", 1, V2);
        String candidate = factory.awaitCandidate("todo");

        SoftwareIntent intent = factory.intent("todo");
        // The app prints a Secret value as it dies; without serve.forwardAppOutput it stays in the
        // pod.
        deployments.stuckWithCrashingPods(
                "todo-" + candidate,
                ServingResources.revisionSelector(intent, candidate),
                "DB_PASSWORD=canary-secret-3c9d\nModuleNotFoundError: No module named 'flask'");

        await().atMost(WAIT).until(() -> deployments.get("todo-" + candidate) == null);
        assertThat(DeploymentHealth.image(deployments.get("todo-" + serving))).isEqualTo(V1);
        FactoryRun run =
                factory.awaitRun(
                        "todo",
                        r -> r.getStatus().attempts.size() == 2 && factory.hasPod(r, 2, false));
        AttemptStatus rolledBack = run.getStatus().attempts.get(0);
        assertThat(rolledBack.reason).isEqualTo("RolloutFailed");
        assertThat(rolledBack.message)
                .contains("CrashLoopBackOff", "exit code 1")
                .doesNotContain("canary-secret", "flask");
        String feedback =
                client.configMaps()
                        .inNamespace(factory.namespace)
                        .withName(run.getMetadata().getName() + "-a2-input")
                        .get()
                        .getData()
                        .get("feedback.json");
        assertThat(feedback)
                .contains("RolloutFailed", "exit code 1")
                .doesNotContain("canary-secret", "flask");
        assertThat(client.v1().events().inNamespace(factory.namespace).list().getItems())
                .noneMatch(e -> e.getMessage() != null && e.getMessage().contains("canary-secret"));
        SoftwareIntent after = factory.intent("todo");
        assertThat(after.getStatus().servingImage).isEqualTo(V1);
        assertThat(factory.eventReasons("todo")).contains("RolloutFailed");

        factory.passAttempt("todo", 2, V3);
        assertThat(
                        DeploymentHealth.image(
                                deployments.get("todo-" + factory.awaitCandidate("todo"))))
                .isEqualTo(V3);
    }

    @Test
    void theFirstRevisionHasNothingToRollBackTo() {
        factory.createIntent("todo", 2, null);
        factory.passAttempt("todo", 1, V1);
        String candidate = factory.awaitCandidate("todo");

        deployments.stuckWithCrashingPods(
                "todo-" + candidate,
                ServingResources.revisionSelector(factory.intent("todo"), candidate),
                "panic: port in use");

        FactoryRun run = factory.awaitRun("todo", r -> r.getStatus().attempts.size() == 2);
        assertThat(run.getStatus().attempts.get(0).reason).isEqualTo("RolloutFailed");
        await().atMost(WAIT)
                .until(
                        () ->
                                client
                                        .v1()
                                        .events()
                                        .inNamespace(factory.namespace)
                                        .list()
                                        .getItems()
                                        .stream()
                                        .anyMatch(
                                                e ->
                                                        "RolloutFailed".equals(e.getReason())
                                                                && e.getMessage()
                                                                        .contains(
                                                                                "this was the first revision")));
        assertThat(factory.intent("todo").getStatus().servingImage).isNull();
        assertThat(client.services().inNamespace(factory.namespace).withName("todo").get())
                .as("nothing was verified, so no Service routes to anything")
                .isNull();
    }

    @Test
    void handEditsAreRepairedAndDeletedObjectsRecreated() {
        serveFirstRevision();
        String deploymentName = "todo-" + factory.intent("todo").getStatus().servingRevision;

        client.apps()
                .deployments()
                .inNamespace(factory.namespace)
                .withName(deploymentName)
                .edit(
                        d -> {
                            d.getSpec().setReplicas(5);
                            d.getSpec()
                                    .getTemplate()
                                    .getSpec()
                                    .getContainers()
                                    .get(0)
                                    .setImage("evil/image:latest");
                            return d;
                        });
        client.services()
                .inNamespace(factory.namespace)
                .withName("todo")
                .edit(
                        s -> {
                            s.getSpec().getPorts().get(0).setPort(9999);
                            return s;
                        });

        await().atMost(WAIT)
                .untilAsserted(
                        () -> {
                            Deployment repaired = deployments.get(deploymentName);
                            assertThat(repaired.getSpec().getReplicas()).isEqualTo(1);
                            assertThat(DeploymentHealth.image(repaired)).isEqualTo(V1);
                            assertThat(
                                            client.services()
                                                    .inNamespace(factory.namespace)
                                                    .withName("todo")
                                                    .get()
                                                    .getSpec()
                                                    .getPorts())
                                    .singleElement()
                                    .satisfies(p -> assertThat(p.getPort()).isEqualTo(8080));
                        });

        client.apps()
                .deployments()
                .inNamespace(factory.namespace)
                .withName(deploymentName)
                .delete();
        client.services().inNamespace(factory.namespace).withName("todo").delete();
        await().atMost(WAIT)
                .until(
                        () ->
                                deployments.get(deploymentName) != null
                                        && client.services()
                                                        .inNamespace(factory.namespace)
                                                        .withName("todo")
                                                        .get()
                                                != null);
    }

    @Test
    void aPausedIntentStartsNoRunAndChangesNoRollout() {
        serveFirstRevision();
        factory.editIntent(
                "todo",
                i -> {
                    i.getSpec().paused = true;
                    i.getSpec().description = "A REST service for todo items, paused mid-change.";
                    return i;
                });

        SoftwareIntent paused =
                factory.awaitIntent("todo", i -> i.getStatus().phase == IntentPhase.Paused);
        assertThat(paused.getStatus().observedGeneration).isEqualTo(2L);
        assertThat(condition(paused, StatusAggregator.RECONCILING).reason).isEqualTo("Paused");
        assertThat(condition(paused, StatusAggregator.READY).isTrue())
                .as("what served still serves")
                .isTrue();
        String deploymentName = "todo-" + paused.getStatus().servingRevision;
        client.apps()
                .deployments()
                .inNamespace(factory.namespace)
                .withName(deploymentName)
                .edit(
                        d -> {
                            d.getSpec().setReplicas(3);
                            return d;
                        });
        await().during(java.time.Duration.ofSeconds(3))
                .atMost(WAIT)
                .until(
                        () ->
                                client.resources(FactoryRun.class)
                                                        .inNamespace(factory.namespace)
                                                        .list()
                                                        .getItems()
                                                        .size()
                                                == 1
                                        && deployments.get(deploymentName).getSpec().getReplicas()
                                                == 3);
    }

    @Test
    void aRebuildAnnotationStartsARunWithoutASpecChange() {
        serveFirstRevision();

        factory.editIntent(
                "todo",
                i -> {
                    Map<String, String> annotations =
                            new HashMap<>(
                                    i.getMetadata().getAnnotations() == null
                                            ? Map.of()
                                            : i.getMetadata().getAnnotations());
                    annotations.put(Annotations.REBUILD, "2026-11-25T12:00");
                    i.getMetadata().setAnnotations(annotations);
                    return i;
                });

        FactoryRun rebuild =
                factory.awaitRun("todo", r -> r.getSpec().trigger == RunTrigger.RebuildRequested);
        assertThat(rebuild.getSpec().intentGeneration).isEqualTo(1L);
        assertThat(rebuild.getSpec().rebuildToken).isEqualTo("2026-11-25T12:00");
        assertThat(rebuild.getSpec().previousSource)
                .as("starts from the serving source")
                .isNotNull();
    }

    @Test
    void deletingTheIntentTakesTheDeploymentAndServiceAlong() {
        serveFirstRevision();

        client.resources(SoftwareIntent.class)
                .inNamespace(factory.namespace)
                .withName("todo")
                .delete();

        await().atMost(WAIT)
                .untilAsserted(
                        () -> {
                            FakeGarbageCollector.collect(client, factory.namespace);
                            assertThat(
                                            client.apps()
                                                    .deployments()
                                                    .inNamespace(factory.namespace)
                                                    .list()
                                                    .getItems())
                                    .isEmpty();
                            assertThat(
                                            client.services()
                                                    .inNamespace(factory.namespace)
                                                    .list()
                                                    .getItems())
                                    .isEmpty();
                            assertThat(
                                            client.resources(FactoryRun.class)
                                                    .inNamespace(factory.namespace)
                                                    .list()
                                                    .getItems())
                                    .isEmpty();
                        });
    }

    /** Creates the intent, passes its first run with V1 and reports the Deployment rolled out. */
    private FactoryRun serveFirstRevision() {
        factory.createIntent("todo", 3, null);
        FactoryRun run = factory.passAttempt("todo", 1, V1);
        factory.rollOut("todo");
        factory.awaitIntent(
                "todo",
                i ->
                        i.getStatus().phase == IntentPhase.Ready
                                && V1.equals(i.getStatus().servingImage));
        assertThat(phase(run)).isEqualTo(RunPhase.Succeeded);
        return run;
    }

    /** Changes the spec and waits until the intent's latest run builds the new generation. */
    private void changeDescription(String description) {
        SoftwareIntent changed =
                factory.editIntent(
                        "todo",
                        i -> {
                            i.getSpec().description = description;
                            return i;
                        });
        factory.awaitRun(
                "todo",
                r -> r.getSpec().intentGeneration.equals(changed.getMetadata().getGeneration()));
    }

    private static dev.darkfactory.operator.api.v1alpha1.Condition condition(
            SoftwareIntent intent, String type) {
        return StatusAggregator.find(intent.getStatus().conditions, type);
    }
}
