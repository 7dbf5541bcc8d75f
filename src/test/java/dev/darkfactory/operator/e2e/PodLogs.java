package dev.darkfactory.operator.e2e;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The logs of every container (init containers included) of every pod in some namespaces. */
final class PodLogs {

    /** One container's log, named {@code namespace/pod/container}. */
    record Log(String name, String text) {}

    private PodLogs() {}

    /**
     * Every log the cluster still holds, current and previous (a restarted container); a container
     * that never started has none and is left out.
     */
    static List<Log> of(KubernetesClient client, String... namespaces) {
        List<Log> logs = new ArrayList<>();
        for (String namespace : namespaces) {
            for (Pod pod : client.pods().inNamespace(namespace).list().getItems()) {
                String name = pod.getMetadata().getName();
                for (Container container :
                        Stream.concat(
                                        pod.getSpec().getInitContainers().stream(),
                                        pod.getSpec().getContainers().stream())
                                .toList()) {
                    var logOf =
                            client.pods()
                                    .inNamespace(namespace)
                                    .withName(name)
                                    .inContainer(container.getName());
                    String where = namespace + "/" + name + "/" + container.getName();
                    read(() -> logOf.getLog()).ifPresent(text -> logs.add(new Log(where, text)));
                    read(() -> logOf.getLog(true))
                            .ifPresent(text -> logs.add(new Log(where + " (previous)", text)));
                }
            }
        }
        return logs;
    }

    private static java.util.Optional<String> read(java.util.function.Supplier<String> log) {
        try {
            return java.util.Optional.ofNullable(log.get());
        } catch (KubernetesClientException noLog) {
            // Not started, or no previous container: nothing to read.
            return java.util.Optional.empty();
        }
    }
}
