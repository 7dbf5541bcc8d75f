package dev.darkfactory.operator.argocd;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ready-made argocd-cm patch carries exactly the health scripts that ArgoCdHealthTest runs. */
class ArgoCdConfigMapTest {

    private static final Path DIR = Path.of("docs", "argocd");

    @Test
    void theArgoCdConfigMapCarriesTheTestedScripts() throws IOException {
        ConfigMap argocdCm =
                Serialization.unmarshal(
                        Files.readString(DIR.resolve("argocd-cm.yaml")), ConfigMap.class);

        assertThat(argocdCm.getMetadata().getName()).isEqualTo("argocd-cm");
        assertThat(argocdCm.getData())
                .isEqualTo(
                        Map.of(
                                "resource.customizations.health.darkfactory.dev_SoftwareIntent",
                                        ArgoCdHealthTest.INTENT_HEALTH.source(),
                                "resource.customizations.health.darkfactory.dev_FactoryRun",
                                        ArgoCdHealthTest.RUN_HEALTH.source()));
    }
}
