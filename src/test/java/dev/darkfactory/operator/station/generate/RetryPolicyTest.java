package dev.darkfactory.operator.station.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private final RetryPolicy policy =
            new RetryPolicy(6, Duration.ofSeconds(1), Duration.ofSeconds(5));

    @Test
    void backsOffExponentiallyUpToTheLongestWait() {
        assertThat(policy.backoff(1, Optional.empty())).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.backoff(2, Optional.empty())).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.backoff(3, Optional.empty())).isEqualTo(Duration.ofSeconds(4));
        assertThat(policy.backoff(4, Optional.empty())).isEqualTo(Duration.ofSeconds(5));
        assertThat(policy.backoff(60, Optional.empty())).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void retryAfterWinsInSecondsOrAsADate() {
        assertThat(policy.backoff(1, Optional.of("7"))).isEqualTo(Duration.ofSeconds(7));
        String inTenSeconds =
                DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now().plusSeconds(10));
        assertThat(policy.backoff(1, Optional.of(inTenSeconds)))
                .isBetween(Duration.ofSeconds(8), Duration.ofSeconds(10));
        assertThat(policy.backoff(2, Optional.of("soon")))
                .as("unreadable: the backoff")
                .isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void onlyTransientStatusesAreRetried() {
        assertThat(RetryPolicy.retryable(429)).isTrue();
        assertThat(RetryPolicy.retryable(408)).isTrue();
        assertThat(RetryPolicy.retryable(503)).isTrue();
        assertThat(RetryPolicy.retryable(400)).isFalse();
        assertThat(RetryPolicy.retryable(401)).isFalse();
    }
}
