package dev.darkfactory.operator.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The PromQL of the chart's Grafana dashboards (helm/darkfactory/dashboards/*.json): every panel
 * query and template-variable query, and the metric names they select.
 */
public final class DashboardQueries {

    public static final Path DIR = Path.of("helm", "darkfactory", "dashboards");

    /**
     * A metric selector: a name right before its label matchers, or the first argument of
     * label_values().
     */
    private static final Pattern SELECTOR =
            Pattern.compile(
                    "([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*\\{|label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)");

    /** The exposition format: a sample line starts with the metric name. */
    private static final Pattern SAMPLE = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]");

    private DashboardQueries() {}

    /** Every dashboard file, parsed. */
    public static List<JsonNode> dashboards() {
        try (var files = Files.list(DIR)) {
            List<JsonNode> dashboards = new ArrayList<>();
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                dashboards.add(Serialization.jsonMapper().readTree(Files.readString(file)));
            }
            return dashboards;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The expressions of every panel target and every query variable. */
    public static List<String> queries(JsonNode dashboard) {
        List<String> queries = new ArrayList<>();
        dashboard
                .path("panels")
                .forEach(
                        panel ->
                                panel.path("targets")
                                        .forEach(t -> queries.add(t.path("expr").asText())));
        dashboard
                .path("templating")
                .path("list")
                .forEach(
                        variable -> {
                            if ("query".equals(variable.path("type").asText())) {
                                JsonNode query = variable.path("query");
                                queries.add(
                                        query.isObject()
                                                ? query.path("query").asText()
                                                : query.asText());
                            }
                        });
        return queries;
    }

    /** The metric names one query selects. */
    public static Set<String> metricNames(String query) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = SELECTOR.matcher(query.replaceAll("\"[^\"]*\"", "\"\""));
        while (matcher.find()) {
            names.add(matcher.group(1) != null ? matcher.group(1) : matcher.group(2));
        }
        return names;
    }

    /** The metric names all dashboards select. */
    public static Set<String> allMetricNames() {
        return dashboards().stream()
                .flatMap(d -> queries(d).stream())
                .flatMap(q -> metricNames(q).stream())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The names of the samples a Prometheus scrape ({@code /q/metrics}) holds. */
    public static Set<String> exported(String scrape) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = SAMPLE.matcher(scrape);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }
}
