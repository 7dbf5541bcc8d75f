package dev.darkfactory.operator.status;

import dev.darkfactory.operator.api.v1alpha1.Condition;
import dev.darkfactory.operator.api.v1alpha1.ConditionStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds the conditions of a status the way kstatus and Argo CD read them: {@code Ready}, {@code
 * Reconciling} and {@code Stalled} (plus any other type a resource needs), each stamped with the
 * observed generation. A condition keeps its {@code lastTransitionTime} while its status does not
 * change, so that repeated reconciles do not churn the status.
 */
public final class StatusAggregator {

    public static final String READY = "Ready";
    public static final String RECONCILING = "Reconciling";
    public static final String STALLED = "Stalled";

    private final Map<String, Condition> previous = new LinkedHashMap<>();
    private final Map<String, Condition> next = new LinkedHashMap<>();
    private final long generation;
    private final String now;

    public StatusAggregator(List<Condition> previousConditions, long generation, Clock clock) {
        if (previousConditions != null) {
            previousConditions.forEach(c -> previous.put(c.type, c));
        }
        this.generation = generation;
        this.now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** Done and healthy: Ready, not reconciling, not stalled. */
    public StatusAggregator ready(String reason, String message) {
        return set(READY, true, reason, message)
                .set(RECONCILING, false, reason, message)
                .set(STALLED, false, reason, message);
    }

    /** Work in progress that is expected to finish by itself. */
    public StatusAggregator progressing(String reason, String message) {
        return set(READY, false, reason, message)
                .set(RECONCILING, true, reason, message)
                .set(STALLED, false, reason, message);
    }

    /** Cannot go on without a change from the user: the message says what to change. */
    public StatusAggregator stalled(String reason, String message) {
        return set(READY, false, reason, message)
                .set(RECONCILING, false, reason, message)
                .set(STALLED, true, reason, message);
    }

    /** Sets one condition; the latest call for a type wins. */
    public StatusAggregator set(String type, boolean status, String reason, String message) {
        return set(type, ConditionStatus.of(status), reason, message);
    }

    /** Sets one condition, Unknown included; the latest call for a type wins. */
    public StatusAggregator set(String type, ConditionStatus value, String reason, String message) {
        Condition before = previous.get(type);
        String since =
                before != null && before.status == value && before.lastTransitionTime != null
                        ? before.lastTransitionTime
                        : now;
        next.put(type, new Condition(type, value, reason, message, since, generation));
        return this;
    }

    /** The new conditions: those set here, in the order set, then the earlier ones not touched. */
    public List<Condition> build() {
        List<Condition> result = new ArrayList<>(next.values());
        previous.forEach(
                (type, condition) -> {
                    if (!next.containsKey(type)) {
                        result.add(condition);
                    }
                });
        return result;
    }

    /** Finds a condition of the given type, or null. */
    public static Condition find(List<Condition> conditions, String type) {
        if (conditions == null) {
            return null;
        }
        return conditions.stream()
                .filter(c -> Objects.equals(c.type, type))
                .findFirst()
                .orElse(null);
    }
}
