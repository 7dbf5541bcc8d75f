package dev.darkfactory.operator.config;

import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Leader election, so that more than one replica of the operator is safe: every replica keeps its
 * informers warm, only the holder of the Lease reconciles, and a standby takes over when the
 * holder stops renewing it. QOSDK picks this bean up in the profiles listed by
 * {@code quarkus.operator-sdk.activate-leader-election-for-profiles} (prod only), so
 * {@code make run} and the tests run without it. The Helm chart names the Lease and puts it in
 * the release namespace, where its Role grants get and update on that one Lease.
 */
@Singleton
public class LeaderElection extends LeaderElectionConfiguration {

    public static final String LEASE_NAME = "darkfactory.leader-election.lease-name";
    /** Unset: the namespace of the operator's own kube config, which in a pod is its namespace. */
    public static final String LEASE_NAMESPACE = "darkfactory.leader-election.lease-namespace";
    public static final String DEFAULT_LEASE_NAME = "darkfactory-operator";

    @Inject
    public LeaderElection(@ConfigProperty(name = LEASE_NAME, defaultValue = DEFAULT_LEASE_NAME) String leaseName,
            @ConfigProperty(name = LEASE_NAMESPACE) Optional<String> leaseNamespace) {
        super(leaseName, leaseNamespace.orElse(null));
    }
}
