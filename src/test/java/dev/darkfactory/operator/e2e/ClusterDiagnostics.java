package dev.darkfactory.operator.e2e;

import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntent;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * On a failed end-to-end test, writes what a person would look at to target/e2e-diagnostics/:
 * intents and runs with their status, events, and every pod's status and logs, in the suite's
 * namespace and the operator's.
 */
public class ClusterDiagnostics implements TestWatcher {

    static final Path DIR = Path.of("target", "e2e-diagnostics");

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        try (KubernetesClient client = new KubernetesClientBuilder().build()) {
            Path dir =
                    Files.createDirectories(
                            DIR.resolve(
                                    context.getDisplayName().replaceAll("[^A-Za-z0-9_.-]", "_")));
            for (String namespace :
                    new String[] {EndToEndIT.NAMESPACE, E2eEnvironment.OPERATOR_NAMESPACE}) {
                StringBuilder out = new StringBuilder();
                out.append(
                        Serialization.asYaml(
                                client.resources(SoftwareIntent.class)
                                        .inNamespace(namespace)
                                        .list()));
                out.append(
                        Serialization.asYaml(
                                client.resources(FactoryRun.class).inNamespace(namespace).list()));
                client.v1()
                        .events()
                        .inNamespace(namespace)
                        .list()
                        .getItems()
                        .forEach(
                                e ->
                                        out.append(
                                                String.format(
                                                        "event %s %s/%s %s: %s%n",
                                                        e.getType(),
                                                        e.getInvolvedObject().getKind(),
                                                        e.getInvolvedObject().getName(),
                                                        e.getReason(),
                                                        e.getMessage())));
                for (Pod pod : client.pods().inNamespace(namespace).list().getItems()) {
                    out.append("--- pod ")
                            .append(pod.getMetadata().getName())
                            .append('\n')
                            .append(Serialization.asYaml(pod.getStatus()));
                    pod.getSpec()
                            .getInitContainers()
                            .forEach(c -> out.append(log(client, pod, c.getName())));
                    pod.getSpec()
                            .getContainers()
                            .forEach(c -> out.append(log(client, pod, c.getName())));
                }
                Files.writeString(dir.resolve(namespace + ".txt"), out);
            }
            System.err.println("end-to-end diagnostics written to " + dir.toAbsolutePath());
        } catch (IOException | RuntimeException e) {
            System.err.println("could not collect end-to-end diagnostics: " + e);
        }
    }

    private static String log(KubernetesClient client, Pod pod, String container) {
        try {
            return "--- log "
                    + pod.getMetadata().getName()
                    + "/"
                    + container
                    + "\n"
                    + client.pods()
                            .inNamespace(pod.getMetadata().getNamespace())
                            .withName(pod.getMetadata().getName())
                            .inContainer(container)
                            .tailingLines(50)
                            .getLog()
                    + "\n";
        } catch (RuntimeException e) {
            return "--- no log for "
                    + pod.getMetadata().getName()
                    + "/"
                    + container
                    + ": "
                    + e.getMessage()
                    + "\n";
        }
    }
}
