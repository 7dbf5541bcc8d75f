package dev.darkfactory.operator.util;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * An informer's store that keeps its objects without {@code metadata.managedFields}: server-side
 * apply's record of who set which field, 40 % of the JSON of an intent's objects (make bench),
 * which no reconciler reads, and kept once for all such stores ({@link SharedVersions}). For the
 * controllers' own caches ({@link #pruneCacheOf}) and their secondary informers; the serving
 * dependents (Deployments, Services, NetworkPolicies) keep them, as JOSDK decides whether they
 * drifted by comparing through them.
 */
public final class PrunedItemStore<R extends HasMetadata> extends TransformingItemStore<R> {

    /** For all pruning stores: the intents and runs two controllers cache (see SharedVersions). */
    private static final SharedVersions SHARED = new SharedVersions();

    public PrunedItemStore() {
        this(UnaryOperator.identity());
    }

    private PrunedItemStore(UnaryOperator<R> more) {
        super(resource -> SHARED.shared(more.apply(withoutManagedFields(resource))));
    }

    /**
     * A pruning store for an informer that follows the controller's {@code namespaces}, or null
     * (the informer's own store) when those are a list. JOSDK 5.1.5 gives one configured store to
     * each of the per-namespace informers of a list, and each then lists (and, on a relist,
     * deletes) the others' objects: seen as 400 runs of 200 when the store was shared. All
     * namespaces, or one, is one informer.
     */
    public static <R extends HasMetadata> ItemStore<R> forNamespaces(Set<String> namespaces) {
        return namespaces.size() == 1 ? new PrunedItemStore<>() : null;
    }

    /**
     * {@link #forNamespaces} for the pods of runs, whose containers are kept in outline too ({@link
     * #withContainersOutlined}): they are most of what the cache holds per intent.
     */
    public static ItemStore<Pod> forRunPods(Set<String> namespaces) {
        return namespaces.size() == 1
                ? new PrunedItemStore<>(PrunedItemStore::withContainersOutlined)
                : null;
    }

    /**
     * Prunes the controller's own cache too, where {@link #forNamespaces} allows. Quarkus Operator
     * SDK hands a {@code ConfigurableReconciler} the configuration before it registers the
     * controller, with the namespaces it watches already resolved from the operator's settings.
     */
    public static <R extends HasMetadata> void pruneCacheOf(
            ControllerConfigurationOverrider<R> controller) {
        controller.withItemStore(
                forNamespaces(controller.build().getInformerConfig().getNamespaces()));
    }

    /**
     * The pod with only what the run controller reads of its containers: their names, images and
     * termination message policies (InfraFailures, StageTimes, AppOutput). Their variables,
     * arguments, mounts, resources and security contexts, which the operator wrote, are not kept:
     * about a fifth of the heap per intent (make bench). The lists are read-only.
     */
    static Pod withContainersOutlined(Pod pod) {
        if (pod.getSpec() != null) {
            pod.getSpec().setInitContainers(outlines(pod.getSpec().getInitContainers()));
            pod.getSpec().setContainers(outlines(pod.getSpec().getContainers()));
        }
        return pod;
    }

    private static List<Container> outlines(List<Container> containers) {
        return containers == null
                ? null
                : containers.stream()
                        .map(
                                c ->
                                        new ContainerBuilder()
                                                .withName(c.getName())
                                                .withImage(c.getImage())
                                                .withTerminationMessagePolicy(
                                                        c.getTerminationMessagePolicy())
                                                .build())
                        .toList();
    }

    static <R extends HasMetadata> R withoutManagedFields(R resource) {
        resource.getMetadata().setManagedFields(null);
        return resource;
    }
}
