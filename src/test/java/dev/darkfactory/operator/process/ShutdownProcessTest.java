package dev.darkfactory.operator.process;

import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.darkfactory.operator.config.LeaderElection;
import dev.darkfactory.operator.testing.TestApiServer;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM stops the packaged operator (prod profile, leader election on) and hands its Lease over:
 * the process exits and the Lease has no holder, so a standby need not wait for it to expire. Java
 * Operator SDK 5.1.5 alone hangs here (an exit inside the shutdown hook) until SIGKILL, with the
 * Lease still held. The bound below is generous: this is not a timing test.
 */
class ShutdownProcessTest {

    private final KubernetesClient client = TestApiServer.client();

    @Test
    void sigtermExitsAndReleasesTheLease() {
        String namespace = TestApiServer.newNamespace("shutdown");
        String leaseName = "darkfactory-shutdown-test";
        try (OperatorProcess operator =
                OperatorProcess.start(
                        TestApiServer.kubeconfig(),
                        List.of("-Xmx256m"),
                        Map.of(
                                "quarkus.operator-sdk.namespaces",
                                namespace,
                                LeaderElection.LEASE_NAME,
                                leaseName,
                                LeaderElection.LEASE_NAMESPACE,
                                namespace))) {
            await().atMost(ofSeconds(120))
                    .failFast(() -> !operator.isAlive())
                    .until(
                            () -> holder(namespace, leaseName),
                            holder -> holder != null && !holder.isEmpty());

            operator.terminate();

            await().atMost(ofSeconds(60)).until(() -> !operator.isAlive());
            assertThat(holder(namespace, leaseName))
                    .as("Lease holder after SIGTERM\n" + operator.logText())
                    .isEmpty();
        }
    }

    /** The Lease's holder, empty when it has none; null while there is no Lease. */
    private String holder(String namespace, String leaseName) {
        Lease lease = client.leases().inNamespace(namespace).withName(leaseName).get();
        if (lease == null) {
            return null;
        }
        String holder = lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
        return holder == null ? "" : holder;
    }
}
