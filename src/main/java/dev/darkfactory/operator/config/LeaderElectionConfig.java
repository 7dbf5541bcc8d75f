package dev.darkfactory.operator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * The leader election's settings ({@code darkfactory.leader-election.*}, or {@code
 * DARKFACTORY_LEADER_ELECTION_*} environment variables, which the Helm chart sets); see {@link
 * LeaderElection}.
 */
@ConfigMapping(prefix = "darkfactory.leader-election")
public interface LeaderElectionConfig {

    /** Name of the Lease the replicas compete for. */
    @WithDefault(LeaderElection.DEFAULT_LEASE_NAME)
    String leaseName();

    /** Unset: the namespace of the operator's own kube config, which in a pod is its namespace. */
    Optional<String> leaseNamespace();

    /** How long a Lease holds without renewal. */
    @WithDefault("15s")
    Duration leaseDuration();

    /** How long the leader tries to renew before it gives the Lease up. */
    @WithDefault("10s")
    Duration renewDeadline();

    /** How often a replica tries to take or renew the Lease. */
    @WithDefault("2s")
    Duration retryPeriod();
}
