package dev.darkfactory.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BudgetDecisionTest {

    private static final Optional<Pricing> PRICING =
            Optional.of(new Pricing(new BigDecimal("3"), new BigDecimal("15"), "USD"));

    private static AttemptClaims budget(Long maxTokens, String maxCost) {
        return new AttemptClaims(
                "ns",
                "run",
                "uid",
                1,
                Instant.EPOCH,
                maxTokens,
                maxCost == null ? null : new BigDecimal(maxCost));
    }

    @Test
    void withoutBudgetsEveryCallGoesUnchanged() {
        BudgetDecision decision =
                BudgetDecision.decide(
                        budget(null, null),
                        new TokenCount(1_000_000, 1_000_000),
                        Optional.empty(),
                        4000);
        assertThat(decision.allowed()).isTrue();
        assertThat(decision.maxOutput()).isEmpty();
    }

    @Test
    void theOutputIsCappedAtWhatTheTokenBudgetLeavesAfterTheEstimatedInput() {
        BudgetDecision decision =
                BudgetDecision.decide(
                        budget(1000L, null), new TokenCount(300, 200), Optional.empty(), 400);
        assertThat(decision.allowed()).isTrue();
        assertThat(decision.maxOutput()).hasValue(1000 - 500 - 100);
    }

    @Test
    void aSpentTokenBudgetRefusesNamingIt() {
        BudgetDecision decision =
                BudgetDecision.decide(
                        budget(1000L, null), new TokenCount(600, 400), Optional.empty(), 4);
        assertThat(decision.allowed()).isFalse();
        assertThat(decision.budget()).isEqualTo("maxTokens");
        assertThat(decision.refusal())
                .get()
                .asString()
                .contains("spec.budget.maxTokens 1000")
                .contains("1000 tokens used");
    }

    @Test
    void aRequestWhoseInputAloneExceedsWhatIsLeftIsRefused() {
        BudgetDecision decision =
                BudgetDecision.decide(
                        budget(1000L, null), new TokenCount(500, 0), Optional.empty(), 2000);
        assertThat(decision.allowed()).isFalse();
    }

    @Test
    void theCostBudgetCapsOutputAtWhatTheMoneyLeftBuys() {
        // 1 USD budget, 0.30 spent on 100k input tokens; 4000 bytes ~ 1000 input tokens = 0.003.
        BudgetDecision decision =
                BudgetDecision.decide(
                        budget(null, "1.00"), new TokenCount(100_000, 0), PRICING, 4000);
        assertThat(decision.allowed()).isTrue();
        // (1 - 0.3 - 0.003) USD at 15 USD per million output tokens.
        assertThat(decision.maxOutput()).hasValue(46_466);
    }

    @Test
    void aSpentCostBudgetRefusesNamingIt() {
        BudgetDecision decision =
                BudgetDecision.decide(budget(null, "1.00"), new TokenCount(0, 70_000), PRICING, 4);
        assertThat(decision.allowed()).isFalse();
        assertThat(decision.budget()).isEqualTo("maxCost");
        assertThat(decision.refusal())
                .get()
                .asString()
                .contains("spec.budget.maxCost 1.00 USD")
                .contains("1.050000 USD used");
    }

    @Test
    void aCostBudgetWithoutPricingRefusesRatherThanSpendUnbounded() {
        BudgetDecision decision =
                BudgetDecision.decide(budget(null, "1.00"), TokenCount.ZERO, Optional.empty(), 4);
        assertThat(decision.allowed()).isFalse();
        assertThat(decision.refusal()).get().asString().contains("no pricing");
    }

    @Test
    void theTighterOfBothBudgetsBoundsTheOutput() {
        BudgetDecision decision =
                BudgetDecision.decide(budget(500L, "100"), TokenCount.ZERO, PRICING, 0);
        assertThat(decision.maxOutput()).hasValue(500);
    }

    @Test
    void costIsExactDecimal() {
        assertThat(PRICING.get().cost(new TokenCount(1234, 567)).toPlainString())
                .isEqualTo("0.012207");
    }
}
