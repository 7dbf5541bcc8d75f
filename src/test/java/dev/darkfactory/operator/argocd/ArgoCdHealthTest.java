package dev.darkfactory.operator.argocd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.IntentPhase;
import dev.darkfactory.operator.api.v1alpha1.RunPhase;
import dev.darkfactory.operator.argocd.ArgoCdHealthScript.Health;
import dev.darkfactory.operator.testing.FactoryConfigs;
import dev.darkfactory.operator.testing.FactoryHarness;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The Argo CD health scripts of docs/argocd on real objects: the operator runs in-process, the test
 * drives intents to each state and runs the scripts on the SoftwareIntents and FactoryRuns exactly
 * as the API server returns them.
 */
// Its namespaces and operators are its own: in the parallel lane, its tests one by one.
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock("ArgoCdHealthTest")
class ArgoCdHealthTest {

    static final ArgoCdHealthScript INTENT_HEALTH =
            ArgoCdHealthScript.load(Path.of("docs", "argocd", "softwareintent-health.lua"));
    static final ArgoCdHealthScript RUN_HEALTH =
            ArgoCdHealthScript.load(Path.of("docs", "argocd", "factoryrun-health.lua"));

    @RegisterExtension final FactoryHarness factory = FactoryHarness.withoutOperator();
    private final KubernetesClient client = factory.client;
    private final String namespace = factory.namespace;
    private final String className = factory.className;

    @Test
    void anIntentTheOperatorHasNotSeenIsProgressing() {
        factory.createIntent("todo", className, 3);

        assertThat(intentHealth("todo"))
                .isEqualTo(
                        new Health(
                                "Progressing", "Waiting for the operator to observe generation 1"));
    }

    @Test
    void aSpecChangeTheOperatorHasNotSeenIsProgressingWhateverTheStatusSays() {
        factory.start(FactoryConfigs.defaults());
        factory.createIntent("todo", className, 1);
        factory.failAttempt("todo", 1);
        factory.awaitIntent("todo", i -> i.getStatus().phase == IntentPhase.Failed);
        factory.stop();

        factory.editIntent(
                "todo",
                i -> {
                    i.getSpec().description = "A REST service for todo items, now with priorities.";
                    return i;
                });

        assertThat(intentHealth("todo"))
                .isEqualTo(
                        new Health(
                                "Progressing", "Waiting for the operator to observe generation 2"));
    }

    @Test
    void aBuildingIntentAndItsRunAreProgressing() {
        factory.start(FactoryConfigs.defaults());
        factory.createIntent("todo", className, 3);
        FactoryRun run = factory.awaitPod("todo", 1, false);
        factory.awaitIntent("todo", i -> i.getStatus().phase == IntentPhase.Building);

        assertThat(intentHealth("todo"))
                .isEqualTo(
                        new Health(
                                "Progressing",
                                "run "
                                        + run.getMetadata().getName()
                                        + ", attempt 1 of 3: generating; nothing serves yet"));
        assertThat(runHealth(run.getMetadata().getName()))
                .isEqualTo(new Health("Progressing", "attempt 1 of 3: generating"));
    }

    @Test
    void aQueuedIntentAndItsRunAreProgressing() {
        factory.start(FactoryConfigs.with("darkfactory.max-concurrent-runs", "1"));
        factory.createIntent("first", className, 3);
        factory.awaitPod("first", 1, false);
        factory.createIntent("second", className, 3);
        FactoryRun queued = factory.awaitRun("second", r -> r.getStatus().phase == RunPhase.Queued);
        factory.awaitIntent("second", i -> i.getStatus().phase == IntentPhase.Queued);

        assertThat(intentHealth("second").status()).isEqualTo("Progressing");
        assertThat(intentHealth("second").message()).contains("waits for a free slot");
        assertThat(runHealth(queued.getMetadata().getName()))
                .isEqualTo(
                        new Health(
                                "Progressing",
                                "waiting for a free slot under the operator's concurrency cap"));
    }

    @Test
    void aPassingIntentAndItsRunAreHealthy() {
        factory.start(FactoryConfigs.defaults());
        factory.createIntent("todo", className, 3);
        factory.passAttempt("todo", 1);
        FactoryRun run = factory.awaitRun("todo", r -> r.getStatus().phase == RunPhase.Succeeded);
        factory.rollOut("todo");
        factory.awaitIntent("todo", i -> i.getStatus().phase == IntentPhase.Ready);

        assertThat(intentHealth("todo").status()).isEqualTo("Healthy");
        assertThat(intentHealth("todo").message()).contains(FactoryHarness.IMAGE, "serves at");
        assertThat(runHealth(run.getMetadata().getName()).status()).isEqualTo("Healthy");
        assertThat(runHealth(run.getMetadata().getName()).message()).startsWith("attempt 1 passed");
    }

    @Test
    void aFailedIntentAndItsRunAreDegradedWithTheReason() {
        factory.start(FactoryConfigs.defaults());
        factory.createIntent("todo", className, 1);
        factory.failAttempt("todo", 1);
        FactoryRun run = factory.awaitRun("todo", r -> r.getStatus().phase == RunPhase.Failed);
        factory.awaitIntent("todo", i -> i.getStatus().phase == IntentPhase.Failed);

        assertThat(intentHealth("todo").status()).isEqualTo("Degraded");
        assertThat(intentHealth("todo").message())
                .contains("failed", "spec.budget.maxAttempts", "BaseImageNotAllowed");
        assertThat(runHealth(run.getMetadata().getName()).status()).isEqualTo("Degraded");
        assertThat(runHealth(run.getMetadata().getName()).message())
                .startsWith("MaxAttemptsExhausted: ");
    }

    @Test
    void anIntentNamingNoExistingClassIsDegradedNamingTheField() {
        factory.start(FactoryConfigs.defaults());
        factory.createIntent("todo", "no-such-class", 3);
        factory.awaitIntent("todo", i -> i.getStatus().phase == IntentPhase.Invalid);

        assertThat(intentHealth("todo").status()).isEqualTo("Degraded");
        assertThat(intentHealth("todo").message())
                .contains("spec.generatorClassName", "no-such-class");
    }

    @Test
    void aPausedIntentIsSuspended() {
        factory.start(FactoryConfigs.defaults());
        factory.createIntent("todo", className, 3);
        factory.awaitPod("todo", 1, false);

        factory.editIntent(
                "todo",
                i -> {
                    i.getSpec().paused = true;
                    return i;
                });
        factory.awaitIntent(
                "todo",
                i ->
                        i.getStatus().phase == IntentPhase.Paused
                                && i.getStatus().observedGeneration == 2L);

        assertThat(intentHealth("todo").status()).isEqualTo("Suspended");
        assertThat(intentHealth("todo").message()).startsWith("spec.paused is true");
    }

    @Test
    void aRunSupersededByANewerGenerationIsHealthy() {
        factory.start(FactoryConfigs.defaults());
        factory.createIntent("todo", className, 3);
        FactoryRun superseded = factory.supersede("todo");
        String name = superseded.getMetadata().getName();
        await().atMost(FactoryHarness.WAIT)
                .until(() -> factory.run(name).getStatus().phase == RunPhase.Cancelled);

        assertThat(runHealth(name).status()).isEqualTo("Healthy");
        assertThat(runHealth(name).message()).startsWith("Cancelled: ");
    }

    private Health intentHealth(String name) {
        return INTENT_HEALTH.healthOf(asServed("SoftwareIntent", name));
    }

    private Health runHealth(String name) {
        return RUN_HEALTH.healthOf(asServed("FactoryRun", name));
    }

    /**
     * The object as the API server serves it, every field included, which is what Argo CD hands the
     * script.
     */
    private GenericKubernetesResource asServed(String kind, String name) {
        return client.genericKubernetesResources("darkfactory.dev/v1alpha1", kind)
                .inNamespace(namespace)
                .withName(name)
                .get();
    }
}
