package dev.darkfactory.operator.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.darkfactory.operator.api.v1alpha1.AttemptStatus;
import dev.darkfactory.operator.api.v1alpha1.BudgetPeriod;
import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.FactoryRunStatus;
import dev.darkfactory.operator.api.v1alpha1.ModelBudget;
import dev.darkfactory.operator.api.v1alpha1.ModelBudgetSpec;
import dev.darkfactory.operator.api.v1alpha1.ModelBudgetStatus;
import dev.darkfactory.operator.api.v1alpha1.ModelUsage;
import dev.darkfactory.operator.api.v1alpha1.RunSpend;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Whether namespace budgets hold new runs, and how spend is counted per period. */
class NamespaceBudgetDecisionTest {

    private static final Instant NOON = Instant.parse("2026-12-02T12:00:00Z");
    private static final Instant DAY = Instant.parse("2026-12-02T00:00:00Z");

    static Stream<Arguments> limits() {
        return Stream.of(
                // maxTokens, maxCost, spent tokens, spent cost, held
                Arguments.of(1000L, null, 999L, "0", false),
                Arguments.of(1000L, null, 1000L, "0", true),
                Arguments.of(1000L, null, 5000L, "0", true),
                Arguments.of(null, "5.00", 10_000_000L, "4.999999", false),
                Arguments.of(null, "5.00", 0L, "5.000000", true),
                Arguments.of(null, "5.00", 0L, "7.5", true),
                Arguments.of(1000L, "5.00", 10L, "5.01", true),
                Arguments.of(1000L, "5.00", 1001L, "0.01", true),
                Arguments.of(1000L, "5.00", 10L, "0.01", false));
    }

    @ParameterizedTest(name = "maxTokens {0}, maxCost {1}, spent {2} tokens {3}: held {4}")
    @MethodSource("limits")
    void aBudgetHoldsOnceASpendReachesItsLimit(
            Long maxTokens, String maxCost, long tokens, String cost, boolean held) {
        var state = state("team", maxTokens, maxCost, tokens, cost);

        assertThat(NamespaceBudgetDecision.hold(List.of(state)).isPresent()).isEqualTo(held);
    }

    @Test
    void theReasonNamesTheBudgetThePeriodAndTheLimitAndWhenTheRunStarts() {
        Optional<String> hold =
                NamespaceBudgetDecision.hold(
                        List.of(
                                state("zeta", 100L, null, 500L, "0"),
                                state("alpha", null, "2.00", 0L, "2.50"),
                                state("beta", 100L, null, 5L, "0")));

        assertThat(hold)
                .contains(
                        "ModelBudget alpha is spent for the day from 2026-12-02T00:00:00Z: 2.50 USD"
                                + " spent of spec.maxCost 2.00 USD; the run starts when the day rolls"
                                + " over at 2026-12-03T00:00:00Z or the budget is raised");
    }

    @Test
    void noBudgetHoldsNothing() {
        assertThat(NamespaceBudgetDecision.hold(List.of())).isEmpty();
    }

    static Stream<Arguments> periods() {
        return Stream.of(
                Arguments.of(
                        BudgetPeriod.Day,
                        "2026-12-02T23:59:59Z",
                        "2026-12-02T00:00:00Z",
                        "2026-12-03T00:00:00Z"),
                Arguments.of(
                        BudgetPeriod.Day,
                        "2026-12-31T00:00:00Z",
                        "2026-12-31T00:00:00Z",
                        "2027-01-01T00:00:00Z"),
                Arguments.of(
                        BudgetPeriod.Month,
                        "2026-12-02T12:00:00Z",
                        "2026-12-01T00:00:00Z",
                        "2027-01-01T00:00:00Z"),
                Arguments.of(
                        BudgetPeriod.Month,
                        "2028-02-29T23:00:00Z",
                        "2028-02-01T00:00:00Z",
                        "2028-03-01T00:00:00Z"));
    }

    @ParameterizedTest(name = "{0} at {1}: from {2} to {3}")
    @MethodSource("periods")
    void periodsAreUtcDaysAndMonths(BudgetPeriod period, String now, String start, String next) {
        assertThat(BudgetPeriods.start(period, Instant.parse(now))).isEqualTo(start);
        assertThat(BudgetPeriods.next(period, Instant.parse(now))).isEqualTo(next);
    }

    @Test
    void anAttemptCountsInThePeriodItStartedIn() {
        FactoryRun run =
                run(
                        "r1",
                        attempt("2026-12-01T23:50:00Z", usage(1000, 1000, "1.00", "USD")),
                        attempt("2026-12-02T00:10:00Z", usage(30, 70, "0.25", "USD")));

        RunSpend spend = NamespaceSpend.ofRun(run, DAY, "USD");

        assertThat(spend.tokens).isEqualTo(100L);
        assertThat(spend.cost).isEqualTo("0.25");
    }

    @Test
    void costInAnotherCurrencyDoesNotCountButItsTokensDo() {
        FactoryRun run = run("r1", attempt("2026-12-02T01:00:00Z", usage(10, 20, "9.00", "EUR")));

        RunSpend spend = NamespaceSpend.ofRun(run, DAY, "USD");

        assertThat(spend.tokens).isEqualTo(30L);
        assertThat(spend.cost).isNull();
    }

    @Test
    void withoutTheGatewayTheGeneratorsReportedTokensCount() {
        AttemptStatus reported = attempt("2026-12-02T01:00:00Z", null);
        reported.tokens = 42L;

        assertThat(NamespaceSpend.ofRun(run("r1", reported), DAY, "USD").tokens).isEqualTo(42L);
    }

    @Test
    void aRunThatSpentNothingIsNotInTheLedger() {
        assertThat(
                        NamespaceSpend.ofRun(
                                run("r1", attempt("2026-12-02T01:00:00Z", null)), DAY, "USD"))
                .isNull();
    }

    @Test
    void theLedgerKeepsDeletedRunsOfThePeriodAndForgetsThoseOfAnEarlierOne() {
        ModelBudget budget = budget("team", null, "10");
        budget.setStatus(new ModelBudgetStatus());
        budget.getStatus().periodStart = DAY.toString();
        budget.getStatus().runs =
                List.of(
                        new RunSpend("gone", "uid-gone", 500L, "1.50"),
                        new RunSpend("live", "uid-live", 10L, "0.01"));
        FactoryRun live =
                run("live", attempt("2026-12-02T01:00:00Z", usage(100, 100, "0.20", "USD")));

        List<RunSpend> today = NamespaceSpend.ledger(budget, List.of(live), DAY);
        List<RunSpend> tomorrow =
                NamespaceSpend.ledger(budget, List.of(live), Instant.parse("2026-12-03T00:00:00Z"));

        assertThat(today).extracting(s -> s.uid).containsExactly("uid-gone", "uid-live");
        assertThat(NamespaceSpend.totals(today))
                .isEqualTo(new NamespaceSpend.Totals(700L, new BigDecimal("1.70")));
        assertThat(tomorrow).isEmpty();
    }

    @Test
    void theStateOfABudgetSumsTheRunsOfItsPeriod() {
        FactoryRun a = run("a", attempt("2026-12-02T01:00:00Z", usage(400, 600, "3.00", "USD")));
        FactoryRun b = run("b", attempt("2026-12-02T02:00:00Z", usage(100, 100, "2.00", "USD")));

        var state =
                NamespaceBudgetDecision.State.of(budget("team", null, "5.00"), List.of(a, b), NOON);

        assertThat(state.spent())
                .isEqualTo(new NamespaceSpend.Totals(1200L, new BigDecimal("5.00")));
        assertThat(NamespaceBudgetDecision.exhausted(state)).isPresent();
    }

    private static NamespaceBudgetDecision.State state(
            String name, Long maxTokens, String maxCost, long tokens, String cost) {
        return new NamespaceBudgetDecision.State(
                name,
                BudgetPeriod.Day,
                DAY,
                maxTokens,
                maxCost == null ? null : new BigDecimal(maxCost),
                "USD",
                new NamespaceSpend.Totals(tokens, new BigDecimal(cost)));
    }

    static ModelBudget budget(String name, Long maxTokens, String maxCost) {
        ModelBudget budget = new ModelBudget();
        budget.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ns").build());
        budget.setSpec(new ModelBudgetSpec(BudgetPeriod.Day, maxCost, maxTokens));
        return budget;
    }

    static FactoryRun run(String name, AttemptStatus... attempts) {
        FactoryRun run = new FactoryRun();
        run.setMetadata(
                new ObjectMetaBuilder()
                        .withName(name)
                        .withNamespace("ns")
                        .withUid("uid-" + name)
                        .build());
        run.setStatus(new FactoryRunStatus());
        run.getStatus().attempts = List.of(attempts);
        return run;
    }

    static AttemptStatus attempt(String start, ModelUsage usage) {
        AttemptStatus attempt = new AttemptStatus();
        attempt.startTime = start;
        attempt.usage = usage;
        if (usage != null) {
            attempt.tokens = usage.inputTokens + usage.outputTokens;
        }
        return attempt;
    }

    static ModelUsage usage(long input, long output, String cost, String currency) {
        return new ModelUsage(input, output, 1L, cost, currency);
    }
}
