package dev.darkfactory.operator.run;

import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.RunPhase;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * The operator-wide cap on runs in flight: a queued run starts only while fewer than the cap run,
 * and only when it is among the oldest waiting. Admission is decided from the runs the operator
 * sees, oldest first, so two runs reconciled at once cannot both take the last slot.
 */
public final class RunQueue {

    private static final Comparator<FactoryRun> OLDEST_FIRST =
            Comparator.comparing((FactoryRun r) -> r.getMetadata().getCreationTimestamp())
                    .thenComparing(r -> r.getMetadata().getNamespace())
                    .thenComparing(r -> r.getMetadata().getName());

    private RunQueue() {}

    public static long running(List<FactoryRun> runs) {
        return runs.stream().filter(r -> phase(r) == RunPhase.Running).count();
    }

    public static long waiting(List<FactoryRun> runs) {
        return runs.stream().filter(r -> phase(r) == null || phase(r) == RunPhase.Queued).count();
    }

    /**
     * @param superseded runs whose intent moved on: they are about to cancel themselves and hold no
     *     place in the queue
     */
    public static boolean admits(
            FactoryRun candidate,
            List<FactoryRun> runs,
            int cap,
            Predicate<FactoryRun> superseded) {
        long free = cap - running(runs);
        if (free <= 0) {
            return false;
        }
        List<FactoryRun> waiting =
                runs.stream()
                        .filter(r -> phase(r) == null || phase(r) == RunPhase.Queued)
                        .filter(r -> !superseded.test(r))
                        .sorted(OLDEST_FIRST)
                        .toList();
        for (int i = 0; i < waiting.size() && i < free; i++) {
            if (waiting.get(i).getMetadata().getUid().equals(candidate.getMetadata().getUid())) {
                return true;
            }
        }
        return false;
    }

    private static RunPhase phase(FactoryRun run) {
        return run.getStatus() == null ? null : run.getStatus().phase;
    }
}
