package dev.darkfactory.operator.util;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;
import java.util.Set;

/**
 * An informer's store that keeps its objects without {@code metadata.managedFields}: server-side
 * apply's record of who set which field, 40 % of the JSON of an intent's objects (make bench),
 * which no reconciler reads. For the secondary informers only: the serving dependents (Deployments,
 * Services, NetworkPolicies) keep them, as JOSDK decides whether they drifted by comparing through
 * them, and the controllers' own caches are configured by annotation, where no store can depend on
 * the namespaces watched (below).
 */
public final class PrunedItemStore<R extends HasMetadata> extends TransformingItemStore<R> {

    public PrunedItemStore() {
        super(PrunedItemStore::withoutManagedFields);
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

    static <R extends HasMetadata> R withoutManagedFields(R resource) {
        resource.getMetadata().setManagedFields(null);
        return resource;
    }
}
