package dev.darkfactory.operator.contract;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The placeholders of checks and scenarios, {@code {{...}}} in paths, header values, bodies and
 * expected values: a generator ({@code {{uuid}}}, {@code {{int 1 1000}}}, {@code {{word}}}, {@code
 * {{email}}}), fresh at every use, or a variable of the scenario ({@code {{title}}}), generated
 * once per trial or captured from an earlier response. One grammar for the operator, which
 * validates specs, and the tester, which expands them.
 */
public final class Placeholders {

    private static final Pattern TOKEN = Pattern.compile("\\{\\{([^{}]*)}}");
    private static final Pattern VARIABLE = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]{0,62}");

    /** Wide enough for any test data, narrow enough that max - min + 1 never overflows. */
    private static final long INT_BOUND = 1_000_000_000_000L;

    private Placeholders() {}

    /** What makes a generated value. */
    public enum Kind {
        UUID(0),
        INT(2),
        WORD(0),
        EMAIL(0);

        private final int arguments;

        Kind(int arguments) {
            this.arguments = arguments;
        }

        public String keyword() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Kind of(String keyword) {
            return Arrays.stream(values())
                    .filter(kind -> kind.keyword().equals(keyword))
                    .findFirst()
                    .orElse(null);
        }
    }

    public sealed interface Placeholder permits Generated, Variable {}

    /**
     * A generated value; {@code min} and {@code max} bound {@link Kind#INT} and are 0 otherwise.
     */
    public record Generated(Kind kind, long min, long max) implements Placeholder {}

    public record Variable(String name) implements Placeholder {}

    public static boolean isGeneratorName(String name) {
        return Kind.of(name) != null;
    }

    public static boolean isVariableName(String name) {
        return VARIABLE.matcher(name).matches() && !isGeneratorName(name);
    }

    public static String generatorNames() {
        return Arrays.stream(Kind.values()).map(Kind::keyword).collect(Collectors.joining(", "));
    }

    /**
     * The placeholders of {@code text} in order; throws IllegalArgumentException naming the first
     * bad one.
     */
    public static List<Placeholder> in(String text) {
        List<Placeholder> found = new ArrayList<>();
        if (text == null) {
            return found;
        }
        Matcher matcher = TOKEN.matcher(text);
        while (matcher.find()) {
            found.add(parse(matcher.group(1), "{{" + matcher.group(1) + "}}"));
        }
        return found;
    }

    /** A generator expression as {@code vars} holds it, without braces, such as {@code int 1 6}. */
    public static Generated generator(String expression) {
        Placeholder placeholder =
                parse(expression == null ? "" : expression, "\"" + expression + "\"");
        if (placeholder instanceof Generated generated) {
            return generated;
        }
        throw new IllegalArgumentException(
                "\"" + expression + "\" is not a generator; use one of " + generatorNames());
    }

    /**
     * {@code text} with every placeholder replaced by {@code value}'s answer for it, called once
     * per occurrence.
     */
    public static String expand(String text, Function<Placeholder, String> value) {
        if (text == null) {
            return null;
        }
        Matcher matcher = TOKEN.matcher(text);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String replacement = value.apply(parse(matcher.group(1), matcher.group()));
            matcher.appendReplacement(result, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(result);
        return result.toString();
    }

    private static Placeholder parse(String content, String shown) {
        String[] words = content.strip().split("\\s+");
        if (words.length == 0 || words[0].isEmpty()) {
            throw new IllegalArgumentException("empty placeholder " + shown);
        }
        Kind kind = Kind.of(words[0]);
        if (kind == null) {
            if (words.length > 1 || !VARIABLE.matcher(words[0]).matches()) {
                throw new IllegalArgumentException(
                        shown
                                + " is neither a variable name nor a generator ("
                                + generatorNames()
                                + ")");
            }
            return new Variable(words[0]);
        }
        if (words.length - 1 != kind.arguments) {
            throw new IllegalArgumentException(
                    shown
                            + ": "
                            + kind.keyword()
                            + " takes "
                            + (kind.arguments == 0
                                    ? "no arguments"
                                    : "two whole numbers, the least and the greatest value"));
        }
        if (kind != Kind.INT) {
            return new Generated(kind, 0, 0);
        }
        long min = bound(words[1], shown);
        long max = bound(words[2], shown);
        if (min > max) {
            throw new IllegalArgumentException(
                    shown + ": the least value " + min + " is greater than the greatest " + max);
        }
        return new Generated(kind, min, max);
    }

    private static long bound(String word, String shown) {
        try {
            long value = Long.parseLong(word);
            if (Math.abs(value) <= INT_BOUND) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(
                shown
                        + ": '"
                        + word
                        + "' is not a whole number between -"
                        + INT_BOUND
                        + " and "
                        + INT_BOUND);
    }
}
