package dev.darkfactory.operator.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When a running run looks at its pods again without an event. */
class RunNextLookTest {

    @Test
    void aRunningRunLooksAgainAfterTheRecheckWhenNothingElseIsDue() {
        assertThat(RunReconciler.nextLook(Optional.empty()))
                .isEqualTo(RunReconciler.RUNNING_RECHECK);
    }

    @Test
    void anUnschedulablePodIsLookedAtJustAfterItsGraceEnds() {
        assertThat(RunReconciler.nextLook(Optional.of(Duration.ofMillis(400))))
                .isEqualTo(Duration.ofMillis(1400));
    }

    @Test
    void aGraceLongerThanTheRecheckDoesNotPostponeTheRecheck() {
        assertThat(RunReconciler.nextLook(Optional.of(Duration.ofMinutes(5))))
                .isEqualTo(RunReconciler.RUNNING_RECHECK);
    }
}
