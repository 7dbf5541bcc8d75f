package dev.darkfactory.operator.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.darkfactory.operator.contract.StationOutcome;
import dev.darkfactory.operator.contract.TestReport;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
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

    /** The tester of a verification pod (no app beside it) exits with its report. */
    public void verifierFinishes(String pod, TestReport report, int exitCode) {
        setStatus(
                pod,
                exitCode == 0 ? "Succeeded" : "Failed",
                null,
                List.of(),
                List.of(
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

    /** A container of the pod cannot start: it waits with the kubelet's {@code reason}. */
    public void containerWaits(String pod, String container, String reason, String message) {
        Pod current = client.pods().inNamespace(namespace).withName(pod).get();
        boolean init =
                current.getSpec().getInitContainers().stream()
                        .anyMatch(c -> c.getName().equals(container));
        ContainerStatus stuck =
                new ContainerStatusBuilder()
                        .withName(container)
                        .withImage("img")
                        .withImageID("")
                        .withReady(false)
                        .withRestartCount(0)
                        .withNewState()
                        .withNewWaiting()
                        .withReason(reason)
                        .withMessage(message)
                        .endWaiting()
                        .endState()
                        .build();
        setStatus(
                pod,
                "Pending",
                null,
                init ? List.of(stuck) : List.of(),
                init ? List.of() : List.of(stuck));
    }

    /** The app container cannot start while the tester gave up waiting for its health path. */
    public void appWaitsWhileTesterGivesUp(String pod, String reason, TestReport unhealthy) {
        setStatus(
                pod,
                "Running",
                null,
                List.of(),
                List.of(
                        waiting("app", reason),
                        terminated(
                                "tester",
                                TestReport.EXIT_NEVER_HEALTHY,
                                "Error",
                                json(unhealthy))));
    }

    /** The scheduler finds no node for the pod. */
    public void unschedulable(String pod, String message) {
        client.pods()
                .inNamespace(namespace)
                .withName(pod)
                .editStatus(
                        p -> {
                            p.setStatus(
                                    new PodStatusBuilder()
                                            .withPhase("Pending")
                                            .addNewCondition()
                                            .withType("PodScheduled")
                                            .withStatus("False")
                                            .withReason("Unschedulable")
                                            .withMessage(message)
                                            .endCondition()
                                            .build());
                            return p;
                        });
    }

    /** The node evicted the pod. */
    public void evicted(String pod) {
        client.pods()
                .inNamespace(namespace)
                .withName(pod)
                .editStatus(
                        p -> {
                            p.setStatus(
                                    new PodStatusBuilder()
                                            .withPhase("Failed")
                                            .withReason("Evicted")
                                            .withMessage(
                                                    "The node was low on resource: ephemeral-storage.")
                                            .build());
                            return p;
                        });
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
                                            // a real kubelet sets it when it takes the pod
                                            .withStartTime("2026-01-01T00:00:00Z")
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
        return waiting(name, "PodInitializing");
    }

    private static ContainerStatus waiting(String name, String reason) {
        return new ContainerStatusBuilder()
                .withName(name)
                .withImage("img")
                .withImageID("")
                .withReady(false)
                .withRestartCount(0)
                .withNewState()
                .withNewWaiting()
                .withReason(reason)
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
