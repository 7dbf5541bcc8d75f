package dev.darkfactory.operator.run;

import static dev.darkfactory.operator.run.RunFixtures.pod;
import static dev.darkfactory.operator.run.RunFixtures.running;
import static dev.darkfactory.operator.run.RunFixtures.terminated;
import static org.assertj.core.api.Assertions.assertThat;

import dev.darkfactory.operator.api.v1alpha1.AttemptPhase;
import dev.darkfactory.operator.api.v1alpha1.AttemptStatus;
import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.FactoryRunStatus;
import dev.darkfactory.operator.api.v1alpha1.ModelPricing;
import dev.darkfactory.operator.api.v1alpha1.RunPhase;
import dev.darkfactory.operator.config.InfraRetry;
import dev.darkfactory.operator.gateway.BudgetRefusal;
import dev.darkfactory.operator.gateway.GatewayUsage;
import dev.darkfactory.operator.gateway.RunUsage;
import dev.darkfactory.operator.gateway.TokenCount;
import dev.darkfactory.operator.testing.FactoryConfigs;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A run whose model calls go through the gateway: its usage is what the gateway metered, not what
 * the generator reports, and a call the gateway refused for budget ends the run with a reason
 * naming that budget instead of starting another attempt.
 */
class MeteredRunTest {

    private static final String RUN = "todo-g1-abcdef";
    private static final String IMAGE = "r/todo@sha256:1";

    /** The generator claims 5 tokens. */
    private static final String BUILT_CLAIMING_5 =
            "{\"station\":\"report\",\"ok\":true,\"image\":\"" + IMAGE + "\",\"tokens\":5}";

    private static final String FAILED_CHECKS =
            "{\"ok\":false,\"healthy\":true,\"passed\":1,\"failed\":1,"
                    + "\"results\":[{\"name\":\"list\",\"ok\":false,\"reason\":\"got 500\"}]}";

    private static final GatewayUsage USED_40_80 =
            new GatewayUsage(
                    new RunUsage(Map.of(1, new RunUsage.AttemptUsage(new TokenCount(40, 80), 2))),
                    Optional.empty());

    private final RunStateMachine machine =
            new RunStateMachine(
                    Clock.fixed(Instant.parse("2026-01-01T12:00:00Z"), ZoneOffset.UTC),
                    InfraRetry.of(FactoryConfigs.defaults()));

    @Test
    void theGatewaysCountReplacesWhatTheGeneratorReports() {
        FactoryRun run = run(3, null, null);
        run.setStatus(generating(1));

        FactoryRunStatus next =
                step(run, USED_40_80, RunFixtures.generatorBuilt(RUN, 1, BUILT_CLAIMING_5));

        AttemptStatus attempt = next.attempts.get(0);
        assertThat(attempt.phase).isEqualTo(AttemptPhase.Testing);
        assertThat(attempt.tokens).isEqualTo(120L);
        assertThat(attempt.usage.inputTokens).isEqualTo(40L);
        assertThat(attempt.usage.calls).isEqualTo(2L);
        // 40 x 1 + 80 x 2 per million.
        assertThat(attempt.usage.cost).isEqualTo("0.000200");
        assertThat(next.tokensUsed).isEqualTo(120L);
        assertThat(next.usage.outputTokens).isEqualTo(80L);
    }

    @Test
    void withoutAGatewayTheGeneratorsReportStillCounts() {
        FactoryRun run = run(3, null, null);
        run.setStatus(generating(1));

        FactoryRunStatus next =
                step(run, null, RunFixtures.generatorBuilt(RUN, 1, BUILT_CLAIMING_5));

        assertThat(next.attempts.get(0).tokens).isEqualTo(5L);
        assertThat(next.usage).isNull();
    }

    @Test
    void overshootingMaxTokensThroughTheGatewayEndsTheRun() {
        FactoryRun run = run(3, 100L, null);
        run.setStatus(generating(1));

        FactoryRunStatus next =
                step(run, USED_40_80, RunFixtures.generatorBuilt(RUN, 1, BUILT_CLAIMING_5));

        assertThat(next.phase).isEqualTo(RunPhase.Failed);
        assertThat(next.reason).isEqualTo("TokenBudgetExhausted");
        assertThat(next.message)
                .isEqualTo("the gateway counted 120 tokens, over spec.budget.maxTokens 100");
    }

    @Test
    void overshootingMaxCostEndsTheRunWithCostBudgetExhausted() {
        FactoryRun run = run(3, null, "0.0001");
        run.setStatus(generating(1));

        FactoryRunStatus next =
                step(run, USED_40_80, RunFixtures.generatorBuilt(RUN, 1, BUILT_CLAIMING_5));

        assertThat(next.phase).isEqualTo(RunPhase.Failed);
        assertThat(next.reason).isEqualTo("CostBudgetExhausted");
        assertThat(next.message).contains("0.000200 USD").contains("spec.budget.maxCost 0.0001");
    }

    @Test
    void aGeneratorThatFailsAfterARefusedCallEndsTheRunNamingTheBudget() {
        FactoryRun run = run(3, 150L, null);
        run.setStatus(generating(1));

        FactoryRunStatus next = step(run, refused(1, BudgetRefusal.MAX_TOKENS), generatorFailed(1));

        assertThat(next.phase).isEqualTo(RunPhase.Failed);
        assertThat(next.reason).isEqualTo("TokenBudgetExhausted");
        assertThat(next.message)
                .isEqualTo(
                        "the gateway refused a model call of attempt 1: spec.budget.maxTokens 150 is spent");
        assertThat(next.attempts).hasSize(1);
        assertThat(next.attempts.get(0).reason).isEqualTo("GeneratorFailed");
    }

    @Test
    void aRefusalForCostEndsTheRunWithCostBudgetExhausted() {
        FactoryRun run = run(3, null, "1.00");
        run.setStatus(generating(1));

        FactoryRunStatus next = step(run, refused(1, BudgetRefusal.MAX_COST), generatorFailed(1));

        assertThat(next.reason).isEqualTo("CostBudgetExhausted");
        assertThat(next.attempts).hasSize(1);
    }

    @Test
    void withoutARefusalAFailedGeneratorLeadsToTheNextAttempt() {
        FactoryRun run = run(3, 150L, null);
        run.setStatus(generating(1));

        FactoryRunStatus next = step(run, USED_40_80, generatorFailed(1));

        assertThat(next.phase).isEqualTo(RunPhase.Running);
        assertThat(next.attempts).hasSize(2);
    }

    @Test
    void aRefusalSeenOnlyAfterTheNextAttemptStartedEndsTheRunAtOnce() {
        FactoryRun run = run(3, 150L, null);
        FactoryRunStatus stored = generating(2);
        run.setStatus(stored);

        FactoryRunStatus next =
                step(
                        run,
                        refused(1, BudgetRefusal.MAX_TOKENS),
                        RunFixtures.generatorAtWork(RUN, 2));

        assertThat(next.phase).isEqualTo(RunPhase.Failed);
        assertThat(next.reason).isEqualTo("TokenBudgetExhausted");
        assertThat(next.attempts.get(1).phase).isEqualTo(AttemptPhase.Failed);
        assertThat(next.attempts.get(1).reason).isEqualTo("TokenBudgetExhausted");
    }

    @Test
    void aRefusalOfTheCurrentAttemptWaitsForItsGenerator() {
        FactoryRun run = run(3, 150L, null);
        run.setStatus(generating(1));

        FactoryRunStatus next =
                step(
                        run,
                        refused(1, BudgetRefusal.MAX_TOKENS),
                        RunFixtures.generatorAtWork(RUN, 1));

        assertThat(next.phase).isEqualTo(RunPhase.Running);
        assertThat(next.attempts.get(0).phase).isEqualTo(AttemptPhase.Generating);
    }

    @Test
    void anAttemptThatBuiltDespiteARefusalIsTestedAndItsFailureEndsTheRun() {
        FactoryRun run = run(3, 150L, null);
        FactoryRunStatus stored = generating(1);
        stored.attempts.get(0).phase = AttemptPhase.Testing;
        stored.attempts.get(0).image = IMAGE;
        stored.attempts.get(0).testerPod = RunNames.testerPod(RUN, 1);
        run.setStatus(stored);

        FactoryRunStatus next =
                step(
                        run,
                        refused(1, BudgetRefusal.MAX_TOKENS),
                        pod(
                                RunNames.testerPod(RUN, 1),
                                "Running",
                                null,
                                List.of(),
                                List.of(
                                        running("app"),
                                        terminated("tester", 1, null, FAILED_CHECKS))));

        assertThat(next.attempts.get(0).reason).isEqualTo("ChecksFailed");
        assertThat(next.phase).isEqualTo(RunPhase.Failed);
        assertThat(next.reason).isEqualTo("TokenBudgetExhausted");
        assertThat(next.attempts).hasSize(1);
    }

    @Test
    void usageRecordedAfterTheRunEndedStillReachesItsStatus() {
        FactoryRun run = run(3, null, null);
        FactoryRunStatus stored = generating(1);
        stored.phase = RunPhase.Failed;
        stored.reason = "MaxAttemptsExhausted";
        run.setStatus(stored);

        FactoryRunStatus next = step(run, USED_40_80, generatorFailed(1));

        assertThat(next.phase).isEqualTo(RunPhase.Failed);
        assertThat(next.tokensUsed).isEqualTo(120L);
    }

    private FactoryRunStatus step(FactoryRun run, GatewayUsage gateway, Pod pod) {
        return machine.next(
                        run,
                        new RunStateMachine.Observed(
                                Map.of(pod.getMetadata().getName(), pod),
                                true,
                                1,
                                2,
                                IntentSignals.NONE,
                                gateway))
                .status();
    }

    private static GatewayUsage refused(int attempt, String budget) {
        return new GatewayUsage(
                USED_40_80.usage(),
                Optional.of(
                        new BudgetRefusal(
                                attempt,
                                budget,
                                "spec.budget." + budget + " " + budget(budget) + " is spent")));
    }

    private static String budget(String budget) {
        return BudgetRefusal.MAX_COST.equals(budget) ? "1.00 USD" : "150";
    }

    private static FactoryRun run(int maxAttempts, Long maxTokens, String maxCost) {
        FactoryRun run = RunFixtures.run(maxAttempts);
        run.getSpec().intent.budget.maxTokens = maxTokens;
        run.getSpec().intent.budget.maxCost = maxCost;
        run.getSpec().generator.spec.pricing = new ModelPricing("1", "2", "USD");
        return run;
    }

    private static FactoryRunStatus generating(int number) {
        FactoryRunStatus status = new FactoryRunStatus();
        status.phase = RunPhase.Running;
        status.attempts = new ArrayList<>();
        for (int i = 1; i <= number; i++) {
            AttemptStatus attempt = new AttemptStatus();
            attempt.number = i;
            attempt.phase = i < number ? AttemptPhase.Failed : AttemptPhase.Generating;
            attempt.reason = i < number ? "GeneratorFailed" : null;
            attempt.generatorPod = RunNames.generatorPod(RUN, i);
            status.attempts.add(attempt);
        }
        status.currentAttempt = number;
        return status;
    }

    /** The generate container gives up (a 402 from the gateway, say). */
    private static Pod generatorFailed(int attempt) {
        return pod(
                RunNames.generatorPod(RUN, attempt),
                "Failed",
                null,
                List.of(
                        terminated("prepare", 0, null, null),
                        terminated("generate", 1, "Error", "the model call was refused")),
                List.of());
    }
}
