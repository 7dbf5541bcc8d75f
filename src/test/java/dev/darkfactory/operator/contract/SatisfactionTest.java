package dev.darkfactory.operator.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class SatisfactionTest {

    private static final Offset<Double> CLOSE = Offset.offset(0.0001);

    @Test
    void twoOfThreeTrialsIsAboutTwoThirdsWithAWideInterval() {
        Satisfaction satisfaction = Satisfaction.of(2, 3);

        assertThat(satisfaction.value()).isCloseTo(0.6667, CLOSE);
        assertThat(satisfaction.low()).isCloseTo(0.2077, CLOSE);
        assertThat(satisfaction.high()).isCloseTo(0.9385, CLOSE);
        assertThat(satisfaction.meets(0.9)).isFalse();
        assertThat(satisfaction.meets(0.66)).isTrue();
    }

    @Test
    void theIntervalStaysWithinZeroAndOneAtTheEdges() {
        Satisfaction all = Satisfaction.of(10, 10);
        Satisfaction none = Satisfaction.of(0, 10);
        Satisfaction one = Satisfaction.of(1, 1);

        assertThat(all.low()).isCloseTo(0.7225, CLOSE);
        assertThat(all.high()).isEqualTo(1.0);
        assertThat(none.low()).isEqualTo(0.0);
        assertThat(none.high()).isCloseTo(0.2775, CLOSE);
        assertThat(one.low()).isCloseTo(0.2065, CLOSE);
        assertThat(Satisfaction.of(27, 30).low()).isCloseTo(0.7438, CLOSE);
        assertThat(Satisfaction.of(27, 30).high()).isCloseTo(0.9654, CLOSE);
    }

    @Test
    void theGateComparesWholeTrials() {
        assertThat(Satisfaction.of(3, 3).meets(1.0)).isTrue();
        assertThat(Satisfaction.of(2, 3).meets(1.0)).isFalse();
        assertThat(Satisfaction.of(2, 3).meets(2.0 / 3)).isTrue();
        assertThat(Satisfaction.of(0, 4).meets(0.0)).isTrue();
        assertThat(Satisfaction.of(9, 10).meets(0.9)).isTrue();
    }

    @Test
    void impossibleCountsAreRejected() {
        assertThatThrownBy(() -> Satisfaction.of(1, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Satisfaction.of(4, 3))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
