package dev.darkfactory.operator.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void parsesEveryUnitAndCombinations() {
        assertThat(Durations.parse("200ms")).isEqualTo(Duration.ofMillis(200));
        assertThat(Durations.parse("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("15m")).isEqualTo(Duration.ofMinutes(15));
        assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    }

    @Test
    void formatsWholeSecondsAsParseReadsThem() {
        assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
        assertThat(Durations.format(Duration.ofMillis(45_900))).isEqualTo("45s");
        assertThat(Durations.format(Duration.ofSeconds(72))).isEqualTo("1m12s");
        assertThat(Durations.format(Duration.ofMinutes(123))).isEqualTo("2h3m");
        assertThat(Durations.format(Duration.ofSeconds(3601))).isEqualTo("1h1s");
        assertThat(Durations.format(Duration.ofSeconds(-5))).isEqualTo("0s");
        assertThat(Durations.parse(Durations.format(Duration.ofSeconds(3725))))
                .isEqualTo(Duration.ofSeconds(3725));
    }

    @Test
    void rejectsWhatIsNotADuration() {
        assertThatThrownBy(() -> Durations.parse("ten minutes"))
                .hasMessageContaining("'ten minutes' is not a duration");
        assertThatThrownBy(() -> Durations.parse("5")).isInstanceOf(IllegalArgumentException.class);
    }
}
