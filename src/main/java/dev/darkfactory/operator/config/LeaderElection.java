package dev.darkfactory.operator.config;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * Leader election, so that more than one replica of the operator is safe: every replica keeps its
 * informers warm, only the holder of the Lease reconciles, and a standby takes over when the holder
 * stops renewing it. QOSDK picks this bean up in the profiles listed by {@code
 * quarkus.operator-sdk.activate-leader-election-for-profiles} (prod only), so {@code make run} and
 * the tests run without it. The Helm chart names the Lease and puts it in the release namespace,
 * where its Role grants get and update on that one Lease.
 *
 * <p>Java Operator SDK 5.1.5 would call {@code System.exit} when leadership ends, and it ends
 * inside the shutdown path too (the operator cancels the election while stopping): an exit inside a
 * shutdown hook blocks forever, so SIGTERM hung until SIGKILL. Here JOSDK never exits; a replica
 * that loses the Lease while running asks {@link OperatorShutdown} to exit, and a replica that is
 * stopping releases the Lease itself (see there). The identity is set here, as JOSDK would pick it
 * (the pod's host name, else a random one), so that the shutdown path knows whose Lease to release.
 */
@Singleton
public class LeaderElection extends LeaderElectionConfiguration {

    /** The property names of {@link LeaderElectionConfig}, for tests and the benchmark. */
    public static final String LEASE_NAME = "darkfactory.leader-election.lease-name";

    public static final String LEASE_NAMESPACE = "darkfactory.leader-election.lease-namespace";

    public static final String LEASE_DURATION = "darkfactory.leader-election.lease-duration";

    public static final String RENEW_DEADLINE = "darkfactory.leader-election.renew-deadline";
    public static final String RETRY_PERIOD = "darkfactory.leader-election.retry-period";
    public static final String DEFAULT_LEASE_NAME = "darkfactory-operator";

    @Inject
    public LeaderElection(LeaderElectionConfig config, OperatorShutdown shutdown) {
        this(
                config.leaseName(),
                config.leaseNamespace(),
                config.leaseDuration(),
                config.renewDeadline(),
                config.retryPeriod(),
                shutdown);
    }

    private LeaderElection(
            String leaseName,
            Optional<String> leaseNamespace,
            Duration leaseDuration,
            Duration renewDeadline,
            Duration retryPeriod,
            OperatorShutdown shutdown) {
        super(
                leaseName,
                leaseNamespace.orElse(null),
                leaseDuration,
                renewDeadline,
                retryPeriod,
                identity(),
                new LeaderCallbacks(() -> {}, shutdown::leadershipEnded, leader -> {}),
                false);
    }

    /**
     * The chart's election with JOSDK's default timings, for tests that only read its Lease name.
     */
    public LeaderElection(String leaseName, Optional<String> leaseNamespace) {
        this(
                leaseName,
                leaseNamespace,
                LEASE_DURATION_DEFAULT_VALUE,
                RENEW_DEADLINE_DEFAULT_VALUE,
                RETRY_PERIOD_DEFAULT_VALUE,
                new OperatorShutdown());
    }

    private static String identity() {
        String host = System.getenv("HOSTNAME");
        return host == null || host.isBlank() ? UUID.randomUUID().toString() : host;
    }
}
