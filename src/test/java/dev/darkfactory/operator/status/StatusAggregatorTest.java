package dev.darkfactory.operator.status;

import static dev.darkfactory.operator.status.StatusAggregator.READY;
import static dev.darkfactory.operator.status.StatusAggregator.RECONCILING;
import static dev.darkfactory.operator.status.StatusAggregator.STALLED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.darkfactory.operator.api.v1alpha1.Condition;
import dev.darkfactory.operator.api.v1alpha1.ConditionStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusAggregatorTest {

    private static final Clock T1 =
            Clock.fixed(Instant.parse("2026-01-01T10:00:00Z"), ZoneOffset.UTC);
    private static final Clock T2 =
            Clock.fixed(Instant.parse("2026-01-01T11:00:00Z"), ZoneOffset.UTC);

    @Test
    void readySetsTheKstatusTriple() {
        List<Condition> conditions =
                new StatusAggregator(null, 3, T1).ready("Deployed", "serving").build();

        assertThat(conditions).extracting(c -> c.type).containsExactly(READY, RECONCILING, STALLED);
        assertThat(status(conditions, READY)).isEqualTo(ConditionStatus.True);
        assertThat(status(conditions, RECONCILING)).isEqualTo(ConditionStatus.False);
        assertThat(status(conditions, STALLED)).isEqualTo(ConditionStatus.False);
        assertThat(conditions)
                .allSatisfy(
                        c -> {
                            assertThat(c.observedGeneration).isEqualTo(3L);
                            assertThat(c.lastTransitionTime).isEqualTo("2026-01-01T10:00:00Z");
                        });
    }

    @Test
    void progressingAndStalledAreMutuallyExclusive() {
        List<Condition> progressing =
                new StatusAggregator(null, 1, T1).progressing("Building", "attempt 1").build();
        List<Condition> stalled =
                new StatusAggregator(null, 1, T1)
                        .stalled("GeneratorClassNotFound", "spec.generatorClassName: x")
                        .build();

        assertThat(status(progressing, RECONCILING)).isEqualTo(ConditionStatus.True);
        assertThat(status(progressing, STALLED)).isEqualTo(ConditionStatus.False);
        assertThat(status(stalled, STALLED)).isEqualTo(ConditionStatus.True);
        assertThat(status(stalled, RECONCILING)).isEqualTo(ConditionStatus.False);
        assertThat(StatusAggregator.find(stalled, READY).message)
                .isEqualTo("spec.generatorClassName: x");
    }

    @Test
    void keepsTransitionTimeWhileStatusHoldsAndMovesItOnChange() {
        List<Condition> first =
                new StatusAggregator(null, 1, T1).progressing("Building", "attempt 1").build();

        List<Condition> same =
                new StatusAggregator(first, 2, T2).progressing("Testing", "attempt 1").build();
        List<Condition> changed =
                new StatusAggregator(first, 2, T2).ready("Deployed", "serving").build();

        assertThat(StatusAggregator.find(same, RECONCILING).lastTransitionTime)
                .isEqualTo("2026-01-01T10:00:00Z");
        assertThat(StatusAggregator.find(same, RECONCILING).reason).isEqualTo("Testing");
        assertThat(StatusAggregator.find(same, RECONCILING).observedGeneration).isEqualTo(2L);
        assertThat(StatusAggregator.find(changed, READY).lastTransitionTime)
                .isEqualTo("2026-01-01T11:00:00Z");
        assertThat(StatusAggregator.find(changed, STALLED).lastTransitionTime)
                .as("Stalled stayed False")
                .isEqualTo("2026-01-01T10:00:00Z");
    }

    @Test
    void keepsConditionsOfOtherTypesItWasNotAskedToChange() {
        List<Condition> previous =
                new StatusAggregator(null, 1, T1).set("Succeeded", true, "Passed", "ok").build();

        List<Condition> next =
                new StatusAggregator(previous, 1, T2).progressing("Building", "b").build();

        assertThat(next)
                .extracting(c -> c.type)
                .containsExactly(READY, RECONCILING, STALLED, "Succeeded");
    }

    private static ConditionStatus status(List<Condition> conditions, String type) {
        return StatusAggregator.find(conditions, type).status;
    }
}
