package dev.darkfactory.operator.config;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfig;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * The operator's stop on SIGTERM: stop reconciling, then hand the Lease over at once, so the
 * process exits within seconds and a standby takes over without waiting for the Lease to expire. It
 * runs before Quarkus Operator SDK's own shutdown observer (priority 2500 by default), which then
 * finds the operator stopped. Java Operator SDK 5.1.5 stops its elector without releasing the Lease
 * ({@code releaseOnCancel} is false there), so the release is done here with fabric8's own {@link
 * LeaderElector#release()}, which clears the holder only when it is still this replica.
 */
@Singleton
public class OperatorShutdown {

    private static final Logger LOG = Logger.getLogger(OperatorShutdown.class);
    private static final int RELEASE_TRIES = 3;

    private final AtomicBoolean stopping = new AtomicBoolean();

    void onShutdown(@Observes @Priority(1) ShutdownEvent event, Operator operator) {
        stopping.set(true);
        try {
            operator.stop();
        } finally {
            // Operator.stop() may have closed its client (QOSDK's close-client-on-stop): a client
            // of its own.
            operator.getConfigurationService()
                    .getLeaderElectionConfiguration()
                    .ifPresent(
                            election -> {
                                try (KubernetesClient client =
                                        new KubernetesClientBuilder()
                                                .withConfig(
                                                        operator.getKubernetesClient()
                                                                .getConfiguration())
                                                .build()) {
                                    release(client, election);
                                }
                            });
        }
    }

    /**
     * Called by the elector when this replica stops leading. While stopping that is expected;
     * otherwise another replica holds the Lease now, and this one exits so that its Deployment
     * restarts it as a standby (what JOSDK's exit-on-stop-leading did, outside a shutdown hook).
     */
    void leadershipEnded() {
        if (!stopping.get()) {
            LOG.error(
                    "Lost the leader-election Lease while running; exiting so that the pod restarts as a standby");
            Quarkus.asyncExit(1);
        }
    }

    /** Gives the Lease up if this replica still holds it; a renewal racing with it is retried. */
    static boolean release(KubernetesClient client, LeaderElectionConfiguration election) {
        String namespace =
                election.getLeaseNamespace()
                        .orElseGet(() -> client.getConfiguration().getNamespace());
        String identity = election.getIdentity().orElseThrow();
        LeaderElector elector =
                new LeaderElector(
                        client,
                        new LeaderElectionConfig(
                                new LeaseLock(namespace, election.getLeaseName(), identity),
                                election.getLeaseDuration(),
                                election.getRenewDeadline(),
                                election.getRetryPeriod(),
                                new LeaderCallbacks(() -> {}, () -> {}, l -> {}),
                                false,
                                election.getLeaseName()),
                        Runnable::run);
        for (int attempt = 1; attempt <= RELEASE_TRIES; attempt++) {
            try {
                boolean released = elector.release();
                LOG.infof(
                        "Lease %s/%s %s",
                        namespace,
                        election.getLeaseName(),
                        released ? "released" : "not held by this replica; nothing to release");
                return released;
            } catch (KubernetesClientException e) {
                LOG.warnf(
                        "Releasing Lease %s/%s failed (try %d of %d): %s",
                        namespace, election.getLeaseName(), attempt, RELEASE_TRIES, e.getMessage());
            }
        }
        return false;
    }
}
