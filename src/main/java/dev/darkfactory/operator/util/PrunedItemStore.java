package dev.darkfactory.operator.util;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;

/**
 * An informer's store that keeps its objects without {@code metadata.managedFields}: server-side
 * apply's record of who set which field, 40 % of the JSON of an intent's objects (make bench),
 * which no reconciler reads. For the secondary informers only. The serving dependents (Deployments,
 * Services, NetworkPolicies) keep them: JOSDK decides whether they drifted by comparing through
 * their managed fields. The controllers' own caches of intents and runs keep them too: with the run
 * cache pruned, FairAdmissionTest stalled with one slot of two taken, twice in two runs, for a
 * cause not found; so only what is known to be safe is pruned.
 */
public final class PrunedItemStore<R extends HasMetadata> extends TransformingItemStore<R> {

    public PrunedItemStore() {
        super(PrunedItemStore::withoutManagedFields);
    }

    static <R extends HasMetadata> R withoutManagedFields(R resource) {
        resource.getMetadata().setManagedFields(null);
        return resource;
    }
}
