package dev.darkfactory.operator.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.net.URL;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Requests the API server has answered, by resource, from its own Prometheus counter {@code
 * apiserver_request_total}: every verb that changes something, whatever its code, and reads of one
 * object by name.
 */
final class ApiServerRequests {

    private static final Pattern SAMPLE =
            Pattern.compile("^apiserver_request_total\\{([^}]*)\\} ([0-9.eE+-]+)$");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    private ApiServerRequests() {}

    private static final Set<String> WRITES =
            Set.of("POST", "PUT", "PATCH", "DELETE", "APPLY", "DELETECOLLECTION");

    /** Write counts by "resource[/subresource]". */
    static Map<String, Double> snapshot(KubernetesClient client) {
        return counts(client, WRITES::contains);
    }

    /**
     * Reads of one object by name (GET; not LIST or WATCH, which the benchmark makes too) by
     * "resource[/subresource]": the lookups a reconcile makes beside its caches.
     */
    static Map<String, Double> gets(KubernetesClient client) {
        return counts(client, "GET"::equals);
    }

    private static Map<String, Double> counts(KubernetesClient client, Predicate<String> verbs) {
        Map<String, Double> counts = new TreeMap<>();
        for (String line : metricsText(client).split("\n")) {
            Matcher sample = SAMPLE.matcher(line);
            if (!sample.matches()) {
                continue;
            }
            Map<String, String> labels = new TreeMap<>();
            Matcher label = LABEL.matcher(sample.group(1));
            while (label.find()) {
                labels.put(label.group(1), label.group(2));
            }
            if (!verbs.test(labels.getOrDefault("verb", ""))) {
                continue;
            }
            String sub = labels.getOrDefault("subresource", "");
            String key = labels.getOrDefault("resource", "?") + (sub.isEmpty() ? "" : "/" + sub);
            counts.merge(key, Double.parseDouble(sample.group(2)), Double::sum);
        }
        return counts;
    }

    static Map<String, Double> difference(Map<String, Double> after, Map<String, Double> before) {
        Map<String, Double> diff = new TreeMap<>();
        after.forEach(
                (key, value) -> {
                    double delta = value - before.getOrDefault(key, 0.0);
                    if (delta > 0) {
                        diff.put(key, delta);
                    }
                });
        return diff;
    }

    private static String metricsText(KubernetesClient client) {
        try {
            HttpClient http = client.getHttpClient();
            HttpResponse<String> response =
                    http.sendAsync(
                                    http.newHttpRequestBuilder()
                                            .uri(
                                                    new URL(client.getMasterUrl(), "/metrics")
                                                            .toString())
                                            .build(),
                                    String.class)
                            .get();
            return response.body();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the API server's /metrics", e);
        }
    }
}
