package dev.darkfactory.operator.testing;

import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntent;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * What a failed test saw in its namespace, as text: the events, the pods with their container
 * states and termination messages, and the statuses of the intents, runs and Deployments. Only what
 * the operator writes for users to read: no specs (a run's spec holds held-out checks), no
 * ConfigMaps, no Secrets.
 */
public final class NamespaceDump {

    private NamespaceDump() {}

    public static String of(KubernetesClient client, String namespace, String test) {
        StringBuilder out = new StringBuilder();
        out.append("==== ")
                .append(test)
                .append(" failed; namespace ")
                .append(namespace)
                .append(" ====\n");
        try {
            events(client, namespace, out);
            pods(client, namespace, out);
            statuses(
                    "SoftwareIntent",
                    client.resources(SoftwareIntent.class).inNamespace(namespace).list().getItems(),
                    SoftwareIntent::getStatus,
                    client,
                    out);
            statuses(
                    "FactoryRun",
                    client.resources(FactoryRun.class).inNamespace(namespace).list().getItems(),
                    FactoryRun::getStatus,
                    client,
                    out);
            statuses(
                    "Deployment",
                    client.apps().deployments().inNamespace(namespace).list().getItems(),
                    Deployment::getStatus,
                    client,
                    out);
        } catch (RuntimeException e) {
            out.append("(the dump stopped: ").append(e).append(")\n");
        }
        return out.append("==== end of ").append(namespace).append(" ====").toString();
    }

    private static void events(KubernetesClient client, String namespace, StringBuilder out) {
        out.append("-- events\n");
        client.v1().events().inNamespace(namespace).list().getItems().stream()
                .sorted(
                        Comparator.comparing(
                                (Event e) ->
                                        String.valueOf(
                                                e.getLastTimestamp() != null
                                                        ? e.getLastTimestamp()
                                                        : e.getMetadata().getCreationTimestamp())))
                .forEach(
                        e ->
                                out.append(
                                        "%s %s %s/%s %s (x%s): %s%n"
                                                .formatted(
                                                        e.getLastTimestamp(),
                                                        e.getType(),
                                                        e.getInvolvedObject().getKind(),
                                                        e.getInvolvedObject().getName(),
                                                        e.getReason(),
                                                        e.getCount(),
                                                        e.getMessage())));
    }

    private static void pods(KubernetesClient client, String namespace, StringBuilder out) {
        out.append("-- pods\n");
        for (Pod pod : client.pods().inNamespace(namespace).list().getItems()) {
            out.append(pod.getMetadata().getName());
            if (pod.getStatus() == null) {
                out.append(": no status\n");
                continue;
            }
            out.append(": ")
                    .append(pod.getStatus().getPhase())
                    .append(
                            pod.getStatus().getReason() == null
                                    ? ""
                                    : " " + pod.getStatus().getReason())
                    .append('\n');
            Stream.concat(
                            nonNull(pod.getStatus().getInitContainerStatuses()).stream(),
                            nonNull(pod.getStatus().getContainerStatuses()).stream())
                    .forEach(c -> out.append("  ").append(describe(c)).append('\n'));
        }
    }

    private static String describe(ContainerStatus container) {
        ContainerState state = container.getState();
        String name = container.getName() + ": ";
        if (state == null) {
            return name + "no state";
        }
        if (state.getTerminated() != null) {
            var t = state.getTerminated();
            return name
                    + "terminated, exit "
                    + t.getExitCode()
                    + " "
                    + t.getReason()
                    + (t.getMessage() == null ? "" : ", message: " + t.getMessage());
        }
        if (state.getWaiting() != null) {
            return name + "waiting, " + state.getWaiting().getReason();
        }
        return name + "running";
    }

    private static <T extends HasMetadata> void statuses(
            String kind,
            List<T> items,
            Function<T, Object> status,
            KubernetesClient client,
            StringBuilder out) {
        out.append("-- ").append(kind).append(" statuses\n");
        for (T item : items) {
            out.append(item.getMetadata().getName())
                    .append(" (generation ")
                    .append(item.getMetadata().getGeneration())
                    .append("):\n")
                    .append(
                            client.getKubernetesSerialization()
                                    .asYaml(status.apply(item))
                                    .indent(2));
        }
    }

    private static <T> List<T> nonNull(List<T> list) {
        return list == null ? List.of() : list;
    }
}
