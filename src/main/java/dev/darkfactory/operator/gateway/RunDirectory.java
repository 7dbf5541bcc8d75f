package dev.darkfactory.operator.gateway;

import java.io.IOException;

/** Finds the run a token names; in the cluster, the FactoryRun itself (KubernetesRunDirectory). */
public interface RunDirectory {

    /**
     * The route of the run, checked against the token: the run exists with the token's UID and has
     * not finished.
     *
     * @throws TokenRejected when the token names a run that is gone, replaced or finished
     * @throws IOException when the directory cannot be read (the call is refused, never waved
     *     through)
     */
    RunRoute route(AttemptClaims claims) throws TokenRejected, IOException;
}
