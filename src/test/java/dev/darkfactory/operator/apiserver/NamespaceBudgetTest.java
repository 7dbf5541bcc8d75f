package dev.darkfactory.operator.apiserver;

import static dev.darkfactory.operator.testing.FactoryHarness.WAIT;
import static dev.darkfactory.operator.testing.FactoryHarness.built;
import static dev.darkfactory.operator.testing.FactoryHarness.genPod;
import static dev.darkfactory.operator.testing.FactoryHarness.phase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.darkfactory.operator.api.v1alpha1.AttemptPhase;
import dev.darkfactory.operator.api.v1alpha1.BudgetPeriod;
import dev.darkfactory.operator.api.v1alpha1.Condition;
import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.IntentPhase;
import dev.darkfactory.operator.api.v1alpha1.ModelBudget;
import dev.darkfactory.operator.api.v1alpha1.ModelBudgetSpec;
import dev.darkfactory.operator.api.v1alpha1.RunPhase;
import dev.darkfactory.operator.budget.ModelBudgetReconciler;
import dev.darkfactory.operator.budget.NamespaceBudgetDecision;
import dev.darkfactory.operator.config.FactoryConfig;
import dev.darkfactory.operator.intent.IntentReconciler;
import dev.darkfactory.operator.metrics.FactoryMetrics;
import dev.darkfactory.operator.run.RunReconciler;
import dev.darkfactory.operator.status.StatusAggregator;
import dev.darkfactory.operator.testing.FactoryConfigs;
import dev.darkfactory.operator.testing.FactoryHarness;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * A namespace budget on a real API server: once the namespace's runs spent it, a new run stays
 * Queued without a pod or an attempt, says why in its status and its intent's, with one Warning
 * Event, while the run in flight goes on; it starts by itself once the budget is raised or the day
 * rolls over. The test sets the time: it starts at noon and jumps to the next day.
 */
// Its namespaces and operators are its own: in the parallel lane, its tests one by one.
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock("NamespaceBudgetTest")
class NamespaceBudgetTest {

    private static final Instant NOON = Instant.parse("2026-12-02T12:00:00Z");

    private final AtomicReference<Instant> now = new AtomicReference<>(NOON);
    private final Clock clock = new SettableClock(now);
    private FactoryHarness factory;

    @BeforeEach
    void setUp() {
        factory = FactoryHarness.withoutOperator();
        FactoryConfig settings = FactoryConfigs.defaults();
        factory.startWith(
                () ->
                        List.of(
                                new IntentReconciler(settings, FactoryMetrics.inMemory()),
                                new RunReconciler(settings, FactoryMetrics.inMemory(), clock),
                                new ModelBudgetReconciler(clock)));
    }

    @AfterEach
    void tearDown() {
        factory.close();
    }

    @Test
    void aSpentBudgetHoldsNewRunsUntilItIsRaised() {
        createBudget(10L);
        spendTenTokens("first");

        factory.createIntent("second", 3, null);
        FactoryRun held = awaitHeld("second");

        assertThat(held.getStatus().attempts).isEmpty();
        assertThat(factory.kubelet.exists(genPod(held, 1))).isFalse();
        assertThat(held.getStatus().message)
                .startsWith(
                        "ModelBudget team is spent for the day from 2026-12-02T00:00:00Z: 10 tokens"
                                + " used of spec.maxTokens 10")
                .contains("rolls over at 2026-12-03T00:00:00Z");
        var intent =
                factory.awaitIntent(
                        "second",
                        i ->
                                NamespaceBudgetDecision.REASON.equals(
                                        reconciling(i.getStatus().conditions).reason));
        assertThat(intent.getStatus().phase).isEqualTo(IntentPhase.Queued);
        assertThat(reconciling(intent.getStatus().conditions).message).contains("ModelBudget team");
        ModelBudget budget =
                await().atMost(WAIT)
                        .until(
                                this::budget,
                                b ->
                                        b.getStatus() != null
                                                && Long.valueOf(10)
                                                        .equals(b.getStatus().spentTokens)
                                                && exhausted(b) != null
                                                && "True".equals(exhausted(b).status.name()));
        assertThat(budget.getStatus().periodStart).isEqualTo("2026-12-02T00:00:00Z");
        assertThat(budget.getStatus().runs).hasSize(1);
        // The run in flight is not touched.
        assertThat(phase(factory.latestRun("first"))).isEqualTo(RunPhase.Running);

        factory.client
                .resources(ModelBudget.class)
                .inNamespace(factory.namespace)
                .withName("team")
                .edit(
                        b -> {
                            b.getSpec().maxTokens = 1000L;
                            return b;
                        });

        FactoryRun started = factory.awaitPod("second", 1, false);
        assertThat(started.getStatus().phase).isEqualTo(RunPhase.Running);
        assertThat(started.getStatus().reason).isNull();
        assertThat(
                        factory.eventReasons(started.getMetadata().getName()).stream()
                                .filter(NamespaceBudgetDecision.REASON::equals))
                .hasSize(1);
    }

    @Test
    void aHeldRunStartsWhenThePeriodRollsOver() {
        createBudget(10L);
        spendTenTokens("first");
        factory.createIntent("second", 3, null);
        awaitHeld("second");

        now.set(Instant.parse("2026-12-03T00:00:01Z"));

        FactoryRun started = factory.awaitPod("second", 1, false);
        assertThat(started.getStatus().reason).isNull();
        ModelBudget budget =
                await().atMost(WAIT)
                        .until(
                                this::budget,
                                b -> "2026-12-03T00:00:00Z".equals(b.getStatus().periodStart));
        // The first run's attempt started yesterday: today counts nothing of it.
        assertThat(budget.getStatus().spentTokens).isZero();
        assertThat(exhausted(budget).status.name()).isEqualTo("False");
    }

    private void createBudget(long maxTokens) {
        ModelBudget budget = new ModelBudget();
        budget.setMetadata(
                new ObjectMetaBuilder().withName("team").withNamespace(factory.namespace).build());
        budget.setSpec(new ModelBudgetSpec(BudgetPeriod.Day, null, maxTokens));
        factory.client.resource(budget).create();
    }

    /** The intent's first attempt builds, reporting 10 tokens, and goes on to its tests. */
    private void spendTenTokens(String intent) {
        factory.createIntent(intent, 3, null);
        FactoryRun run = factory.awaitPod(intent, 1, false);
        factory.kubelet.generatorSucceeds(genPod(run, 1), built(FactoryHarness.IMAGE, 10L));
        factory.awaitRun(intent, r -> r.getStatus().attempts.get(0).phase == AttemptPhase.Testing);
    }

    private FactoryRun awaitHeld(String intent) {
        return factory.awaitRun(
                intent,
                r ->
                        phase(r) == RunPhase.Queued
                                && NamespaceBudgetDecision.REASON.equals(r.getStatus().reason));
    }

    private ModelBudget budget() {
        return factory.client
                .resources(ModelBudget.class)
                .inNamespace(factory.namespace)
                .withName("team")
                .get();
    }

    private static Condition exhausted(ModelBudget budget) {
        return StatusAggregator.find(
                budget.getStatus().conditions, ModelBudgetReconciler.EXHAUSTED);
    }

    private static Condition reconciling(List<Condition> conditions) {
        return StatusAggregator.find(conditions, StatusAggregator.RECONCILING);
    }

    /** A clock the test moves. */
    private static final class SettableClock extends Clock {
        private final AtomicReference<Instant> now;

        SettableClock(AtomicReference<Instant> now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }
}
