package dev.darkfactory.operator.gateway;

import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The gateway's Prometheus metrics, in the text exposition format (no metrics library: the gateway
 * starts as plain Java). Label sets are bounded: namespace and class come from tokens the operator
 * minted, but at most {@link #MAX_SERIES_KEYS} distinct (namespace, class) pairs get their own
 * series; the rest are counted under namespace and class {@code "_other"}.
 */
public final class GatewayMetrics {

    static final int MAX_SERIES_KEYS = 500;
    static final String OTHER = "_other";

    /** Why the gateway itself answered instead of the provider. */
    public enum Refusal {
        token,
        budget,
        request,
        unavailable
    }

    private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
    private final Map<String, AtomicReference<BigDecimal>> sums = new ConcurrentHashMap<>();
    private final Map<String, Boolean> seenKeys = new ConcurrentHashMap<>();

    public void tokens(String namespace, String className, TokenCount tokens) {
        String key = boundedKey(namespace, className);
        add("darkfactory_gateway_tokens_total{" + key + ",direction=\"input\"}", tokens.input());
        add("darkfactory_gateway_tokens_total{" + key + ",direction=\"output\"}", tokens.output());
    }

    public void cost(String namespace, String className, String currency, BigDecimal cost) {
        String label = currency.matches("[A-Z]{3}") ? currency : OTHER;
        sums.computeIfAbsent(
                        "darkfactory_gateway_cost_total{"
                                + boundedKey(namespace, className)
                                + ",currency=\""
                                + label
                                + "\"}",
                        k -> new AtomicReference<>(BigDecimal.ZERO))
                .accumulateAndGet(cost, BigDecimal::add);
    }

    public void call(String namespace, String className, ModelApi api, int status) {
        add(
                "darkfactory_gateway_calls_total{"
                        + boundedKey(namespace, className)
                        + ",api=\""
                        + api.name().toLowerCase()
                        + "\",status=\""
                        + (status / 100)
                        + "xx\"}",
                1);
    }

    public void refused(Refusal reason) {
        add("darkfactory_gateway_refused_total{reason=\"" + reason + "\"}", 1);
    }

    /** The exposition text, sorted so that it is stable to read and to test. */
    public String scrape() {
        Map<String, String> lines = new TreeMap<>();
        counters.forEach((series, value) -> lines.put(series, Long.toString(value.get())));
        sums.forEach((series, value) -> lines.put(series, value.get().toPlainString()));
        StringBuilder out = new StringBuilder();
        help(
                out,
                "darkfactory_gateway_tokens_total",
                "Tokens metered from the providers' answers.");
        help(
                out,
                "darkfactory_gateway_cost_total",
                "Cost of the metered tokens, from the GeneratorClass pricing.");
        help(
                out,
                "darkfactory_gateway_calls_total",
                "Model calls forwarded, by the status of the answer.");
        help(
                out,
                "darkfactory_gateway_refused_total",
                "Calls the gateway answered itself, by reason.");
        lines.forEach((series, value) -> out.append(series).append(' ').append(value).append('\n'));
        return out.toString();
    }

    private static void help(StringBuilder out, String name, String text) {
        out.append("# HELP ").append(name).append(' ').append(text).append('\n');
        out.append("# TYPE ").append(name).append(" counter\n");
    }

    private void add(String series, long amount) {
        counters.computeIfAbsent(series, k -> new AtomicLong()).addAndGet(amount);
    }

    private String boundedKey(String namespace, String className) {
        String key = "namespace=\"" + escape(namespace) + "\",class=\"" + escape(className) + "\"";
        if (seenKeys.containsKey(key)) {
            return key;
        }
        synchronized (seenKeys) {
            if (seenKeys.size() < MAX_SERIES_KEYS) {
                seenKeys.put(key, Boolean.TRUE);
                return key;
            }
        }
        return "namespace=\"" + OTHER + "\",class=\"" + OTHER + "\"";
    }

    private static String escape(String value) {
        return value == null
                ? ""
                : value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
