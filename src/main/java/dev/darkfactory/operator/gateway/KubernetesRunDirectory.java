package dev.darkfactory.operator.gateway;

import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;

/**
 * Reads the FactoryRun a token names, on every call: the provider and pricing come from the run's
 * GeneratorClass snapshot, and a run that is gone, replaced (another UID) or finished gets no more
 * calls even while its token has not expired.
 */
public final class KubernetesRunDirectory implements RunDirectory {

    private final KubernetesClient client;

    public KubernetesRunDirectory(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public RunRoute route(AttemptClaims claims) throws TokenRejected, IOException {
        FactoryRun run;
        try {
            run =
                    client.resources(FactoryRun.class)
                            .inNamespace(claims.namespace())
                            .withName(claims.run())
                            .get();
        } catch (KubernetesClientException e) {
            throw new IOException(
                    "cannot read FactoryRun " + claims.runRef() + " (" + e.getCode() + ")", e);
        }
        return route(claims, run);
    }

    /** The decision on the run as read; pure, for unit tests. */
    static RunRoute route(AttemptClaims claims, FactoryRun run) throws TokenRejected {
        if (run == null) {
            throw new TokenRejected("FactoryRun " + claims.runRef() + " no longer exists");
        }
        if (!claims.runUid().equals(run.getMetadata().getUid())) {
            throw new TokenRejected(
                    "the token belongs to an earlier FactoryRun "
                            + claims.runRef()
                            + " that was deleted and made again");
        }
        if (run.getStatus() != null
                && run.getStatus().phase != null
                && run.getStatus().phase.isFinal()) {
            throw new TokenRejected(
                    "FactoryRun "
                            + claims.runRef()
                            + " has finished ("
                            + run.getStatus().phase
                            + ")");
        }
        var generator = run.getSpec().generator;
        return new RunRoute(
                generator.className, generator.spec.provider, Pricing.of(generator.spec.pricing));
    }
}
