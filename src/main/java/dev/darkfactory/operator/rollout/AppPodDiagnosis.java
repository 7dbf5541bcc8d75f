package dev.darkfactory.operator.rollout;

import dev.darkfactory.operator.workload.AppOutput;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;

/**
 * Why the pods of a failed rollout did not become available, in words for the next attempt's
 * feedback: crash loops with their exit codes, out-of-memory kills, failing probes. The last lines
 * the app printed only when its pod says they may leave it ({@link AppOutput}, {@code
 * serve.forwardAppOutput}): they can hold Secret values of {@code serve.env}.
 */
public final class AppPodDiagnosis {

    private static final int MAX_CHARS = 2000;

    private AppPodDiagnosis() {}

    public static String of(List<Pod> pods, String image) {
        List<String> findings = new ArrayList<>();
        for (Pod pod : pods) {
            if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
                continue;
            }
            for (ContainerStatus container : pod.getStatus().getContainerStatuses()) {
                if (ServingResources.APP_CONTAINER.equals(container.getName())
                        && image.equals(pod.getSpec().getContainers().get(0).getImage())) {
                    String finding =
                            diagnose(
                                    pod.getMetadata().getName(),
                                    container,
                                    AppOutput.forwarded(pod, ServingResources.APP_CONTAINER));
                    if (finding != null && !findings.contains(finding)) {
                        findings.add(finding);
                    }
                }
            }
        }
        String text =
                findings.isEmpty()
                        ? "no pod of the new revision reported a reason"
                        : String.join("; ", findings);
        return text.length() <= MAX_CHARS ? text : text.substring(0, MAX_CHARS) + "…";
    }

    private static String diagnose(String pod, ContainerStatus container, boolean outputForwarded) {
        ContainerStateTerminated last =
                container.getLastState() == null ? null : container.getLastState().getTerminated();
        ContainerStateTerminated now =
                container.getState() == null ? null : container.getState().getTerminated();
        ContainerStateTerminated ended = now != null ? now : last;
        if (ended != null && "OOMKilled".equals(ended.getReason())) {
            return "pod " + pod + ": the app was OOMKilled (out of memory)";
        }
        // With terminationMessagePolicy FallbackToLogsOnError the message is the app's last output.
        boolean showOutput =
                outputForwarded
                        && ended != null
                        && ended.getMessage() != null
                        && !ended.getMessage().isBlank();
        String exit =
                ended == null
                        ? ""
                        : ", exit code "
                                + ended.getExitCode()
                                + (showOutput
                                        ? ", last output: " + ended.getMessage().strip()
                                        : "");
        var waiting = container.getState() == null ? null : container.getState().getWaiting();
        if (waiting != null && waiting.getReason() != null) {
            return "pod " + pod + ": " + waiting.getReason() + exit;
        }
        if (ended != null) {
            return "pod "
                    + pod
                    + ": the app exited (restarted "
                    + container.getRestartCount()
                    + " times)"
                    + exit;
        }
        if (container.getState() != null
                && container.getState().getRunning() != null
                && !Boolean.TRUE.equals(container.getReady())) {
            return "pod "
                    + pod
                    + ": the app runs but its readiness probe fails (spec.serve.healthPath)";
        }
        return null;
    }
}
