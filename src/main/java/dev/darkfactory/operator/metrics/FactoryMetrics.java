package dev.darkfactory.operator.metrics;

import dev.darkfactory.operator.api.v1alpha1.AttemptStatus;
import dev.darkfactory.operator.api.v1alpha1.FactoryRunStatus;
import dev.darkfactory.operator.api.v1alpha1.RunPhase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The factory's own metrics on the operator's Prometheus endpoint ({@code /q/metrics}), beside the
 * reconcile metrics Java Operator SDK records. They are derived from each change of a run's status,
 * so they count what the API server records, once per transition.
 */
@ApplicationScoped
public class FactoryMetrics {

    private final MeterRegistry registry;
    private final AtomicLong queued = new AtomicLong();

    @Inject
    public FactoryMetrics(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge("darkfactory.runs.queued", queued);
    }

    /** Metrics kept in memory only, for tests that do not look at them. */
    public static FactoryMetrics inMemory() {
        return new FactoryMetrics(new SimpleMeterRegistry());
    }

    /** Records what changed between the stored status of a run and the one about to be written. */
    public void runChanged(FactoryRunStatus before, FactoryRunStatus after) {
        RunPhase was = before == null ? null : before.phase;
        RunPhase now = after.phase;
        if ((was == null || was == RunPhase.Queued) && now == RunPhase.Running) {
            Counter.builder("darkfactory.runs.started")
                    .description("Runs that left the queue and started their first attempt")
                    .register(registry)
                    .increment();
        }
        if ((was == null || !was.isFinal()) && now != null && now.isFinal()) {
            Counter.builder("darkfactory.runs.finished")
                    .description("Runs that reached a final phase, by outcome")
                    .tag("outcome", now.name())
                    .register(registry)
                    .increment();
            DistributionSummary.builder("darkfactory.run.attempts")
                    .description("Attempts a run made before it ended")
                    .register(registry)
                    .record(after.attempts.size());
            if (now == RunPhase.Succeeded
                    && after.startTime != null
                    && after.completionTime != null) {
                Timer.builder("darkfactory.run.time.to.pass")
                        .description("Time from a run's start to its passing attempt")
                        .register(registry)
                        .record(
                                Duration.between(
                                        Instant.parse(after.startTime),
                                        Instant.parse(after.completionTime)));
            }
        }
        long newTokens =
                tokens(after.attempts) - tokens(before == null ? List.of() : before.attempts);
        if (newTokens > 0) {
            Counter.builder("darkfactory.tokens")
                    .description("Tokens the generators reported")
                    .register(registry)
                    .increment(newTokens);
        }
    }

    /** The number of runs waiting under the concurrency cap, as last seen. */
    public void queueLength(long waiting) {
        queued.set(waiting);
    }

    /** A reconcile that ended in an exception (JOSDK retries it). */
    public void reconcileError(String controller, Exception error) {
        Counter.builder("darkfactory.reconcile.errors")
                .description("Reconciles that failed with an exception")
                .tag("controller", controller)
                .tag("exception", error.getClass().getSimpleName())
                .register(registry)
                .increment();
    }

    private static long tokens(List<AttemptStatus> attempts) {
        return attempts.stream()
                .map(a -> a.tokens)
                .filter(Objects::nonNull)
                .mapToLong(Long::longValue)
                .sum();
    }
}
