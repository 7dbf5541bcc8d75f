package dev.darkfactory.operator.e2e;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.KeyToPathBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.readiness.Readiness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs {@link CannedModel} in the cluster: busybox httpd with a CGI script, behind a Service. */
final class FakeModel {

    private FakeModel() {}

    /** Deploys the fake model into {@code namespace}; returns its chat-completions base URL. */
    static String deploy(KubernetesClient client, String namespace) {
        Map<String, String> data =
                new LinkedHashMap<>(
                        CannedModel.answers(
                                E2eEnvironment.APP_BASE_IMAGE, E2eEnvironment.PYTHON_BASE_IMAGE));
        data.put("openai", CannedModel.cgiScript());
        client.configMaps()
                .inNamespace(namespace)
                .resource(
                        new ConfigMapBuilder()
                                .withNewMetadata()
                                .withName("fake-model")
                                .endMetadata()
                                .withData(data)
                                .build())
                .serverSideApply();
        List<io.fabric8.kubernetes.api.model.KeyToPath> answers = new ArrayList<>();
        data.keySet().stream()
                .filter(k -> k.endsWith(".json"))
                .forEach(k -> answers.add(new KeyToPathBuilder().withKey(k).withPath(k).build()));
        client.pods()
                .inNamespace(namespace)
                .resource(
                        new PodBuilder()
                                .withNewMetadata()
                                .withName("fake-model")
                                .withLabels(Map.of("app", "fake-model"))
                                .endMetadata()
                                .withNewSpec()
                                .withAutomountServiceAccountToken(false)
                                .withNewSecurityContext()
                                .withRunAsNonRoot(true)
                                .withRunAsUser(65532L)
                                .endSecurityContext()
                                .addNewContainer()
                                .withName("model")
                                .withImage(E2eEnvironment.TOOLS_IMAGE)
                                .withImagePullPolicy("IfNotPresent")
                                .withCommand(
                                        "/bin/busybox", "httpd", "-f", "-p", "8080", "-h", "/www")
                                .addNewPort()
                                .withContainerPort(8080)
                                .withProtocol("TCP")
                                .endPort()
                                .addNewVolumeMount()
                                .withName("cgi")
                                .withMountPath("/www/cgi-bin")
                                .endVolumeMount()
                                .addNewVolumeMount()
                                .withName("answers")
                                .withMountPath("/answers")
                                .endVolumeMount()
                                .endContainer()
                                .addNewVolume()
                                .withName("cgi")
                                .withNewConfigMap()
                                .withName("fake-model")
                                .withDefaultMode(0755)
                                .withItems(
                                        new KeyToPathBuilder()
                                                .withKey("openai")
                                                .withPath("openai")
                                                .build())
                                .endConfigMap()
                                .endVolume()
                                .addNewVolume()
                                .withName("answers")
                                .withNewConfigMap()
                                .withName("fake-model")
                                .withItems(answers)
                                .endConfigMap()
                                .endVolume()
                                .endSpec()
                                .build())
                .serverSideApply();
        Service service =
                client.services()
                        .inNamespace(namespace)
                        .resource(
                                new ServiceBuilder()
                                        .withNewMetadata()
                                        .withName("fake-model")
                                        .endMetadata()
                                        .withNewSpec()
                                        .withSelector(Map.of("app", "fake-model"))
                                        .addNewPort()
                                        .withPort(80)
                                        .withProtocol("TCP")
                                        .withNewTargetPort(8080)
                                        .endPort()
                                        .endSpec()
                                        .build())
                        .serverSideApply();
        await().atMost(Duration.ofMinutes(2))
                .until(
                        () ->
                                Readiness.isPodReady(
                                        client.pods()
                                                .inNamespace(namespace)
                                                .withName("fake-model")
                                                .get()));
        // No cluster DNS on every cluster (the lab has none): address the Service by its IP.
        return "http://" + service.getSpec().getClusterIP() + "/cgi-bin/openai";
    }
}
