package dev.darkfactory.operator.testing;

import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntent;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Plays the controller-manager's garbage collector, which kube-api-test does not run: deletes, in
 * one namespace, every object whose owner no longer exists, until nothing changes. What the
 * operator owns goes only if its owner references are right.
 */
public final class FakeGarbageCollector {

    private FakeGarbageCollector() {}

    public static void collect(KubernetesClient client, String namespace) {
        boolean deleted = true;
        while (deleted) {
            Set<String> alive = new HashSet<>();
            List<HasMetadata> owned = new java.util.ArrayList<>();
            for (List<? extends HasMetadata> items :
                    List.of(
                            client.resources(SoftwareIntent.class)
                                    .inNamespace(namespace)
                                    .list()
                                    .getItems(),
                            client.resources(FactoryRun.class)
                                    .inNamespace(namespace)
                                    .list()
                                    .getItems(),
                            client.pods().inNamespace(namespace).list().getItems(),
                            client.configMaps().inNamespace(namespace).list().getItems(),
                            client.secrets().inNamespace(namespace).list().getItems(),
                            client.apps().deployments().inNamespace(namespace).list().getItems(),
                            client.services().inNamespace(namespace).list().getItems())) {
                for (HasMetadata item : items) {
                    alive.add(item.getMetadata().getUid());
                    if (!item.getMetadata().getOwnerReferences().isEmpty()) {
                        owned.add(item);
                    }
                }
            }
            deleted = false;
            for (HasMetadata item : owned) {
                boolean orphan =
                        item.getMetadata().getOwnerReferences().stream()
                                .noneMatch(o -> alive.contains(o.getUid()));
                if (orphan) {
                    client.resource(item).withGracePeriod(0).delete();
                    deleted = true;
                }
            }
        }
    }
}
