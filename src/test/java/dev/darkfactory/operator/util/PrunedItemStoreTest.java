package dev.darkfactory.operator.util;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
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
    void aRunsPodIsKeptWithItsContainersInOutline() {
        Pod pod =
                new PodBuilder()
                        .withNewMetadata()
                        .withNamespace("team-a")
                        .withName("todo-g1-4f1c9a-a1-gen")
                        .endMetadata()
                        .withNewSpec()
                        .withNodeName("node-1")
                        .addNewVolume()
                        .withName("input")
                        .withNewConfigMap()
                        .withName("todo-g1-4f1c9a-a1-input")
                        .endConfigMap()
                        .endVolume()
                        .addNewInitContainer()
                        .withName("prepare")
                        .withImage("station:1")
                        .addNewEnv()
                        .withName("RUN")
                        .withValue("todo-g1-4f1c9a")
                        .endEnv()
                        .endInitContainer()
                        .addNewContainer()
                        .withName("report")
                        .withImage("station:1")
                        .withTerminationMessagePolicy("FallbackToLogsOnError")
                        .withArgs("report")
                        .addNewVolumeMount()
                        .withName("input")
                        .withMountPath("/input")
                        .endVolumeMount()
                        .withNewResources()
                        .addToLimits("memory", new Quantity("256Mi"))
                        .endResources()
                        .endContainer()
                        .endSpec()
                        .withNewStatus()
                        .withPhase("Pending")
                        .endStatus()
                        .build();
        ItemStore<Pod> store = PrunedItemStore.forRunPods(Set.of("team-a"));

        store.put(store.getKey(pod), pod);

        Pod kept = store.get("team-a/todo-g1-4f1c9a-a1-gen");
        assertThat(kept.getSpec().getInitContainers())
                .containsExactly(
                        new ContainerBuilder().withName("prepare").withImage("station:1").build());
        assertThat(kept.getSpec().getContainers())
                .containsExactly(
                        new ContainerBuilder()
                                .withName("report")
                                .withImage("station:1")
                                .withTerminationMessagePolicy("FallbackToLogsOnError")
                                .build());
        assertThat(kept.getSpec().getNodeName()).isEqualTo("node-1");
        assertThat(kept.getSpec().getVolumes()).hasSize(1);
        assertThat(kept.getStatus().getPhase()).isEqualTo("Pending");
        assertThat(PrunedItemStore.forRunPods(Set.of("team-a", "team-b"))).isNull();
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
