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

    /**
     * Writes a duration in whole seconds the way {@link #parse} reads it: {@code 0s}, {@code 45s},
     * {@code 1m12s}, {@code 2h3m}.
     */
    public static String format(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        long hours = seconds / 3600;
        long minutes = seconds % 3600 / 60;
        long rest = seconds % 60;
        StringBuilder text = new StringBuilder();
        if (hours > 0) {
            text.append(hours).append('h');
        }
        if (minutes > 0) {
            text.append(minutes).append('m');
        }
        if (rest > 0 || text.length() == 0) {
            text.append(rest).append('s');
        }
        return text.toString();
    }
}
