package dev.darkfactory.operator.station;

import dev.darkfactory.operator.util.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The environment variables that configure a station, read through typed getters that name the
 * variable when its value is wrong. Tests pass a map of their own instead of the process
 * environment, so stations run in-process against loopback servers.
 */
public final class StationEnvironment {

    private final Map<String, String> variables;

    public StationEnvironment(Map<String, String> variables) {
        this.variables = Map.copyOf(variables);
    }

    public static StationEnvironment ofProcess() {
        return new StationEnvironment(System.getenv());
    }

    /** The value, or empty when the variable is unset or blank. */
    public Optional<String> optional(String name) {
        return Optional.ofNullable(variables.get(name))
                .map(String::strip)
                .filter(value -> !value.isEmpty());
    }

    /**
     * Every variable, for a station that reads a family of names (the tester's redaction values).
     */
    public Map<String, String> all() {
        return variables;
    }

    public String get(String name, String defaultValue) {
        return optional(name).orElse(defaultValue);
    }

    public String required(String name) {
        return optional(name)
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        "environment variable " + name + " is not set"));
    }

    public Path path(String name, String defaultValue) {
        return Path.of(get(name, defaultValue));
    }

    public Duration duration(String name, String defaultValue) {
        String text = get(name, defaultValue);
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
    }

    public int integer(String name, int defaultValue) {
        Optional<String> text = optional(name);
        try {
            return text.map(Integer::parseInt).orElse(defaultValue);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    name + ": '" + text.get() + "' is not a whole number", e);
        }
    }

    public boolean flag(String name) {
        return optional(name).map(Boolean::parseBoolean).orElse(false);
    }

    /** A comma-separated list; empty when unset. */
    public List<String> list(String name) {
        return optional(name).stream()
                .flatMap(text -> Arrays.stream(text.split(",")))
                .map(String::strip)
                .filter(item -> !item.isEmpty())
                .toList();
    }
}
