package dev.darkfactory.operator.chart;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/** The objects {@code helm template} rendered, in order, with typed look-ups for assertions. */
record RenderedChart(List<GenericKubernetesResource> objects) {

    static RenderedChart parse(String manifests) {
        return new RenderedChart(
                Arrays.stream(manifests.split("(?m)^---\\s*$"))
                        .map(doc -> Serialization.unmarshal(doc, GenericKubernetesResource.class))
                        .filter(Objects::nonNull)
                        .toList());
    }

    List<GenericKubernetesResource> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(o.getKind())).toList();
    }

    /** All objects of a kind, converted to their fabric8 type. */
    <T extends HasMetadata> List<T> all(Class<T> type) {
        return ofKind(type.getSimpleName()).stream().map(o -> convert(o, type)).toList();
    }

    /** The single object of a kind; fails when there is none or more than one. */
    <T extends HasMetadata> T one(Class<T> type) {
        List<T> found = all(type);
        if (found.size() != 1) {
            throw new AssertionError(
                    "expected one " + type.getSimpleName() + ", rendered " + found.size());
        }
        return found.get(0);
    }

    /** The operator container's environment variables that have plain values, by name. */
    Map<String, String> operatorEnvironment() {
        return one(Deployment.class)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getEnv()
                .stream()
                .filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }

    private static <T> T convert(GenericKubernetesResource object, Class<T> type) {
        return Serialization.unmarshal(Serialization.asJson(object), type);
    }
}
