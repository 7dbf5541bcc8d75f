package dev.darkfactory.operator.argocd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.IntentPhase;
import dev.darkfactory.operator.api.v1alpha1.RunPhase;
import dev.darkfactory.operator.argocd.ArgoCdHealthScript.Health;
import dev.darkfactory.operator.config.FactorySettings;
import dev.darkfactory.operator.intent.IntentReconciler;
import dev.darkfactory.operator.metrics.FactoryMetrics;
import dev.darkfactory.operator.run.RunReconciler;
import dev.darkfactory.operator.testing.Fixtures;
import dev.darkfactory.operator.testing.InProcessOperator;
import dev.darkfactory.operator.testing.IntentDriver;
import dev.darkfactory.operator.testing.TestApiServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Argo CD health scripts of docs/argocd on real objects: the operator runs in-process, the test
 * drives intents to each state and runs the scripts on the SoftwareIntents and FactoryRuns exactly
 * as the API server returns them.
 */
class ArgoCdHealthTest {

    static final ArgoCdHealthScript INTENT_HEALTH =
            ArgoCdHealthScript.load(Path.of("docs", "argocd", "softwareintent-health.lua"));
    static final ArgoCdHealthScript RUN_HEALTH =
            ArgoCdHealthScript.load(Path.of("docs", "argocd", "factoryrun-health.lua"));

    private final KubernetesClient client = TestApiServer.client();
    private String namespace;
    private String className;
    private IntentDriver driver;
    private InProcessOperator operator;

    @BeforeEach
    void setUp() {
        namespace = TestApiServer.newNamespace("argocd");
        className = "gen-" + namespace;
        client.resource(Fixtures.generatorClass(className, false)).create();
        driver = new IntentDriver(client, namespace);
    }

    @AfterEach
    void tearDown() {
        if (operator != null) {
            operator.close();
        }
    }

    @Test
    void anIntentTheOperatorHasNotSeenIsProgressing() {
        driver.create("todo", className, 3);

        assertThat(intentHealth("todo"))
                .isEqualTo(
                        new Health(
                                "Progressing", "Waiting for the operator to observe generation 1"));
    }

    @Test
    void aSpecChangeTheOperatorHasNotSeenIsProgressingWhateverTheStatusSays() {
        startOperator(FactorySettings.defaults());
        driver.create("todo", className, 1);
        driver.failAttempt("todo", 1);
        driver.awaitIntent("todo", i -> i.getStatus().phase == IntentPhase.Failed);
        operator.close();
        operator = null;

        driver.edit(
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
        startOperator(FactorySettings.defaults());
        driver.create("todo", className, 3);
        FactoryRun run = driver.awaitPod("todo", 1, false);
        driver.awaitIntent("todo", i -> i.getStatus().phase == IntentPhase.Building);

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
        startOperator(FactorySettings.defaults().withMaxConcurrentRuns(1));
        driver.create("first", className, 3);
        driver.awaitPod("first", 1, false);
        driver.create("second", className, 3);
        FactoryRun queued =
                driver.awaitLatestRun("second", r -> r.getStatus().phase == RunPhase.Queued);
        driver.awaitIntent("second", i -> i.getStatus().phase == IntentPhase.Queued);

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
        startOperator(FactorySettings.defaults());
        driver.create("todo", className, 3);
        driver.passAttempt("todo", 1);
        FactoryRun run =
                driver.awaitLatestRun("todo", r -> r.getStatus().phase == RunPhase.Succeeded);
        driver.rollOut("todo");
        driver.awaitIntent("todo", i -> i.getStatus().phase == IntentPhase.Ready);

        assertThat(intentHealth("todo").status()).isEqualTo("Healthy");
        assertThat(intentHealth("todo").message()).contains(IntentDriver.IMAGE, "serves at");
        assertThat(runHealth(run.getMetadata().getName()).status()).isEqualTo("Healthy");
        assertThat(runHealth(run.getMetadata().getName()).message()).startsWith("attempt 1 passed");
    }

    @Test
    void aFailedIntentAndItsRunAreDegradedWithTheReason() {
        startOperator(FactorySettings.defaults());
        driver.create("todo", className, 1);
        driver.failAttempt("todo", 1);
        FactoryRun run = driver.awaitLatestRun("todo", r -> r.getStatus().phase == RunPhase.Failed);
        driver.awaitIntent("todo", i -> i.getStatus().phase == IntentPhase.Failed);

        assertThat(intentHealth("todo").status()).isEqualTo("Degraded");
        assertThat(intentHealth("todo").message())
                .contains("failed", "spec.budget.maxAttempts", "BaseImageNotAllowed");
        assertThat(runHealth(run.getMetadata().getName()).status()).isEqualTo("Degraded");
        assertThat(runHealth(run.getMetadata().getName()).message())
                .startsWith("MaxAttemptsExhausted: ");
    }

    @Test
    void anIntentNamingNoExistingClassIsDegradedNamingTheField() {
        startOperator(FactorySettings.defaults());
        driver.create("todo", "no-such-class", 3);
        driver.awaitIntent("todo", i -> i.getStatus().phase == IntentPhase.Invalid);

        assertThat(intentHealth("todo").status()).isEqualTo("Degraded");
        assertThat(intentHealth("todo").message())
                .contains("spec.generatorClassName", "no-such-class");
    }

    @Test
    void aPausedIntentIsSuspended() {
        startOperator(FactorySettings.defaults());
        driver.create("todo", className, 3);
        driver.awaitPod("todo", 1, false);

        driver.edit(
                "todo",
                i -> {
                    i.getSpec().paused = true;
                    return i;
                });
        driver.awaitIntent(
                "todo",
                i ->
                        i.getStatus().phase == IntentPhase.Paused
                                && i.getStatus().observedGeneration == 2L);

        assertThat(intentHealth("todo").status()).isEqualTo("Suspended");
        assertThat(intentHealth("todo").message()).startsWith("spec.paused is true");
    }

    @Test
    void aRunSupersededByANewerGenerationIsHealthy() {
        startOperator(FactorySettings.defaults());
        driver.create("todo", className, 3);
        FactoryRun superseded = driver.supersede("todo");
        String name = superseded.getMetadata().getName();
        await().atMost(IntentDriver.WAIT)
                .until(() -> driver.run(name).getStatus().phase == RunPhase.Cancelled);

        assertThat(runHealth(name).status()).isEqualTo("Healthy");
        assertThat(runHealth(name).message()).startsWith("Cancelled: ");
    }

    private void startOperator(FactorySettings settings) {
        operator =
                InProcessOperator.start(
                        client,
                        namespace,
                        new IntentReconciler(settings, FactoryMetrics.inMemory()),
                        new RunReconciler(settings, FactoryMetrics.inMemory()));
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
