package dev.darkfactory.operator.station.test;

import dev.darkfactory.operator.contract.Placeholders;
import dev.darkfactory.operator.contract.Placeholders.Generated;
import dev.darkfactory.operator.contract.Placeholders.Variable;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The variables of one run of one scenario: its {@code vars}, generated when the run starts, and
 * the values its steps captured so far. A generator placeholder gets a fresh value at every use.
 */
final class ScenarioValues {

    private final ValueGenerator generator;
    private final Map<String, String> values = new HashMap<>();

    ScenarioValues(Map<String, String> vars, ValueGenerator generator) {
        this.generator = generator;
        vars.forEach(
                (name, expression) ->
                        values.put(name, generator.next(Placeholders.generator(expression))));
    }

    void capture(String name, String value) {
        values.put(name, value);
    }

    /**
     * The text with its placeholders replaced; IllegalArgumentException for a variable without a
     * value.
     */
    String expand(String text) {
        return Placeholders.expand(text, placeholder -> value(placeholder));
    }

    /**
     * As {@link #expand}, with each value percent-encoded, so that a captured value cannot change
     * the path's shape.
     */
    String expandPath(String path) {
        return Placeholders.expand(
                path,
                placeholder ->
                        URLEncoder.encode(value(placeholder), StandardCharsets.UTF_8)
                                .replace("+", "%20"));
    }

    private String value(Placeholders.Placeholder placeholder) {
        if (placeholder instanceof Generated generated) {
            return generator.next(generated);
        }
        String name = ((Variable) placeholder).name();
        String value = values.get(name);
        if (value == null) {
            throw new IllegalArgumentException(
                    "{{"
                            + name
                            + "}} has no value: it is neither in vars nor captured by an earlier step");
        }
        return value;
    }
}
