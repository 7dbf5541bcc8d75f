package dev.darkfactory.operator.gateway;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * What a per-attempt gateway token vouches for: the run (by name and UID, so that a run deleted and
 * made again under the same name does not inherit the old tokens), the attempt, until when, and the
 * run's budget.
 *
 * @param maxTokens the run's budget.maxTokens, or null for none
 * @param maxCost the run's budget.maxCost, or null for none
 */
public record AttemptClaims(
        String namespace,
        String run,
        String runUid,
        int attempt,
        Instant expiresAt,
        Long maxTokens,
        BigDecimal maxCost) {

    /** The key of the run that usage is attributed to. */
    public RunRef runRef() {
        return new RunRef(namespace, run, runUid);
    }
}
