package dev.darkfactory.operator.contract;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Replaces Secret values in text that leaves a pod. The operator gives the tester container the
 * values of the app's {@code serve.env} Secret references once more, under names starting with
 * {@link #ENV_PREFIX}, for this alone (docs/gate.md, "Secret values"). Each value is replaced as
 * written, JSON-escaped and percent-encoded, the forms in which an app's answer or a request the
 * tester built may carry it; a value encoded any other way is not recognised, which is why the
 * app's own output is not forwarded at all unless the intent asks for it.
 */
public final class Redactor {

    public static final String ENV_PREFIX = "DF_REDACT_";
    public static final String MARK = "[redacted]";
    public static final Redactor NONE = new Redactor(List.of());

    /** Longest first, so that a value containing another is replaced whole. */
    private final List<String> forms;

    private Redactor(List<String> forms) {
        this.forms = forms;
    }

    public static Redactor of(Collection<String> secrets) {
        Set<String> forms = new LinkedHashSet<>();
        for (String secret : secrets) {
            if (secret == null || secret.isEmpty()) {
                continue;
            }
            forms.add(secret);
            forms.add(new String(JsonStringEncoder.getInstance().quoteAsString(secret)));
            forms.add(URLEncoder.encode(secret, StandardCharsets.UTF_8));
            forms.add(URLEncoder.encode(secret, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return new Redactor(
                forms.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList());
    }

    /** The values of every variable whose name starts with {@link #ENV_PREFIX}. */
    public static Redactor fromEnvironment(Map<String, String> variables) {
        return of(
                variables.entrySet().stream()
                        .filter(e -> e.getKey().startsWith(ENV_PREFIX))
                        .map(Map.Entry::getValue)
                        .toList());
    }

    /** The text with every known Secret value replaced by {@link #MARK}; null stays null. */
    public String redact(String text) {
        if (text == null || forms.isEmpty()) {
            return text;
        }
        String result = text;
        for (String form : forms) {
            result = result.replace(form, MARK);
        }
        return result;
    }
}
