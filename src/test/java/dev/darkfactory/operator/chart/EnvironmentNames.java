package dev.darkfactory.operator.chart;

/** How Quarkus (SmallRye Config) names a configuration property as an environment variable. */
final class EnvironmentNames {

    private EnvironmentNames() {}

    /**
     * Upper case, every character other than a letter or digit an underscore:
     * darkfactory.run-history-limit is DARKFACTORY_RUN_HISTORY_LIMIT.
     */
    static String of(String property) {
        return property.toUpperCase().replaceAll("[^A-Z0-9]", "_");
    }
}
