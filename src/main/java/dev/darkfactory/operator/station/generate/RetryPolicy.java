package dev.darkfactory.operator.station.generate;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * When to try a chat-completions call again: on 408, 429 and 5xx answers and on broken connections,
 * after an exponential backoff, or after the server's {@code Retry-After} when it names one.
 */
record RetryPolicy(int maxAttempts, Duration firstBackoff, Duration longestBackoff) {

    static boolean retryable(int status) {
        return status == 408 || status == 429 || status >= 500;
    }

    /** Whether the endpoint refused the API key: the Secret's fault, not the generated code's. */
    static boolean credentialsRefused(int status) {
        return status == 401 || status == 403;
    }

    /** The wait before attempt {@code attempt + 1}, {@code attempt} counting from 1. */
    Duration backoff(int attempt, Optional<String> retryAfter) {
        return retryAfter
                .flatMap(RetryPolicy::parseRetryAfter)
                .orElseGet(
                        () -> {
                            Duration exponential =
                                    firstBackoff.multipliedBy(1L << Math.min(attempt - 1, 20));
                            return exponential.compareTo(longestBackoff) > 0
                                    ? longestBackoff
                                    : exponential;
                        });
    }

    /** Retry-After is either seconds or an HTTP date (RFC 9110, section 10.2.3). */
    static Optional<Duration> parseRetryAfter(String value) {
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value.strip()))));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration wait =
                        Duration.between(
                                ZonedDateTime.now(),
                                ZonedDateTime.parse(
                                        value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME));
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }
}
