package dev.darkfactory.operator.gateway;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A ledger that forgets on restart: for tests and the benchmark, never for the cluster. */
public final class InMemoryUsageLedger implements UsageLedger {

    private final Map<RunRef, Map<Integer, RunUsage.AttemptUsage>> runs = new ConcurrentHashMap<>();
    private final Map<RunRef, BudgetRefusal> refusals = new ConcurrentHashMap<>();

    @Override
    public RunUsage usage(RunRef run) {
        synchronized (this) {
            return new RunUsage(new HashMap<>(runs.getOrDefault(run, Map.of())));
        }
    }

    @Override
    public void record(RunRef run, int attempt, TokenCount tokens) {
        synchronized (this) {
            runs.computeIfAbsent(run, r -> new HashMap<>())
                    .merge(
                            attempt,
                            new RunUsage.AttemptUsage(tokens, 1),
                            RunUsage.AttemptUsage::plus);
        }
    }

    @Override
    public void refused(RunRef run, BudgetRefusal refusal) {
        refusals.put(run, refusal);
    }

    /** The last refusal noted for the run, if any. */
    public Optional<BudgetRefusal> refusal(RunRef run) {
        return Optional.ofNullable(refusals.get(run));
    }
}
