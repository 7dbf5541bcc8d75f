package dev.darkfactory.operator.gateway;

import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Removes the usage ConfigMaps of runs that are gone. They live in the gateway's namespace, so they
 * cannot be owned by their run (owner references do not cross namespaces) and the garbage collector
 * does not remove them; a finalizer on every run would block deleting runs and namespaces while the
 * operator is down. Instead, a sweep (every few minutes, and at the operator's start) deletes each
 * record whose run no longer exists, or exists under another UID (deleted and made again). A run it
 * cannot read (forbidden: a namespace the operator does not watch) keeps its record.
 */
public final class UsageRecordSweep {

    private static final Logger LOG = Logger.getLogger(UsageRecordSweep.class);

    private final KubernetesClient client;
    private final String namespace;

    public UsageRecordSweep(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /** Whether the record of {@code ref} is an orphan, given the run of that name now, if any. */
    static boolean orphaned(RunRef ref, FactoryRun current) {
        return current == null || !ref.uid().equals(current.getMetadata().getUid());
    }

    /** One pass; returns the names of the ConfigMaps it deleted. */
    public List<String> sweep() {
        List<ConfigMap> records =
                client.configMaps()
                        .inNamespace(namespace)
                        .withLabel(UsageRecords.RUN_UID_LABEL)
                        .list()
                        .getItems();
        return records.stream()
                .filter(map -> map.getMetadata().getName().startsWith(UsageRecords.PREFIX))
                .filter(this::orphan)
                .map(this::delete)
                .flatMap(Optional::stream)
                .toList();
    }

    private boolean orphan(ConfigMap map) {
        Optional<RunRef> ref = UsageRecords.runOf(map);
        if (ref.isEmpty()) {
            return false;
        }
        try {
            FactoryRun run =
                    client.resources(FactoryRun.class)
                            .inNamespace(ref.get().namespace())
                            .withName(ref.get().name())
                            .get();
            return orphaned(ref.get(), run);
        } catch (KubernetesClientException e) {
            // Forbidden or unreachable: not known to be gone, so kept.
            return false;
        }
    }

    private Optional<String> delete(ConfigMap map) {
        String name = map.getMetadata().getName();
        try {
            client.configMaps().inNamespace(namespace).withName(name).delete();
            LOG.infof(
                    "Deleted usage records %s/%s: their run %s is gone",
                    namespace, name, UsageRecords.runOf(map).orElseThrow());
            return Optional.of(name);
        } catch (KubernetesClientException e) {
            LOG.warnf("Could not delete usage records %s/%s: %s", namespace, name, e.getMessage());
            return Optional.empty();
        }
    }
}
