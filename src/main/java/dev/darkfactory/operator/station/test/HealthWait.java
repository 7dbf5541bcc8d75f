package dev.darkfactory.operator.station.test;

import dev.darkfactory.operator.station.Errors;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Polls the app's health path until it answers 2xx or the wait is over. */
final class HealthWait {

    private static final Duration POLL_INTERVAL = Duration.ofMillis(250);
    private static final Duration LONGEST_PROBE = Duration.ofSeconds(2);

    private final HttpClient client;

    HealthWait(HttpClient client) {
        this.client = client;
    }

    /** Empty when the app became healthy; otherwise why not, from the last probe. */
    Optional<String> await(URI health, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        String lastProblem = "no answer";
        for (Duration left = timeout;
                left.compareTo(Duration.ZERO) > 0;
                left = Duration.between(Instant.now(), deadline)) {
            try {
                HttpResponse<Void> response =
                        client.send(
                                HttpRequest.newBuilder(health)
                                        .timeout(
                                                left.compareTo(LONGEST_PROBE) < 0
                                                        ? left
                                                        : LONGEST_PROBE)
                                        .GET()
                                        .build(),
                                HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() / 100 == 2) {
                    return Optional.empty();
                }
                lastProblem = "status " + response.statusCode();
            } catch (IOException e) {
                lastProblem = Errors.describe(e);
            }
            Thread.sleep(POLL_INTERVAL.toMillis());
        }
        return Optional.of(
                health.getPath()
                        + " did not answer 2xx within "
                        + timeout.toMillis()
                        + "ms (last: "
                        + lastProblem
                        + ")");
    }
}
