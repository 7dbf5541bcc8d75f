package dev.darkfactory.operator.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.RunPhase;
import dev.darkfactory.operator.budget.NamespaceBudgetDecision;
import dev.darkfactory.operator.config.InfraRetry;
import dev.darkfactory.operator.status.StatusAggregator;
import dev.darkfactory.operator.testing.FactoryConfigs;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A run that a spent namespace budget holds: Queued without an attempt, its reason in status and
 * conditions, one Warning Event however often it is reconciled, and a normal start once released.
 */
class BudgetHoldTest {

    private static final String WHY = "ModelBudget team is spent for the day from ...";

    private final RunStateMachine machine =
            new RunStateMachine(
                    Clock.fixed(Instant.parse("2026-12-02T12:00:00Z"), ZoneOffset.UTC),
                    InfraRetry.of(FactoryConfigs.defaults()));

    @Test
    void aHeldRunWaitsSayingWhyWithOneWarning() {
        FactoryRun run = RunFixtures.run(3);

        RunStateMachine.Step first = machine.next(run, observed(true, WHY));
        run.setStatus(first.status());
        RunStateMachine.Step again = machine.next(run, observed(true, WHY));

        assertThat(first.status().phase).isEqualTo(RunPhase.Queued);
        assertThat(first.status().attempts).isEmpty();
        assertThat(first.status().reason).isEqualTo(NamespaceBudgetDecision.REASON);
        assertThat(first.status().message).isEqualTo(WHY);
        assertThat(StatusAggregator.find(first.status().conditions, StatusAggregator.RECONCILING))
                .satisfies(
                        c -> {
                            assertThat(c.reason).isEqualTo(NamespaceBudgetDecision.REASON);
                            assertThat(c.message).isEqualTo(WHY);
                        });
        assertThat(first.events())
                .singleElement()
                .satisfies(
                        e -> {
                            assertThat(e.warning()).isTrue();
                            assertThat(e.reason()).isEqualTo(NamespaceBudgetDecision.REASON);
                        });
        assertThat(again.events()).isEmpty();
    }

    @Test
    void onceReleasedItStartsWithoutTheReason() {
        FactoryRun run = RunFixtures.run(3);
        run.setStatus(machine.next(run, observed(true, WHY)).status());

        RunStateMachine.Step released = machine.next(run, observed(true, null));

        assertThat(released.status().phase).isEqualTo(RunPhase.Running);
        assertThat(released.status().reason).isNull();
        assertThat(released.status().message).isNull();
        assertThat(released.status().attempts).hasSize(1);
    }

    @Test
    void releasedButWithoutASlotItQueuesForTheCap() {
        FactoryRun run = RunFixtures.run(3);
        run.setStatus(machine.next(run, observed(true, WHY)).status());

        RunStateMachine.Step waiting = machine.next(run, observed(false, null));

        assertThat(waiting.status().phase).isEqualTo(RunPhase.Queued);
        assertThat(waiting.status().reason).isNull();
        assertThat(
                        StatusAggregator.find(
                                        waiting.status().conditions, StatusAggregator.RECONCILING)
                                .reason)
                .isEqualTo("Queued");
    }

    private static RunStateMachine.Observed observed(boolean admitted, String hold) {
        return new RunStateMachine.Observed(
                Map.of(), admitted, 0, 5, IntentSignals.NONE, null, hold);
    }
}
