package dev.darkfactory.operator.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.darkfactory.operator.testing.TestApiServer;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The shutdown path gives up the Lease only when this replica holds it, on a real API server. */
class LeaseReleaseTest {

    private final KubernetesClient client = TestApiServer.client();
    private final String namespace = TestApiServer.newNamespace("lease");

    @Test
    void releasesTheLeaseItHolds() {
        holdLease("replica-a");

        assertThat(OperatorShutdown.release(client, election("replica-a"))).isTrue();

        assertThat(lease().getSpec().getHolderIdentity()).isNullOrEmpty();
    }

    @Test
    void leavesAnotherReplicasLeaseAlone() {
        holdLease("replica-b");

        assertThat(OperatorShutdown.release(client, election("replica-a"))).isFalse();

        assertThat(lease().getSpec().getHolderIdentity()).isEqualTo("replica-b");
    }

    private LeaderElectionConfiguration election(String identity) {
        return new LeaderElectionConfiguration(
                "operator",
                namespace,
                LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
                identity,
                new LeaderCallbacks(() -> {}, () -> {}, l -> {}),
                false);
    }

    private void holdLease(String holder) {
        ZonedDateTime now = ZonedDateTime.now().truncatedTo(ChronoUnit.SECONDS);
        client.resource(
                        new LeaseBuilder()
                                .withNewMetadata()
                                .withName("operator")
                                .withNamespace(namespace)
                                .endMetadata()
                                .withNewSpec()
                                .withHolderIdentity(holder)
                                .withLeaseDurationSeconds(15)
                                .withAcquireTime(now)
                                .withRenewTime(now)
                                .withLeaseTransitions(0)
                                .endSpec()
                                .build())
                .create();
    }

    private Lease lease() {
        return Optional.ofNullable(
                        client.leases().inNamespace(namespace).withName("operator").get())
                .orElseThrow();
    }
}
