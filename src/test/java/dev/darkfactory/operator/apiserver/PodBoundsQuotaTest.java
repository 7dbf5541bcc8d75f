package dev.darkfactory.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.darkfactory.operator.api.v1alpha1.RunPhase;
import dev.darkfactory.operator.testing.FactoryConfigs;
import dev.darkfactory.operator.testing.FactoryHarness;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.ResourceQuotaStatusBuilder;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * A namespace whose ResourceQuota bounds limits of CPU, memory and ephemeral storage admits only
 * pods whose every container sets those limits: the API server refuses the others ("must specify
 * limits.cpu"). The operator's generator and tester pods are admitted and the run passes.
 */
// Its namespaces and operators are its own: in the parallel lane, its tests one by one.
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock("PodBoundsQuotaTest")
class PodBoundsQuotaTest {

    private final FactoryHarness factory = new FactoryHarness(FactoryConfigs.defaults());

    @AfterEach
    void tearDown() {
        factory.close();
    }

    @Test
    void aQuotaOnLimitsAdmitsTheStationPods() {
        Map<String, Quantity> hard =
                Map.of(
                        "limits.cpu", new Quantity("100"),
                        "limits.memory", new Quantity("1Ti"),
                        "limits.ephemeral-storage", new Quantity("1Ti"),
                        "requests.ephemeral-storage", new Quantity("1Ti"));
        ResourceQuota quota =
                factory.client
                        .resource(
                                new ResourceQuotaBuilder()
                                        .withNewMetadata()
                                        .withName("limits")
                                        .withNamespace(factory.namespace)
                                        .endMetadata()
                                        .withNewSpec()
                                        .withHard(hard)
                                        .endSpec()
                                        .build())
                        .create();
        // Plays the quota controller, which kube-api-test does not run: until the quota has a
        // status, the API server refuses every pod with "status unknown".
        quota.setStatus(
                new ResourceQuotaStatusBuilder()
                        .withHard(hard)
                        .withUsed(
                                Map.of(
                                        "limits.cpu", new Quantity("0"),
                                        "limits.memory", new Quantity("0"),
                                        "limits.ephemeral-storage", new Quantity("0"),
                                        "requests.ephemeral-storage", new Quantity("0")))
                        .build());
        factory.client.resource(quota).updateStatus();

        factory.createIntent("todo", 1, null);
        var passed = factory.passAttempt("todo", 1);

        assertThat(FactoryHarness.phase(passed)).isEqualTo(RunPhase.Succeeded);
        assertThat(
                        factory.client
                                .resourceQuotas()
                                .inNamespace(factory.namespace)
                                .withName("limits")
                                .get()
                                .getStatus()
                                .getUsed()
                                .get("limits.cpu"))
                .as("the quota counted the pods it admitted")
                .isNotEqualTo(new Quantity("0"));
    }
}
