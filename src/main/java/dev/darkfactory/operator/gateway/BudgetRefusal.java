package dev.darkfactory.operator.gateway;

import dev.darkfactory.operator.contract.FailureReason;

/**
 * The gateway refused a call of a run because its budget is spent. Recorded in the run's usage
 * ConfigMap, so that the operator ends the run with a reason naming the budget rather than starting
 * another attempt whose calls would be refused too.
 *
 * @param attempt the attempt whose call was refused
 * @param budget {@code maxTokens} or {@code maxCost}
 * @param message the gateway's message to the client, naming the budget and what was used
 */
public record BudgetRefusal(int attempt, String budget, String message) {

    public static final String MAX_COST = "maxCost";
    public static final String MAX_TOKENS = "maxTokens";

    /** The reason the run ends with. */
    public FailureReason reason() {
        return MAX_COST.equals(budget)
                ? FailureReason.CostBudgetExhausted
                : FailureReason.TokenBudgetExhausted;
    }
}
