package dev.darkfactory.operator.budget;

import dev.darkfactory.operator.api.v1alpha1.BudgetPeriod;
import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.ModelBudget;
import dev.darkfactory.operator.api.v1alpha1.RunSpend;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Whether the namespace budgets let a new run start: a pure function of each budget's limits and
 * what the namespace spent in its current period. A limit is spent once the spend reaches it (what
 * is left would not pay for a call). With several budgets in a namespace, each applies; the run
 * names the first spent one by name.
 */
public final class NamespaceBudgetDecision {

    /** The reason a run shows while a namespace budget holds it. */
    public static final String REASON = "NamespaceBudgetExhausted";

    /** One budget in its current period. */
    public record State(
            String name,
            BudgetPeriod period,
            Instant periodStart,
            Long maxTokens,
            BigDecimal maxCost,
            String currency,
            NamespaceSpend.Totals spent) {

        /** A budget as it stands at {@code now}, over the runs of its namespace. */
        public static State of(ModelBudget budget, List<FactoryRun> runs, Instant now) {
            Instant start = BudgetPeriods.start(budget.getSpec().period, now);
            return of(budget, start, NamespaceSpend.ledger(budget, runs, start));
        }

        /** A budget in the period from {@code start}, with that period's ledger. */
        public static State of(ModelBudget budget, Instant start, List<RunSpend> ledger) {
            var spec = budget.getSpec();
            return new State(
                    budget.getMetadata().getName(),
                    spec.period,
                    start,
                    spec.maxTokens,
                    spec.maxCost == null ? null : new BigDecimal(spec.maxCost),
                    NamespaceSpend.currency(budget),
                    NamespaceSpend.totals(ledger));
        }
    }

    private NamespaceBudgetDecision() {}

    /**
     * Why a budget is spent, naming it, its period and the limit; empty while it has some left. The
     * message holds names and numbers only, never anything from a Secret.
     */
    public static Optional<String> exhausted(State budget) {
        String limit = null;
        if (budget.maxTokens() != null && budget.spent().tokens() >= budget.maxTokens()) {
            limit =
                    budget.spent().tokens()
                            + " tokens used of spec.maxTokens "
                            + budget.maxTokens();
        } else if (budget.maxCost() != null
                && budget.spent().cost().compareTo(budget.maxCost()) >= 0) {
            limit =
                    budget.spent().cost().toPlainString()
                            + " "
                            + budget.currency()
                            + " spent of spec.maxCost "
                            + budget.maxCost().toPlainString()
                            + " "
                            + budget.currency();
        }
        if (limit == null) {
            return Optional.empty();
        }
        return Optional.of(
                "ModelBudget "
                        + budget.name()
                        + " is spent for the "
                        + budget.period().name().toLowerCase()
                        + " from "
                        + budget.periodStart()
                        + ": "
                        + limit);
    }

    /**
     * Why a new run may not start now, or empty when it may. The message says when it will: the
     * period's roll-over, or a raised limit.
     */
    public static Optional<String> hold(List<State> budgets) {
        return budgets.stream()
                .sorted(Comparator.comparing(State::name))
                .map(
                        budget ->
                                exhausted(budget)
                                        .map(
                                                why ->
                                                        why
                                                                + "; the run starts when the "
                                                                + budget.period()
                                                                        .name()
                                                                        .toLowerCase()
                                                                + " rolls over at "
                                                                + BudgetPeriods.next(
                                                                        budget.period(),
                                                                        budget.periodStart())
                                                                + " or the budget is raised"))
                .flatMap(Optional::stream)
                .findFirst();
    }
}
