package dev.darkfactory.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.darkfactory.operator.testing.DashboardQueries;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard ships as a ConfigMap for Grafana's sidecar only when asked for, and each of
 * its queries is scoped by the namespace variable and names a metric. That each name is one the
 * operator exports is checked against a real scrape in boot/OperatorBootTest.
 */
class ChartDashboardsTest {

    private static final String RELEASE = "df";
    private static final String NAMESPACE = "darkfactory-system";

    @Test
    void noDashboardUnlessEnabled() {
        assertThat(HelmChart.template(RELEASE, NAMESPACE, Map.of()).all(ConfigMap.class))
                .noneMatch(c -> c.getMetadata().getName().contains("dashboard"));
    }

    @Test
    void theDashboardIsAConfigMapWithTheSidecarLabel() throws Exception {
        RenderedChart chart =
                HelmChart.template(
                        RELEASE,
                        NAMESPACE,
                        Map.of(
                                "dashboards",
                                Map.of(
                                        "enabled",
                                        true,
                                        "annotations",
                                        Map.of("grafana_folder", "Dark Factory"))));

        ConfigMap dashboard = chart.one(ConfigMap.class);
        assertThat(dashboard.getMetadata().getName())
                .isEqualTo("df-darkfactory-dashboard-darkfactory");
        assertThat(dashboard.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
        assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        assertThat(dashboard.getMetadata().getAnnotations())
                .containsEntry("grafana_folder", "Dark Factory");
        String file = Files.readString(DashboardQueries.DIR.resolve("darkfactory.json"));
        assertThat(Serialization.jsonMapper().readTree(dashboard.getData().get("darkfactory.json")))
                .isEqualTo(Serialization.jsonMapper().readTree(file));
    }

    @Test
    void everyQueryIsScopedByTheNamespaceVariableAndNamesAMetric() {
        JsonNode dashboard = DashboardQueries.dashboards().get(0);
        List<String> variables = dashboard.path("templating").path("list").findValuesAsText("name");
        assertThat(variables).contains("namespace", "datasource");

        assertThat(dashboard.path("panels"))
                .allSatisfy(
                        panel -> {
                            assertThat(panel.path("targets"))
                                    .as(panel.path("title").asText())
                                    .isNotEmpty();
                            panel.path("targets")
                                    .forEach(
                                            target -> {
                                                String query = target.path("expr").asText();
                                                assertThat(DashboardQueries.metricNames(query))
                                                        .as(query)
                                                        .isNotEmpty();
                                                assertThat(query)
                                                        .as(
                                                                "every selector is scoped by the namespace variable")
                                                        .doesNotContainPattern(
                                                                "[a-z_]\\{(?![^}]*namespace=\"\\$namespace\")");
                                            });
                        });
    }

    @Test
    void theDashboardShowsWhatTheIssueAsksFor() {
        assertThat(DashboardQueries.allMetricNames())
                .contains(
                        "darkfactory_runs_started_total",
                        "darkfactory_runs_finished_total",
                        "darkfactory_run_attempts_count",
                        "darkfactory_run_time_to_pass_seconds_count",
                        "darkfactory_runs_queued",
                        "darkfactory_tokens_total",
                        "darkfactory_reconcile_errors_total");
        assertThat(DashboardQueries.allMetricNames())
                .anyMatch(name -> name.startsWith("operator_sdk_") && name.contains("reconcile"));
    }

    @Test
    void metricNamesAreReadFromSelectorsAndLabelValues() {
        assertThat(
                        DashboardQueries.metricNames(
                                "sum by (outcome) (increase(a_total{namespace=\"x{y\"}[5m])) / b_count{}"))
                .containsExactly("a_total", "b_count");
        assertThat(DashboardQueries.metricNames("label_values(darkfactory_runs_queued, namespace)"))
                .containsExactly("darkfactory_runs_queued");
        assertThat(DashboardQueries.exported("# TYPE a counter\na_total{x=\"1\"} 1.0\nb 2\n"))
                .containsExactly("a_total", "b");
    }
}
