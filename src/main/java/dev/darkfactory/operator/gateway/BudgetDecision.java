package dev.darkfactory.operator.gateway;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Whether a call may go to the provider, given what the run has used. Pure, so that every edge is a
 * unit test. The input of the call is estimated from its size (about four bytes of JSON per token);
 * the output is bounded by lowering the request's own output limit to what the budget still pays
 * for. A call whose input alone would not fit is refused.
 *
 * @param refusal why the call is refused, naming the budget; empty when it may go
 * @param budget which budget refused it: maxTokens or maxCost
 * @param maxOutput the output-token limit to impose, when a budget bounds it
 */
public record BudgetDecision(Optional<String> refusal, String budget, OptionalLong maxOutput) {

    static final int BYTES_PER_TOKEN = 4;

    public static BudgetDecision decide(
            AttemptClaims claims, TokenCount used, Optional<Pricing> pricing, long requestBytes) {
        long estimatedInput = requestBytes / BYTES_PER_TOKEN;
        OptionalLong maxOutput = OptionalLong.empty();
        if (claims.maxTokens() != null) {
            long left = claims.maxTokens() - used.total();
            if (left <= estimatedInput) {
                return refused(
                        "maxTokens",
                        "the run's token budget (spec.budget.maxTokens "
                                + claims.maxTokens()
                                + ") is spent: "
                                + used.total()
                                + " tokens used, this request needs about "
                                + estimatedInput
                                + " input tokens; the gateway refuses further model calls of this run");
            }
            maxOutput = OptionalLong.of(left - estimatedInput);
        }
        if (claims.maxCost() != null) {
            if (pricing.isEmpty()) {
                return refused(
                        "maxCost",
                        "the run has spec.budget.maxCost "
                                + claims.maxCost().toPlainString()
                                + " but its GeneratorClass has no pricing, so the cost of a call cannot be bounded");
            }
            Pricing prices = pricing.get();
            BigDecimal spent = prices.cost(used);
            BigDecimal left =
                    claims.maxCost().subtract(spent).subtract(prices.inputCost(estimatedInput));
            if (left.signum() <= 0) {
                return refused(
                        "maxCost",
                        "the run's cost budget (spec.budget.maxCost "
                                + claims.maxCost().toPlainString()
                                + " "
                                + prices.currency()
                                + ") is spent: "
                                + spent.toPlainString()
                                + " "
                                + prices.currency()
                                + " used; the gateway refuses further model calls of this run");
            }
            long affordable = prices.outputTokensFor(left);
            maxOutput = OptionalLong.of(Math.min(affordable, maxOutput.orElse(Long.MAX_VALUE)));
        }
        if (maxOutput.isPresent() && maxOutput.getAsLong() < 1) {
            return refused(
                    claims.maxCost() != null ? "maxCost" : "maxTokens",
                    "the run's budget leaves no output tokens for this call");
        }
        return new BudgetDecision(Optional.empty(), null, maxOutput);
    }

    private static BudgetDecision refused(String budget, String message) {
        return new BudgetDecision(Optional.of(message), budget, OptionalLong.empty());
    }

    public boolean allowed() {
        return refusal.isEmpty();
    }
}
