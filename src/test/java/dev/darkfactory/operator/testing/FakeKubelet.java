package dev.darkfactory.operator.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.darkfactory.operator.contract.StationOutcome;
import dev.darkfactory.operator.contract.TestReport;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;

/**
 * Plays the kubelet on a cluster that has none: sets pod and container statuses, with termination
 * messages, on the real API server, as the kubelet would report them.
 */
public final class FakeKubelet {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> INIT_STATIONS = List.of("prepare", "generate", "build");

    private final KubernetesClient client;
    private final String namespace;

    public FakeKubelet(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /** Every station exits 0 and the report container leaves {@code report}. */
    public void generatorSucceeds(String pod, StationOutcome report) {
        List<ContainerStatus> init = new ArrayList<>();
        INIT_STATIONS.forEach(s -> init.add(terminated(s, 0, null, null)));
        setStatus(
                pod, "Succeeded", null, init, List.of(terminated("report", 0, null, json(report))));
    }

    /**
     * The stations before {@code station} succeed; it exits with {@code exitCode} and {@code
     * message}.
     */
    public void stationFails(
            String pod, String station, int exitCode, String reason, String message) {
        List<ContainerStatus> init = new ArrayList<>();
        for (String s : INIT_STATIONS) {
            if (s.equals(station)) {
                init.add(terminated(s, exitCode, reason, message));
                break;
            }
            init.add(terminated(s, 0, null, null));
        }
        setStatus(pod, "Failed", null, init, List.of(waiting("report")));
    }

    /** The tester exits with its report while the app still runs. */
    public void testerFinishes(String pod, TestReport report, int exitCode) {
        setStatus(
                pod,
                "Running",
                null,
                List.of(),
                List.of(
                        running("app"),
                        terminated(
                                "tester",
                                exitCode,
                                exitCode == 0 ? "Completed" : "Error",
                                json(report))));
    }

    /** The pod ran past activeDeadlineSeconds. */
    public void deadlineExceeded(String pod) {
        setStatus(pod, "Failed", "DeadlineExceeded", List.of(), List.of());
    }

    public boolean exists(String pod) {
        return client.pods().inNamespace(namespace).withName(pod).get() != null;
    }

    private void setStatus(
            String pod,
            String phase,
            String reason,
            List<ContainerStatus> init,
            List<ContainerStatus> main) {
        client.pods()
                .inNamespace(namespace)
                .withName(pod)
                .editStatus(
                        p -> {
                            p.setStatus(
                                    new io.fabric8.kubernetes.api.model.PodStatusBuilder()
                                            .withPhase(phase)
                                            .withReason(reason)
                                            .withMessage(
                                                    reason == null
                                                            ? null
                                                            : "Pod was active on the node longer than the specified deadline")
                                            .withInitContainerStatuses(init)
                                            .withContainerStatuses(main)
                                            .build());
                            return p;
                        });
    }

    private static ContainerStatus terminated(
            String name, int exitCode, String reason, String message) {
        return new ContainerStatusBuilder()
                .withName(name)
                .withImage("img")
                .withImageID("")
                .withReady(false)
                .withRestartCount(0)
                .withNewState()
                .withNewTerminated()
                .withExitCode(exitCode)
                .withReason(reason)
                .withMessage(message)
                .endTerminated()
                .endState()
                .build();
    }

    private static ContainerStatus running(String name) {
        return new ContainerStatusBuilder()
                .withName(name)
                .withImage("img")
                .withImageID("")
                .withReady(true)
                .withRestartCount(0)
                .withNewState()
                .withNewRunning()
                .endRunning()
                .endState()
                .build();
    }

    private static ContainerStatus waiting(String name) {
        return new ContainerStatusBuilder()
                .withName(name)
                .withImage("img")
                .withImageID("")
                .withReady(false)
                .withRestartCount(0)
                .withNewState()
                .withNewWaiting()
                .withReason("PodInitializing")
                .endWaiting()
                .endState()
                .build();
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
