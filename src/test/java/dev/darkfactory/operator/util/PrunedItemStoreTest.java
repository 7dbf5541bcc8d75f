package dev.darkfactory.operator.util;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.javaoperatorsdk.operator.api.config.BaseConfigurationService;
import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PrunedItemStoreTest {

    @Test
    void anObjectIsKeptWithoutItsManagedFieldsAndFoundByItsKey() {
        PrunedItemStore<Pod> store = new PrunedItemStore<>();
        Pod pod =
                new PodBuilder()
                        .withNewMetadata()
                        .withNamespace("team-a")
                        .withName("todo-g1-4f1c9a-a1-gen")
                        .withResourceVersion("42")
                        .addToLabels("darkfactory.dev/run", "todo-g1-4f1c9a")
                        .withManagedFields(
                                new ManagedFieldsEntryBuilder()
                                        .withManager("darkfactory-operator")
                                        .withOperation("Update")
                                        .build())
                        .endMetadata()
                        .withNewSpec()
                        .withServiceAccountName("none")
                        .endSpec()
                        .build();

        store.put(store.getKey(pod), pod);

        Pod kept = store.get("team-a/todo-g1-4f1c9a-a1-gen");
        assertThat(kept.getMetadata().getManagedFields()).isNullOrEmpty();
        assertThat(kept.getMetadata().getResourceVersion()).isEqualTo("42");
        assertThat(kept.getMetadata().getLabels())
                .containsEntry("darkfactory.dev/run", "todo-g1-4f1c9a");
        assertThat(kept.getSpec().getServiceAccountName()).isEqualTo("none");
    }

    @Test
    void onlyOneInformerPerConfigurationGetsAPrunedStore() {
        assertThat(PrunedItemStore.<Pod>forNamespaces(Set.of("JOSDK_ALL_NAMESPACES")))
                .isInstanceOf(PrunedItemStore.class);
        assertThat(PrunedItemStore.<Pod>forNamespaces(Set.of("team-a")))
                .isInstanceOf(PrunedItemStore.class);
        assertThat(PrunedItemStore.<Pod>forNamespaces(Set.of("team-a", "team-b"))).isNull();
    }

    @Test
    void aControllersOwnCacheIsPrunedWhenItWatchesAllNamespacesOrOne() {
        ControllerConfiguration<Pod> configuration =
                new BaseConfigurationService().getConfigurationFor(new PodReconciler());

        assertThat(ownStore(configuration, Set.of("JOSDK_ALL_NAMESPACES")))
                .isInstanceOf(PrunedItemStore.class);
        assertThat(ownStore(configuration, Set.of("team-a"))).isInstanceOf(PrunedItemStore.class);
        assertThat(ownStore(configuration, Set.of("team-a", "team-b"))).isNull();
    }

    private static ItemStore<Pod> ownStore(
            ControllerConfiguration<Pod> configuration, Set<String> namespaces) {
        var overrider =
                ControllerConfigurationOverrider.override(configuration)
                        .settingNamespaces(namespaces);
        PrunedItemStore.pruneCacheOf(overrider);
        return overrider.build().getInformerConfig().getItemStore();
    }

    @io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration(name = "pods")
    private static final class PodReconciler implements Reconciler<Pod> {
        @Override
        public UpdateControl<Pod> reconcile(Pod pod, Context<Pod> context) {
            return UpdateControl.noUpdate();
        }
    }
}
