package dev.darkfactory.operator.metrics;

import dev.darkfactory.operator.api.v1alpha1.AttemptStatus;
import dev.darkfactory.operator.api.v1alpha1.FactoryRunStatus;
import dev.darkfactory.operator.api.v1alpha1.ModelUsage;
import dev.darkfactory.operator.api.v1alpha1.RunPhase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The factory's own metrics on the operator's Prometheus endpoint ({@code /q/metrics}), beside the
 * reconcile metrics Java Operator SDK records. They are derived from each change of a run's status,
 * so they count what the API server records, once per transition.
 */
@ApplicationScoped
public class FactoryMetrics {

    private final MeterRegistry registry;
    private volatile LongSupplier queued = () -> 0;
    private final UsageLabels usageLabels = new UsageLabels(UsageLabels.MAX_PAIRS);

    @Inject
    public FactoryMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("darkfactory.runs.queued", this, metrics -> metrics.queued.getAsLong())
                .description("Runs waiting under the concurrency cap")
                .strongReference(true)
                .register(registry);
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

    /**
     * Counts the model usage that a status write of a run records for the first time: per attempt,
     * what {@code after} holds beyond {@code before} (the status stored in the API server). Called
     * once the write succeeded, so each token and each unit of cost is counted once: a restarted
     * (or newly elected) operator starts from what is stored and counts only what it adds; a write
     * that fails counts nothing, and the next reconcile, which starts again from the stored status,
     * counts it then. Only the gateway's count has directions: a generator's own report is in
     * {@code darkfactory.tokens}.
     */
    public void usageRecorded(
            String namespace,
            String generatorClass,
            FactoryRunStatus before,
            FactoryRunStatus after) {
        Map<Integer, ModelUsage> earlier = new HashMap<>();
        if (before != null && before.attempts != null) {
            before.attempts.stream()
                    .filter(a -> a.usage != null)
                    .forEach(a -> earlier.put(a.number, a.usage));
        }
        long input = 0;
        long output = 0;
        Map<String, BigDecimal> cost = new HashMap<>();
        for (AttemptStatus attempt : after.attempts) {
            if (attempt.usage == null) {
                continue;
            }
            ModelUsage was = earlier.getOrDefault(attempt.number, new ModelUsage());
            ModelUsage now = attempt.usage;
            input += Math.max(0, orZero(now.inputTokens) - orZero(was.inputTokens));
            output += Math.max(0, orZero(now.outputTokens) - orZero(was.outputTokens));
            if (now.cost != null && now.currency != null) {
                BigDecimal added =
                        new BigDecimal(now.cost)
                                .subtract(
                                        was.cost == null || !now.currency.equals(was.currency)
                                                ? BigDecimal.ZERO
                                                : new BigDecimal(was.cost));
                if (added.signum() > 0) {
                    cost.merge(now.currency, added, BigDecimal::add);
                }
            }
        }
        if (input == 0 && output == 0 && cost.isEmpty()) {
            return;
        }
        Tags tags = usageLabels.of(namespace, generatorClass);
        if (input > 0) {
            modelTokens(tags, "input").increment(input);
        }
        if (output > 0) {
            modelTokens(tags, "output").increment(output);
        }
        cost.forEach(
                (currency, added) ->
                        Counter.builder("darkfactory.model.cost")
                                .description(
                                        "Cost of the model calls the gateway metered, recorded in run status, from the GeneratorClass's pricing")
                                .tags(tags)
                                .tag("currency", currency)
                                .register(registry)
                                .increment(added.doubleValue()));
    }

    private Counter modelTokens(Tags tags, String direction) {
        return Counter.builder("darkfactory.model.tokens")
                .description("Tokens of model calls the gateway metered, recorded in run status")
                .tags(tags)
                .tag("direction", direction)
                .register(registry);
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }

    /**
     * Where the number of runs waiting under the concurrency cap comes from: counted when scraped,
     * so it is never a reconcile behind.
     */
    public void queueLengthFrom(LongSupplier waiting) {
        queued = waiting;
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
