package dev.darkfactory.operator.metrics;

import io.micrometer.core.instrument.Tags;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The namespace and class labels of the usage metrics, bounded: both name objects of the cluster,
 * so there are few, but past {@code max} distinct pairs further ones are counted under {@code
 * _other} (as the gateway's metrics do), so that no number of namespaces can blow up the endpoint.
 */
final class UsageLabels {

    static final int MAX_PAIRS = 500;
    static final String OTHER = "_other";

    private final int max;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    UsageLabels(int max) {
        this.max = max;
    }

    Tags of(String namespace, String generatorClass) {
        String pair = namespace + "/" + generatorClass;
        if (seen.contains(pair) || seen.size() < max && seen.add(pair)) {
            return Tags.of("namespace", namespace, "class", generatorClass);
        }
        return Tags.of("namespace", OTHER, "class", OTHER);
    }
}
