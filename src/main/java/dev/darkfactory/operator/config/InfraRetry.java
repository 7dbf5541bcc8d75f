package dev.darkfactory.operator.config;

import dev.darkfactory.operator.util.Durations;
import java.time.Duration;

/**
 * How a run retries after an infrastructure failure (docs/failure-reasons.md): exponential backoff
 * from {@code initial}, doubled per failure in a row, never above {@code max}; after {@code limit}
 * failures in a row the run stops.
 */
public record InfraRetry(int limit, Duration initial, Duration max) {

    public InfraRetry {
        if (limit < 0 || initial.isNegative() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException(
                    "infrastructure retry: limit must be >= 0 and initial <= max, got "
                            + limit
                            + ", "
                            + initial
                            + ", "
                            + max);
        }
    }

    /** The operator's darkfactory.infra-retry-* settings. */
    public static InfraRetry of(FactoryConfig config) {
        return new InfraRetry(
                config.infraRetryLimit(),
                Durations.parse(config.infraRetryInitialBackoff()),
                Durations.parse(config.infraRetryMaxBackoff()));
    }

    /** The wait before the retry that follows failure number {@code failuresInARow} (from 1). */
    public Duration delay(int failuresInARow) {
        Duration delay = initial;
        for (int i = 1; i < failuresInARow && delay.compareTo(max) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(max) > 0 ? max : delay;
    }

    /** Whether {@code failuresInARow} failures spend the budget: no retry follows. */
    public boolean exhausted(int failuresInARow) {
        return failuresInARow > limit;
    }
}
