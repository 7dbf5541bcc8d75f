package dev.darkfactory.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.darkfactory.operator.api.v1alpha1.Condition;
import dev.darkfactory.operator.api.v1alpha1.ConditionStatus;
import dev.darkfactory.operator.api.v1alpha1.IntentPhase;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntent;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntentStatus;
import dev.darkfactory.operator.testing.Fixtures;
import dev.darkfactory.operator.testing.TestApiServer;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/** Server-side apply of the status subresource, the way the operator writes status. */
// Its namespaces and operators are its own: in the parallel lane, its tests one by one.
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock("StatusSubresourceTest")
class StatusSubresourceTest {

    private final KubernetesClient client = TestApiServer.client();

    @Test
    void statusRoundTripsThroughServerSideApplyWithoutTouchingSpec() {
        String namespace = TestApiServer.newNamespace("status");
        SoftwareIntent created =
                client.resource(Fixtures.intent(namespace, "todo", "builtin")).create();

        applyStatus(namespace, "todo", IntentPhase.Building, "Building", 1L);
        SoftwareIntent afterFirst =
                client.resources(SoftwareIntent.class)
                        .inNamespace(namespace)
                        .withName("todo")
                        .get();
        applyStatus(namespace, "todo", IntentPhase.Ready, "Deployed", 2L);
        SoftwareIntent afterSecond =
                client.resources(SoftwareIntent.class)
                        .inNamespace(namespace)
                        .withName("todo")
                        .get();

        assertThat(afterFirst.getStatus().phase).isEqualTo(IntentPhase.Building);
        assertThat(afterSecond.getStatus().phase).isEqualTo(IntentPhase.Ready);
        assertThat(afterSecond.getStatus().attempts).isEqualTo(2);
        assertThat(afterSecond.getStatus().conditions)
                .singleElement()
                .satisfies(c -> assertThat(c.reason).isEqualTo("Deployed"));
        assertThat(afterSecond.getMetadata().getGeneration())
                .as("a status write is not a spec change")
                .isEqualTo(created.getMetadata().getGeneration());
        assertThat(afterSecond.getSpec().description).isEqualTo(created.getSpec().description);
        assertThat(afterSecond.getMetadata().getManagedFields())
                .anySatisfy(f -> assertThat(f.getManager()).isEqualTo("status-test"));
    }

    private void applyStatus(
            String namespace, String name, IntentPhase phase, String reason, long attempts) {
        SoftwareIntent patch = new SoftwareIntent();
        patch.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
        SoftwareIntentStatus status = new SoftwareIntentStatus();
        status.phase = phase;
        status.attempts = (int) attempts;
        status.observedGeneration = 1L;
        status.conditions =
                List.of(
                        new Condition(
                                "Ready",
                                ConditionStatus.False,
                                reason,
                                "m",
                                "2026-01-01T00:00:00Z",
                                1L));
        patch.setStatus(status);
        client.resource(patch)
                .subresource("status")
                .patch(
                        new PatchContext.Builder()
                                .withPatchType(PatchType.SERVER_SIDE_APPLY)
                                .withFieldManager("status-test")
                                .withForce(true)
                                .build());
    }
}
