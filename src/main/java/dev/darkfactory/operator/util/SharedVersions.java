package dev.darkfactory.operator.util;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One instance of each version of an object for all the informers that keep it. Two controllers
 * watch the same objects: the intent controller's own cache and the run controller's cache of
 * intents hold every intent, the run controller's own cache and the intent controller's cache of
 * runs every run. Each informer reads its own copy from its own watch; a version (UID and
 * resourceVersion) never changes, so the second to receive one keeps the first's instance and the
 * copy is garbage at once. Informer caches are read, never changed: JOSDK hands a reconciler a copy
 * of its primary resource.
 *
 * <p>Entries are weak: a version no informer keeps any more is collected, and its entry goes with
 * it.
 */
final class SharedVersions {

    private final Map<String, Version> versions = new ConcurrentHashMap<>();
    private final ReferenceQueue<HasMetadata> collected = new ReferenceQueue<>();

    /** The instance of this object's version that informers keep already, else this one. */
    @SuppressWarnings("unchecked")
    <R extends HasMetadata> R shared(R object) {
        forgetCollected();
        String uid = object.getMetadata().getUid();
        String resourceVersion = object.getMetadata().getResourceVersion();
        if (uid == null || resourceVersion == null) {
            return object;
        }
        String key = object.getClass().getName() + '/' + uid + '/' + resourceVersion;
        Version kept =
                versions.compute(
                        key,
                        (k, existing) ->
                                existing != null && existing.get() != null
                                        ? existing
                                        : new Version(k, object, collected));
        HasMetadata instance = kept.get();
        return instance == null ? object : (R) instance;
    }

    /** How many versions are kept: for tests. */
    int size() {
        forgetCollected();
        return versions.size();
    }

    private void forgetCollected() {
        for (Version gone = (Version) collected.poll();
                gone != null;
                gone = (Version) collected.poll()) {
            versions.remove(gone.key, gone);
        }
    }

    private static final class Version extends WeakReference<HasMetadata> {
        private final String key;

        Version(String key, HasMetadata object, ReferenceQueue<HasMetadata> queue) {
            super(object, queue);
            this.key = key;
        }
    }
}
