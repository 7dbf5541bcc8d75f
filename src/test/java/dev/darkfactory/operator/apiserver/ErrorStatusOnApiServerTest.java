package dev.darkfactory.operator.apiserver;

import static dev.darkfactory.operator.testing.FactoryHarness.genPod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.FactoryRunStatus;
import dev.darkfactory.operator.status.ErrorStatus;
import dev.darkfactory.operator.status.StatusAggregator;
import dev.darkfactory.operator.testing.FactoryConfigs;
import dev.darkfactory.operator.testing.FactoryHarness;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * An error a reconcile could not handle reaches the run's conditions on a real API server, beside
 * the status the reconciler wrote, and the reconciler's next write takes the conditions back.
 */
// Its namespaces and operators are its own: in the parallel lane, its tests one by one.
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock("ErrorStatusOnApiServerTest")
class ErrorStatusOnApiServerTest {

    private FactoryHarness factory;

    @BeforeEach
    void setUp() {
        factory = new FactoryHarness(FactoryConfigs.defaults());
    }

    @AfterEach
    void tearDown() {
        factory.close();
    }

    @Test
    void anErrorLandsInTheConditionsWithoutItsValuesAndLeavesTheRestOfTheStatus() {
        factory.createIntent("todo", 3, null);
        FactoryRun run = factory.awaitRun("todo", r -> factory.hasPod(r, 1, false));
        KubernetesClientException error =
                new KubernetesClientException(
                        new StatusBuilder()
                                .withCode(422)
                                .withReason("Invalid")
                                .withMessage("Invalid value: \"s3cr3t-canary\"")
                                .withNewDetails()
                                .withKind("Secret")
                                .withName(run.getMetadata().getName() + "-holdout")
                                .addNewCause()
                                .withField("data[checks.json]")
                                .withMessage("Invalid value: \"s3cr3t-canary\"")
                                .endCause()
                                .endDetails()
                                .build());

        // With the operator stopped, as between a failed reconcile and its retry: a running
        // reconciler rewrites the conditions at its next reconcile.
        factory.restartWhile(
                () -> {
                    ErrorStatus.report(
                            factory.client,
                            run,
                            run.getStatus().conditions,
                            Clock.systemUTC(),
                            error,
                            FactoryRun::new,
                            conditions -> {
                                FactoryRunStatus status = new FactoryRunStatus();
                                status.attempts = null;
                                status.conditions = conditions;
                                return status;
                            });

                    FactoryRun reported =
                            factory.awaitRun(
                                    "todo",
                                    r ->
                                            ErrorStatus.REASON.equals(
                                                    StatusAggregator.find(
                                                                    r.getStatus().conditions,
                                                                    "Reconciling")
                                                            .reason));
                    var reconciling =
                            StatusAggregator.find(reported.getStatus().conditions, "Reconciling");
                    assertThat(reconciling.message).contains("422", "data[checks.json]");
                    assertThat(reconciling.message).doesNotContain("s3cr3t-canary");
                    assertThat(reported.getStatus().attempts.get(0).generatorPod)
                            .as("the rest of the status stays")
                            .isEqualTo(genPod(run, 1));
                    assertThat(factory.eventReasons(run.getMetadata().getName()))
                            .containsOnlyOnce(ErrorStatus.REASON);
                });

        factory.kubelet.generatorSucceeds(
                genPod(run, 1),
                FactoryHarness.built("registry.test/ns/todo@sha256:" + "a".repeat(64), 1L));
        FactoryRun testing = factory.awaitRun("todo", r -> factory.hasPod(r, 1, true));
        assertThat(StatusAggregator.find(testing.getStatus().conditions, "Reconciling").reason)
                .isEqualTo("Testing");
    }
}
