package dev.darkfactory.operator.budget;

import dev.darkfactory.operator.api.v1alpha1.AttemptStatus;
import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.ModelBudget;
import dev.darkfactory.operator.api.v1alpha1.RunSpend;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the runs of a namespace spent within a budget's period, from what their status records (the
 * gateway's metered usage, or the generators' own report of tokens without a gateway).
 *
 * <p>An attempt counts wholly in the period it started in: an attempt that runs across midnight is
 * charged to the day it began, so a period's spend never changes once the next period started and a
 * run's attempts split cleanly between periods. A budget's status keeps each run's spend of the
 * period ({@link ModelBudget#getStatus()} {@code runs}), so a run deleted meanwhile (its intent
 * deleted, or trimmed beyond the run history) still counts until the period ends.
 */
public final class NamespaceSpend {

    /** Totals of a period. {@code cost} is in the budget's currency. */
    public record Totals(long tokens, BigDecimal cost) {}

    private NamespaceSpend() {}

    /** The run's spend within the period, or null when it spent nothing there. */
    public static RunSpend ofRun(FactoryRun run, Instant periodStart, String currency) {
        if (run.getStatus() == null || run.getStatus().attempts == null) {
            return null;
        }
        long tokens = 0;
        BigDecimal cost = null;
        for (AttemptStatus attempt : run.getStatus().attempts) {
            // An attempt without a start time is counted: better to over-count than to let it go.
            if (attempt.startTime != null
                    && Instant.parse(attempt.startTime).isBefore(periodStart)) {
                continue;
            }
            if (attempt.usage != null) {
                tokens += orZero(attempt.usage.inputTokens) + orZero(attempt.usage.outputTokens);
                if (attempt.usage.cost != null && currency.equals(attempt.usage.currency)) {
                    BigDecimal attemptCost = new BigDecimal(attempt.usage.cost);
                    cost = cost == null ? attemptCost : cost.add(attemptCost);
                }
            } else if (attempt.tokens != null) {
                tokens += attempt.tokens;
            }
        }
        if (tokens == 0 && cost == null) {
            return null;
        }
        return new RunSpend(
                run.getMetadata().getName(),
                run.getMetadata().getUid(),
                tokens,
                cost == null ? null : cost.toPlainString());
    }

    /**
     * The budget's ledger for the period: what it recorded of each run in this period (runs since
     * deleted included), updated with what the runs that exist record now. A run's spend only
     * grows, so the larger of the two counts.
     *
     * @param runs the runs of the budget's namespace
     */
    public static List<RunSpend> ledger(
            ModelBudget budget, List<FactoryRun> runs, Instant periodStart) {
        Map<String, RunSpend> byUid = new LinkedHashMap<>();
        var status = budget.getStatus();
        if (status != null
                && status.runs != null
                && periodStart.toString().equals(status.periodStart)) {
            status.runs.stream().filter(s -> s.uid != null).forEach(s -> byUid.put(s.uid, s));
        }
        for (FactoryRun run : runs) {
            RunSpend now = ofRun(run, periodStart, currency(budget));
            if (now != null) {
                byUid.merge(now.uid, now, NamespaceSpend::larger);
            }
        }
        List<RunSpend> ledger = new ArrayList<>(byUid.values());
        ledger.sort(
                Comparator.comparing((RunSpend s) -> Objects.toString(s.run, ""))
                        .thenComparing(s -> s.uid));
        return ledger;
    }

    public static Totals totals(List<RunSpend> ledger) {
        long tokens = 0;
        BigDecimal cost = BigDecimal.ZERO;
        for (RunSpend spend : ledger) {
            tokens += orZero(spend.tokens);
            if (spend.cost != null) {
                cost = cost.add(new BigDecimal(spend.cost));
            }
        }
        return new Totals(tokens, cost);
    }

    public static String currency(ModelBudget budget) {
        String currency = budget.getSpec() == null ? null : budget.getSpec().currency;
        return currency == null ? "USD" : currency;
    }

    private static RunSpend larger(RunSpend recorded, RunSpend now) {
        long tokens = Math.max(orZero(recorded.tokens), orZero(now.tokens));
        String cost;
        if (recorded.cost == null || now.cost == null) {
            cost = recorded.cost == null ? now.cost : recorded.cost;
        } else {
            cost = new BigDecimal(recorded.cost).max(new BigDecimal(now.cost)).toPlainString();
        }
        return new RunSpend(now.run, now.uid, tokens, cost);
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }
}
