package dev.darkfactory.operator.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.darkfactory.operator.intent.IntentReconciler;
import dev.darkfactory.operator.metrics.FactoryMetrics;
import dev.darkfactory.operator.testing.FactoryConfigs;
import dev.darkfactory.operator.util.ListPages;
import dev.darkfactory.operator.util.PrunedItemStore;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.BaseConfigurationService;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.quarkiverse.operatorsdk.runtime.api.ConfigurableReconciler;
import org.junit.jupiter.api.Test;

/** What the intent and run controllers ask of their own informers, as QOSDK registers them. */
class ControllerCachesTest {

    @Test
    void theRunControllersCacheIsPrunedAndListedInPages() {
        InformerConfiguration<?> informer =
                configured(new RunReconciler(FactoryConfigs.defaults(), FactoryMetrics.inMemory()));

        assertThat(informer.getItemStore()).isInstanceOf(PrunedItemStore.class);
        assertThat(informer.getInformerListLimit()).isEqualTo(ListPages.SIZE);
    }

    @Test
    void theIntentControllersCacheIsPrunedAndListedInPages() {
        InformerConfiguration<?> informer =
                configured(
                        new IntentReconciler(FactoryConfigs.defaults(), FactoryMetrics.inMemory()));

        assertThat(informer.getItemStore()).isInstanceOf(PrunedItemStore.class);
        assertThat(informer.getInformerListLimit()).isEqualTo(ListPages.SIZE);
    }

    /** The informer's configuration once the reconciler's hook has run, watching all namespaces. */
    private static <R extends HasMetadata> InformerConfiguration<R> configured(
            ConfigurableReconciler<R> reconciler) {
        var configuration =
                ControllerConfigurationOverrider.override(
                                new BaseConfigurationService().getConfigurationFor(reconciler))
                        .watchingAllNamespaces();
        reconciler.updateConfigurationFrom(configuration);
        return configuration.build().getInformerConfig();
    }
}
