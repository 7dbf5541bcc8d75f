package dev.darkfactory.operator.run;

import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.RunPhase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Admission of runs under the operator-wide cap on runs in flight and an optional cap per
 * namespace. Free slots go to namespaces in turn: a waiting run's place is the number of runs its
 * namespace would then have in flight, so a namespace with one run in flight and a thousand waiting
 * does not delay another namespace's first run by more than one slot. Within a namespace the oldest
 * goes first. Admission is decided from all the runs the operator sees, in one order, so two runs
 * reconciled at once cannot both take the last slot.
 *
 * <p>A Blocked run (an infrastructure failure) holds no slot; once its retry time has come it waits
 * for a slot like a run queued at that time.
 */
public final class RunQueue {

    /**
     * Longest waiting first: a run waits from its creation, a Blocked run from its retry time, so
     * it queues again behind the runs that took its slot meanwhile.
     */
    private static final Comparator<FactoryRun> OLDEST_FIRST =
            Comparator.comparing(RunQueue::waitingSince)
                    .thenComparing(r -> r.getMetadata().getNamespace())
                    .thenComparing(r -> r.getMetadata().getName());

    private RunQueue() {}

    /** The caps: {@code perNamespace} 0 means none beside the global one. */
    public record Caps(int global, int perNamespace) {}

    public static long running(List<FactoryRun> runs) {
        return runs.stream().filter(RunQueue::holdsSlot).count();
    }

    /**
     * Not finished and not being deleted: a run that holds or may claim a slot. A run that stops
     * being live never becomes live again.
     */
    static boolean live(FactoryRun run) {
        RunPhase phase = phase(run);
        return (phase == null || !phase.isFinal())
                && run.getMetadata().getDeletionTimestamp() == null;
    }

    /**
     * A run gone from the cache, or being deleted: whatever slot it held is free, though no
     * reconcile of its own will say so.
     */
    static boolean gone(Optional<FactoryRun> run) {
        return run.map(r -> r.getMetadata().getDeletionTimestamp() != null).orElse(true);
    }

    /** A run that waits for a slot: new, queued, or Blocked until its retry is due. */
    static boolean waitsForSlot(FactoryRun run) {
        RunPhase phase = phase(run);
        return phase == null || phase == RunPhase.Queued || phase == RunPhase.Blocked;
    }

    /** Whether the run holds one of the slots: only a Running run does. */
    static boolean holdsSlot(FactoryRun run) {
        return phase(run) == RunPhase.Running;
    }

    /**
     * Whether the order of admission matters: a per-namespace cap is set, or more runs are live
     * than there are slots. Every live run holds a slot (Running) or may claim one (new, queued,
     * Blocked). When the order does not matter, every waiting run is admitted, and runs deciding at
     * once cannot exceed the cap: each saw every run created before it, and a run arriving later
     * ranks them ahead of itself. Counting more runs than are live only makes the queue work out an
     * order it did not need, so a count from a cache that lags behind is enough.
     *
     * @param live the number of live runs, or more
     */
    static boolean contended(int live, Caps caps) {
        return caps.perNamespace() > 0 || live > caps.global();
    }

    /**
     * Whether a slot is free: fewer runs hold one than the global cap. Counting fewer runs than
     * hold one only makes the queue look further, so a count from a cache that lags behind is
     * enough, as long as each run counted still holds its slot.
     */
    static boolean slotFree(int holding, Caps caps) {
        return holding < caps.global();
    }

    public static long waiting(List<FactoryRun> runs) {
        return runs.stream().filter(r -> phase(r) == null || phase(r) == RunPhase.Queued).count();
    }

    /**
     * Whether the candidate, one of the live runs, gets a slot now.
     *
     * @param runs the live runs
     * @param now the time, to tell a Blocked run whose retry is due
     * @param superseded runs whose intent moved on: they are about to cancel themselves and hold no
     *     place in the queue
     */
    public static boolean admits(
            FactoryRun candidate,
            List<FactoryRun> runs,
            Caps caps,
            Instant now,
            Predicate<FactoryRun> superseded) {
        if (!contended(runs.size(), caps)) {
            // A slot for every waiting run: no order to work out, no other run to look at.
            return waitsNow(candidate, now) && !superseded.test(candidate);
        }
        String uid = candidate.getMetadata().getUid();
        return admitted(runs, caps, now, superseded).stream()
                .anyMatch(r -> r.getMetadata().getUid().equals(uid));
    }

    /** The waiting runs that the free slots go to now, in the order they get them. */
    static List<FactoryRun> admitted(
            List<FactoryRun> runs, Caps caps, Instant now, Predicate<FactoryRun> superseded) {
        Map<String, Integer> inFlight = new HashMap<>();
        runs.stream()
                .filter(r -> phase(r) == RunPhase.Running)
                .forEach(r -> inFlight.merge(r.getMetadata().getNamespace(), 1, Integer::sum));
        long free = caps.global() - running(runs);
        if (free <= 0) {
            return List.of();
        }
        List<FactoryRun> waiting =
                runs.stream()
                        .filter(r -> waitsNow(r, now))
                        .filter(r -> !superseded.test(r))
                        .sorted(OLDEST_FIRST)
                        .toList();
        // The n-th waiting run of a namespace with k in flight would be its (k+n)-th: lower first.
        Map<String, Integer> ahead = new HashMap<>();
        Map<FactoryRun, Integer> place = new IdentityHashMap<>();
        for (FactoryRun run : waiting) {
            String namespace = run.getMetadata().getNamespace();
            int before = ahead.merge(namespace, 1, Integer::sum) - 1;
            place.put(run, inFlight.getOrDefault(namespace, 0) + before);
        }
        List<FactoryRun> turns = new ArrayList<>(waiting);
        turns.sort(
                Comparator.comparing((FactoryRun r) -> place.get(r)).thenComparing(OLDEST_FIRST));
        List<FactoryRun> admitted = new ArrayList<>();
        for (FactoryRun run : turns) {
            if (admitted.size() >= free) {
                break;
            }
            String namespace = run.getMetadata().getNamespace();
            if (caps.perNamespace() > 0
                    && inFlight.getOrDefault(namespace, 0) >= caps.perNamespace()) {
                continue;
            }
            inFlight.merge(namespace, 1, Integer::sum);
            admitted.add(run);
        }
        return admitted;
    }

    /** Queued, new, or Blocked with its retry due. */
    static boolean waitsNow(FactoryRun run, Instant now) {
        RunPhase phase = phase(run);
        if (phase == null || phase == RunPhase.Queued) {
            return true;
        }
        return phase == RunPhase.Blocked
                && (run.getStatus().retryAt == null
                        || !Instant.parse(run.getStatus().retryAt).isAfter(now));
    }

    /** RFC 3339 in UTC, whole seconds: the text orders as the time does. */
    private static String waitingSince(FactoryRun run) {
        return phase(run) == RunPhase.Blocked && run.getStatus().retryAt != null
                ? run.getStatus().retryAt
                : run.getMetadata().getCreationTimestamp();
    }

    private static RunPhase phase(FactoryRun run) {
        return run.getStatus() == null ? null : run.getStatus().phase;
    }
}
