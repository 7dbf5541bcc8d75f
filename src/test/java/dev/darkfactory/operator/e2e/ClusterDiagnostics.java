package dev.darkfactory.operator.e2e;

import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntent;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntentStatus;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * On a failed end-to-end test, writes what a person would look at to target/e2e-diagnostics/:
 * intents and runs with their status, events, and every pod's status and logs, in the suite's
 * namespace and the operator's. It also appends a few lines per failed test to {@link #SUMMARY},
 * which {@code make e2e} prints after a failure: CI shows only the end of its output, and the
 * directory is gone with CI's clone.
 */
public class ClusterDiagnostics implements TestWatcher {

    static final Path DIR = Path.of("target", "e2e-diagnostics");

    static final Path SUMMARY = DIR.resolve("summary.txt");

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
            Files.writeString(
                    SUMMARY,
                    summary(client, context.getDisplayName()),
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            System.err.println("end-to-end diagnostics written to " + dir.toAbsolutePath());
        } catch (IOException | RuntimeException e) {
            System.err.println("could not collect end-to-end diagnostics: " + e);
        }
    }

    /**
     * One line per intent, pod, Service and Warning Event of the suite's namespace: enough to tell
     * an app that stopped answering from a Service without endpoints or a node in trouble.
     */
    private static String summary(KubernetesClient client, String test) {
        String ns = EndToEndIT.NAMESPACE;
        StringBuilder out = new StringBuilder("== ").append(test).append('\n');
        client.resources(SoftwareIntent.class).inNamespace(ns).list().getItems().stream()
                .map(ClusterDiagnostics::intentLine)
                .forEach(out::append);
        client.pods().inNamespace(ns).list().getItems().stream()
                .map(ClusterDiagnostics::podLine)
                .forEach(out::append);
        for (Service service : client.services().inNamespace(ns).list().getItems()) {
            Endpoints endpoints =
                    client.endpoints()
                            .inNamespace(ns)
                            .withName(service.getMetadata().getName())
                            .get();
            out.append(serviceLine(service, endpoints));
        }
        client.v1().events().inNamespace(ns).list().getItems().stream()
                .filter(e -> "Warning".equals(e.getType()))
                .map(
                        e ->
                                String.format(
                                        "warning %s/%s %s: %.160s%n",
                                        e.getInvolvedObject().getKind(),
                                        e.getInvolvedObject().getName(),
                                        e.getReason(),
                                        e.getMessage()))
                .forEach(out::append);
        return out.toString();
    }

    private static String intentLine(SoftwareIntent intent) {
        SoftwareIntentStatus status = intent.getStatus();
        String conditions =
                status == null
                        ? ""
                        : status.conditions.stream()
                                .map(c -> " " + c.type + "=" + c.status + "/" + c.reason)
                                .collect(Collectors.joining());
        return String.format(
                "intent %s: %s%s%n",
                intent.getMetadata().getName(),
                status == null
                        ? "no status"
                        : status.phase
                                + " run="
                                + status.latestRun
                                + " serving="
                                + status.servingImage,
                conditions);
    }

    private static String podLine(Pod pod) {
        String containers =
                pod.getStatus().getContainerStatuses().stream()
                        .map(
                                c ->
                                        String.format(
                                                " %s=%s/restarts=%d",
                                                c.getName(),
                                                Boolean.TRUE.equals(c.getReady())
                                                        ? "ready"
                                                        : "not-ready",
                                                c.getRestartCount()))
                        .collect(Collectors.joining());
        return String.format(
                "pod %s: %s ip=%s%s%n",
                pod.getMetadata().getName(),
                pod.getStatus().getPhase(),
                pod.getStatus().getPodIP(),
                containers);
    }

    private static String serviceLine(Service service, Endpoints endpoints) {
        String addresses =
                endpoints == null
                        ? "none"
                        : endpoints.getSubsets().stream()
                                .map(
                                        s ->
                                                s.getAddresses().size()
                                                        + " ready, "
                                                        + s.getNotReadyAddresses().size()
                                                        + " not ready")
                                .collect(Collectors.joining("; "));
        return String.format(
                "service %s %s selector=%s endpoints=%s%n",
                service.getMetadata().getName(),
                service.getSpec().getClusterIP(),
                service.getSpec().getSelector(),
                addresses);
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
