package dev.darkfactory.operator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.darkfactory.operator.api.v1alpha1.AttemptStatus;
import dev.darkfactory.operator.api.v1alpha1.FactoryRunStatus;
import dev.darkfactory.operator.api.v1alpha1.ModelUsage;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The operator's usage metrics count what a status write adds to the stored status, by namespace,
 * class, direction and currency: each token once, however often the same status is seen again, and
 * nothing again after a restart that starts from the stored status.
 */
class UsageMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final FactoryMetrics metrics = new FactoryMetrics(registry);

    @Test
    void eachAttemptsUsageIsCountedOnceAsItGrows() {
        FactoryRunStatus first = status(attempt(1, 100, 10, "0.001000", "USD"));
        FactoryRunStatus grown =
                status(
                        attempt(1, 300, 50, "0.004000", "USD"),
                        attempt(2, 20, 5, "0.000500", "USD"));

        metrics.usageRecorded("team-a", "builtin", null, first);
        metrics.usageRecorded("team-a", "builtin", first, grown);
        // Seen again (a reconcile that writes nothing new, or a restart reading the stored status).
        metrics.usageRecorded("team-a", "builtin", grown, grown);

        assertThat(tokens("team-a", "builtin", "input")).isEqualTo(320.0);
        assertThat(tokens("team-a", "builtin", "output")).isEqualTo(55.0);
        assertThat(cost("team-a", "builtin", "USD")).isCloseTo(0.0045, within());
    }

    @Test
    void namespacesClassesAndCurrenciesAreSeparateSeries() {
        metrics.usageRecorded("team-a", "builtin", null, status(attempt(1, 10, 1, "1.00", "USD")));
        metrics.usageRecorded("team-b", "claude", null, status(attempt(1, 7, 2, "2.00", "EUR")));

        assertThat(tokens("team-a", "builtin", "input")).isEqualTo(10.0);
        assertThat(tokens("team-b", "claude", "output")).isEqualTo(2.0);
        assertThat(cost("team-b", "claude", "EUR")).isCloseTo(2.0, within());
        assertThat(
                        Search.in(registry)
                                .name("darkfactory.model.cost")
                                .tag("currency", "EUR")
                                .counters())
                .hasSize(1);
    }

    @Test
    void aRunWithoutTheGatewaysUsageAddsNoSeries() {
        AttemptStatus reported = new AttemptStatus();
        reported.number = 1;
        reported.tokens = 99L;

        metrics.usageRecorded("team-a", "script", null, status(reported));

        assertThat(Search.in(registry).name("darkfactory.model.tokens").counters()).isEmpty();
    }

    @Test
    void pastTheLimitOfLabelPairsFurtherOnesAreOther() {
        UsageLabels labels = new UsageLabels(2);

        labels.of("a", "x");
        labels.of("b", "x");

        assertThat(labels.of("a", "x").stream()).extracting(t -> t.getValue()).contains("a");
        assertThat(labels.of("c", "x").stream())
                .extracting(t -> t.getValue())
                .containsOnly(UsageLabels.OTHER);
    }

    @Test
    void prometheusNamesTheSeriesAsDocumented() {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new FactoryMetrics(prometheus)
                .usageRecorded(
                        "team-a", "builtin", null, status(attempt(1, 40, 80, "0.000200", "USD")));

        String scraped = prometheus.scrape();
        // The simpleclient format ends the labels with a comma, the newer one does not.
        assertThat(scraped)
                .containsPattern(
                        "darkfactory_model_tokens_total\\{class=\"builtin\",direction=\"input\","
                                + "namespace=\"team-a\",?\\} 40.0")
                .containsPattern(
                        "darkfactory_model_tokens_total\\{class=\"builtin\",direction=\"output\","
                                + "namespace=\"team-a\",?\\} 80.0")
                .containsPattern(
                        "darkfactory_model_cost_total\\{class=\"builtin\",currency=\"USD\","
                                + "namespace=\"team-a\",?\\} 2.0E-4");
    }

    private double tokens(String namespace, String generatorClass, String direction) {
        return Search.in(registry)
                .name("darkfactory.model.tokens")
                .tag("namespace", namespace)
                .tag("class", generatorClass)
                .tag("direction", direction)
                .counter()
                .count();
    }

    private double cost(String namespace, String generatorClass, String currency) {
        return Search.in(registry)
                .name("darkfactory.model.cost")
                .tag("namespace", namespace)
                .tag("class", generatorClass)
                .tag("currency", currency)
                .counter()
                .count();
    }

    private static org.assertj.core.data.Offset<Double> within() {
        return org.assertj.core.data.Offset.offset(1e-9);
    }

    private static FactoryRunStatus status(AttemptStatus... attempts) {
        FactoryRunStatus status = new FactoryRunStatus();
        status.attempts = List.of(attempts);
        return status;
    }

    private static AttemptStatus attempt(
            int number, long input, long output, String cost, String currency) {
        AttemptStatus attempt = new AttemptStatus();
        attempt.number = number;
        attempt.usage = new ModelUsage(input, output, 1L, cost, currency);
        attempt.tokens = input + output;
        return attempt;
    }
}
