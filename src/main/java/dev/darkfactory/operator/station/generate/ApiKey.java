package dev.darkfactory.operator.station.generate;

import java.net.http.HttpRequest;
import java.util.Optional;

/**
 * The model endpoint's API key. It goes into the Authorization header and nowhere else: text that
 * could reach a log or the termination message passes through {@link #redact} first, in case an
 * endpoint echoes the key back in an error.
 */
final class ApiKey {

    private static final String REDACTED = "[redacted]";

    private final Optional<String> value;

    ApiKey(Optional<String> value) {
        this.value = value;
    }

    void authorize(HttpRequest.Builder request) {
        value.ifPresent(key -> request.header("Authorization", "Bearer " + key));
    }

    String redact(String text) {
        return value.map(key -> text.replace(key, REDACTED)).orElse(text);
    }

    @Override
    public String toString() {
        return REDACTED;
    }
}
