package dev.darkfactory.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.darkfactory.operator.api.v1alpha1.AttemptStatus;
import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.FactoryRunStatus;
import dev.darkfactory.operator.api.v1alpha1.ModelPricing;
import dev.darkfactory.operator.api.v1alpha1.RunPhase;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UsageRecordsTest {

    @Test
    void replicasAreSummedPerAttemptAndForeignEntriesIgnored() {
        RunUsage usage =
                UsageRecords.parse(
                        Map.of(
                                "a1.gw-0", "{\"input\":10,\"output\":5,\"calls\":1}",
                                "a1.gw-1", "{\"input\":20,\"output\":5,\"calls\":2}",
                                "a2.gw-0", "{\"input\":1,\"output\":1,\"calls\":1}",
                                "a3.gw-0", "{\"input\":-500,\"output\":1,\"calls\":1}",
                                "a4.gw-0", "not json",
                                "notes", "{\"input\":99,\"output\":99,\"calls\":9}"));

        assertThat(usage.attempt(1))
                .isEqualTo(new RunUsage.AttemptUsage(new TokenCount(30, 10), 3));
        assertThat(usage.attempts()).containsOnlyKeys(1, 2);
        assertThat(usage.total()).isEqualTo(new RunUsage.AttemptUsage(new TokenCount(31, 11), 4));
        assertThat(
                        UsageRecords.ofReplica(
                                Map.of(
                                        "a1.gw-0",
                                        "{\"input\":1,\"output\":2,\"calls\":3}",
                                        "a1.gw-1",
                                        "{\"input\":7,\"output\":7,\"calls\":7}"),
                                "gw-0"))
                .containsExactlyEntriesOf(
                        Map.of(1, new RunUsage.AttemptUsage(new TokenCount(1, 2), 3)));
    }

    @Test
    void theRunStatusGetsUsageAndCostPerAttemptAndInTotal() {
        FactoryRunStatus status = new FactoryRunStatus();
        for (int n = 1; n <= 2; n++) {
            AttemptStatus attempt = new AttemptStatus();
            attempt.number = n;
            status.attempts.add(attempt);
        }
        RunUsage usage =
                UsageRecords.parse(
                        Map.of("a1.gw-0", "{\"input\":1000000,\"output\":200000,\"calls\":4}"));
        Optional<Pricing> pricing = Pricing.of(new ModelPricing("3", "15", "EUR"));

        UsageRecords.applyTo(status, usage, pricing);

        assertThat(status.attempts.get(0).usage.cost).isEqualTo("6.000000");
        assertThat(status.attempts.get(0).usage.currency).isEqualTo("EUR");
        assertThat(status.attempts.get(0).tokens).isEqualTo(1_200_000L);
        assertThat(status.attempts.get(1).usage).isNull();
        assertThat(status.usage.calls).isEqualTo(4L);
        assertThat(status.tokensUsed).isEqualTo(1_200_000L);
        assertThat(new BigDecimal(status.usage.cost)).isEqualByComparingTo("6");
    }

    @Test
    void theRunDirectoryRefusesGoneReplacedAndFinishedRuns() throws TokenRejected {
        FactoryRun run = GatewayCredentialsTest.run(true);
        AttemptClaims claims =
                new AttemptClaims(
                        "team-a",
                        "todo-g1-abcdef",
                        "uid-1",
                        1,
                        java.time.Instant.EPOCH,
                        null,
                        null);
        AttemptClaims older =
                new AttemptClaims(
                        "team-a",
                        "todo-g1-abcdef",
                        "uid-0",
                        1,
                        java.time.Instant.EPOCH,
                        null,
                        null);

        assertThat(KubernetesRunDirectory.route(claims, run).endpoint(ModelApi.Family.OPENAI))
                .isPresent();
        assertThatThrownBy(() -> KubernetesRunDirectory.route(claims, null))
                .hasMessageContaining("no longer exists");
        assertThatThrownBy(() -> KubernetesRunDirectory.route(older, run))
                .hasMessageContaining("made again");
        run.getStatus().phase = RunPhase.Cancelled;
        assertThatThrownBy(() -> KubernetesRunDirectory.route(claims, run))
                .hasMessageContaining("finished");
    }

    @Test
    void theEarliestBudgetRefusalIsReadAndMalformedOnesIgnored() {
        Map<String, String> data =
                Map.of(
                        "a1.gw-0", "{\"input\":10,\"output\":5,\"calls\":1}",
                        "refused.gw-0",
                                "{\"attempt\":2,\"budget\":\"maxCost\",\"message\":\"spent\"}",
                        "refused.gw-1",
                                "{\"attempt\":1,\"budget\":\"maxTokens\",\"message\":\"gone\"}",
                        "refused.gw-2", "{\"attempt\":0,\"budget\":\"maxTokens\"}",
                        "refused.gw-3", "{\"attempt\":1,\"budget\":\"time\"}");

        assertThat(UsageRecords.refusal(data))
                .hasValue(new BudgetRefusal(1, BudgetRefusal.MAX_TOKENS, "gone"));
        assertThat(UsageRecords.refusal(Map.of("a1.gw-0", "{}"))).isEmpty();
        assertThat(UsageRecords.refusal(null)).isEmpty();
        assertThat(new BudgetRefusal(2, BudgetRefusal.MAX_COST, "").reason())
                .isEqualTo(dev.darkfactory.operator.contract.FailureReason.CostBudgetExhausted);
        // The refusal keys do not count as usage.
        assertThat(UsageRecords.parse(data).total().calls()).isEqualTo(1);
    }

    @Test
    void aRefusalRoundTripsThroughItsKeyAndValue() {
        BudgetRefusal refusal =
                new BudgetRefusal(3, BudgetRefusal.MAX_COST, "spec.budget.maxCost 1.00 USD");
        assertThat(
                        UsageRecords.refusal(
                                Map.of(
                                        UsageRecords.refusalKey("gw-0"),
                                        UsageRecords.refusalValue(refusal))))
                .hasValue(refusal);
    }

    @Test
    void aRecordWhoseRunIsGoneOrMadeAgainIsAnOrphan() {
        RunRef ref = new RunRef("team-a", "todo-g1", "uid-1");
        FactoryRun same = new FactoryRun();
        same.setMetadata(
                new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withUid("uid-1").build());
        FactoryRun remade = new FactoryRun();
        remade.setMetadata(
                new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withUid("uid-2").build());

        assertThat(UsageRecordSweep.orphaned(ref, null)).isTrue();
        assertThat(UsageRecordSweep.orphaned(ref, remade)).isTrue();
        assertThat(UsageRecordSweep.orphaned(ref, same)).isFalse();
    }
}
