package dev.darkfactory.operator.testing;

import dev.darkfactory.operator.config.FactoryConfig;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The operator's settings for tests, built by SmallRye Config from properties as the operator
 * builds them: what a test does not set comes from {@link FactoryConfig}'s own defaults, so there
 * is no second copy of them. Reads no environment variables and no application.properties.
 */
public final class FactoryConfigs {

    private FactoryConfigs() {}

    /** The operator's defaults. */
    public static FactoryConfig defaults() {
        return of(Map.of());
    }

    /**
     * The defaults but for these properties, given as name, value, name, value... with their full
     * names, as in application.properties: {@code with("darkfactory.max-concurrent-runs", "1")}.
     */
    public static FactoryConfig with(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("a value for every property name");
        }
        Map<String, String> properties = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            properties.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return of(properties);
    }

    public static FactoryConfig of(Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .withMapping(FactoryConfig.class)
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .build()
                .getConfigMapping(FactoryConfig.class);
    }
}
