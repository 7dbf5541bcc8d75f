package dev.darkfactory.operator.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.darkfactory.operator.contract.FailureReason;
import dev.darkfactory.operator.contract.StationLimits;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Optional;

/** Reading what the kubelet reported about a pod and its containers. */
final class PodStatuses {

    static final ObjectMapper JSON = new ObjectMapper();

    private PodStatuses() {}

    /** The terminated state of a container (init or regular), if it has terminated. */
    static Optional<ContainerStateTerminated> terminated(Pod pod, String container) {
        if (pod.getStatus() == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(
                find(pod.getStatus().getInitContainerStatuses(), container)
                        .or(() -> find(pod.getStatus().getContainerStatuses(), container))
                        .map(
                                status ->
                                        status.getState() != null
                                                ? status.getState().getTerminated()
                                                : null)
                        .orElse(null));
    }

    private static Optional<ContainerStatus> find(
            List<ContainerStatus> statuses, String container) {
        return statuses == null
                ? Optional.empty()
                : statuses.stream().filter(s -> container.equals(s.getName())).findFirst();
    }

    /**
     * A failure of the whole pod that no container explains: the deadline. A node that ended the
     * pod is an infrastructure failure, read before this ({@link InfraFailures}).
     */
    static Optional<PodVerdict> podLevelFailure(Pod pod, String runningContainer) {
        if (pod.getStatus() == null || !"Failed".equals(pod.getStatus().getPhase())) {
            return Optional.empty();
        }
        String name = pod.getMetadata().getName();
        String detail = pod.getStatus().getMessage() != null ? pod.getStatus().getMessage() : "";
        if ("DeadlineExceeded".equals(pod.getStatus().getReason())) {
            return Optional.of(
                    PodVerdict.failed(
                            FailureReason.DeadlineExceeded,
                            "pod "
                                    + name
                                    + " ran past the attempt deadline (spec.budget.attemptTimeout) while in container "
                                    + runningContainer
                                    + ". "
                                    + detail,
                            name,
                            runningContainer));
        }
        return Optional.empty();
    }

    static boolean oomKilled(ContainerStateTerminated state) {
        return "OOMKilled".equals(state.getReason());
    }

    /** A termination message cut to what fits in a status field, on a character boundary. */
    static String shortMessage(String message) {
        if (message == null || message.isBlank()) {
            return "";
        }
        String trimmed = message.strip();
        int limit = StationLimits.TERMINATION_MESSAGE_BYTES / 2;
        return trimmed.length() <= limit
                ? trimmed
                : "…" + trimmed.substring(trimmed.length() - limit);
    }

    /** Parses a station's JSON termination message; empty when the container left no JSON. */
    static <T> Optional<T> parse(ContainerStateTerminated state, Class<T> type) {
        String message = state.getMessage();
        if (message == null || !message.strip().startsWith("{")) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(message, type));
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
