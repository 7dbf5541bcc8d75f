package dev.darkfactory.operator.util;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the durations of the API ({@code 90s}, {@code 15m}, {@code 1h30m}, {@code 200ms}). */
public final class Durations {

    private static final Pattern WHOLE = Pattern.compile("^([0-9]+(ms|s|m|h))+$");
    private static final Pattern PART = Pattern.compile("([0-9]+)(ms|s|m|h)");

    private Durations() {}

    /** Parses a duration; throws IllegalArgumentException naming the text when it is not one. */
    public static Duration parse(String text) {
        if (text == null || !WHOLE.matcher(text).matches()) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a duration such as 90s, 15m or 1h30m");
        }
        Duration total = Duration.ZERO;
        Matcher part = PART.matcher(text);
        while (part.find()) {
            long amount = Long.parseLong(part.group(1));
            total =
                    total.plus(
                            switch (part.group(2)) {
                                case "ms" -> Duration.ofMillis(amount);
                                case "s" -> Duration.ofSeconds(amount);
                                case "m" -> Duration.ofMinutes(amount);
                                default -> Duration.ofHours(amount);
                            });
        }
        return total;
    }
}
