package dev.darkfactory.operator.run;

import dev.darkfactory.operator.contract.FailureReason;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Failures that are the cluster's, not the generated code's, read from what the kubelet, the
 * scheduler and the API server report: a container that cannot start for a missing Secret or
 * ConfigMap, an image that cannot be pulled, a pod no node takes, a pod lost with its node, a pod
 * the API server refuses. Each verdict names the object at fault. They are looked for before a
 * stage's own verdict, so an app whose image never arrives is never taken for an app that never
 * became healthy.
 */
final class InfraFailures {

    /** Waiting reasons of a container whose image the kubelet cannot get. */
    static final Set<String> IMAGE_PULL =
            Set.of(
                    "ErrImagePull",
                    "ImagePullBackOff",
                    "InvalidImageName",
                    "ErrImageNeverPull",
                    "RegistryUnavailable");

    /** Waiting reason of a container whose Secret, ConfigMap or key is missing. */
    static final String CONFIG_ERROR = "CreateContainerConfigError";

    /** Reasons of a failed pod that its node, not its code, ended. */
    static final Set<String> POD_LOST =
            Set.of(
                    "Evicted",
                    "Preempting",
                    "NodeLost",
                    "Shutdown",
                    "NodeShutdown",
                    "Terminated",
                    "UnexpectedAdmissionError",
                    "OutOfcpu",
                    "OutOfmemory",
                    "OutOfpods");

    private static final int DETAIL_CHARS = 300;

    /** What the kubelet says of a missing object: {@code secret "x" not found} and the like. */
    private static final Pattern NOT_FOUND =
            Pattern.compile("(secret|configmap|configMap)s? \"([^\"]+)\" not found");

    private static final Pattern MISSING_KEY =
            Pattern.compile("couldn't find key (\\S+) in (Secret|ConfigMap) (\\S+)");

    private InfraFailures() {}

    /** The infrastructure failure the pod shows, if any, reporting an unschedulable pod at once. */
    static Optional<PodVerdict> of(Pod pod) {
        return of(pod, Instant.EPOCH, Duration.ZERO);
    }

    /**
     * The infrastructure failure the pod shows at {@code now}, if any. A pod is briefly
     * unschedulable while the scheduler preempts, binds volumes or waits for a node the autoscaler
     * adds: it is reported only once {@code PodScheduled=False} has lasted {@code
     * unschedulableGrace}.
     */
    static Optional<PodVerdict> of(Pod pod, Instant now, Duration unschedulableGrace) {
        if (pod.getStatus() == null) {
            return Optional.empty();
        }
        String name = pod.getMetadata().getName();
        return lost(pod, name)
                .or(
                        () ->
                                unschedulable(pod, name)
                                        .filter(
                                                v ->
                                                        unschedulableWait(
                                                                        pod,
                                                                        now,
                                                                        unschedulableGrace)
                                                                .isEmpty()))
                .or(() -> containers(pod).flatMap(s -> waiting(pod, name, s).stream()).findFirst());
    }

    /**
     * How long an unschedulable pod still has before it is reported; empty when it is not
     * unschedulable or its grace is over. A condition without a transition time counts from the
     * pod's creation.
     */
    static Optional<Duration> unschedulableWait(Pod pod, Instant now, Duration grace) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getConditions().stream()
                .filter(InfraFailures::isUnschedulable)
                .findFirst()
                .map(
                        c -> {
                            Instant since =
                                    since(
                                            c.getLastTransitionTime(),
                                            since(pod.getMetadata().getCreationTimestamp(), now));
                            return Duration.between(now, since.plus(grace));
                        })
                .filter(left -> left.compareTo(Duration.ZERO) > 0);
    }

    private static Instant since(String time, Instant otherwise) {
        try {
            return time == null ? otherwise : Instant.parse(time);
        } catch (java.time.format.DateTimeParseException e) {
            return otherwise;
        }
    }

    /**
     * A Secret or ConfigMap a volume of a pod that has not started names but that does not exist:
     * the kubelet cannot mount it and its containers wait in ContainerCreating or PodInitializing
     * for ever (only an Event, FailedMount, says why). Optional volumes, which the kubelet mounts
     * empty, do not count. {@code exists} looks the object up ("Secret"/"ConfigMap", name).
     */
    static Optional<PodVerdict> missingVolume(Pod pod, BiPredicate<String, String> exists) {
        if (pod.getSpec() == null
                || pod.getSpec().getVolumes() == null
                || started(pod)
                || (pod.getStatus() != null
                        && pod.getStatus().getPhase() != null
                        && !"Pending".equals(pod.getStatus().getPhase()))) {
            return Optional.empty();
        }
        String name = pod.getMetadata().getName();
        for (Volume volume : pod.getSpec().getVolumes()) {
            String kind = null;
            String object = null;
            if (volume.getSecret() != null
                    && !Boolean.TRUE.equals(volume.getSecret().getOptional())) {
                kind = "Secret";
                object = volume.getSecret().getSecretName();
            } else if (volume.getConfigMap() != null
                    && !Boolean.TRUE.equals(volume.getConfigMap().getOptional())) {
                kind = "ConfigMap";
                object = volume.getConfigMap().getName();
            }
            if (object != null && !exists.test(kind, object)) {
                return Optional.of(
                        PodVerdict.failed(
                                FailureReason.ConfigMissing,
                                kind
                                        + " "
                                        + object
                                        + " does not exist: volume "
                                        + volume.getName()
                                        + " of pod "
                                        + name
                                        + " cannot be mounted in namespace "
                                        + pod.getMetadata().getNamespace()
                                        + " (FailedMount)",
                                name,
                                null));
            }
        }
        return Optional.empty();
    }

    /** Whether a container of the pod has started (runs or ran). */
    private static boolean started(Pod pod) {
        return pod.getStatus() != null
                && containers(pod)
                        .anyMatch(
                                s ->
                                        s.getState() != null
                                                && (s.getState().getRunning() != null
                                                        || s.getState().getTerminated() != null));
    }

    private static boolean isUnschedulable(PodCondition c) {
        return "PodScheduled".equals(c.getType())
                && "False".equals(c.getStatus())
                && "Unschedulable".equals(c.getReason());
    }

    /**
     * The API server refused to create an object of the stage (its pod, or an input): a
     * ResourceQuota, a LimitRange, an admission policy. Empty for any other error.
     */
    static Optional<PodVerdict> refused(HasMetadata object, KubernetesClientException e) {
        if (e.getCode() != 403) {
            return Optional.empty();
        }
        String detail =
                e.getStatus() != null && e.getStatus().getMessage() != null
                        ? e.getStatus().getMessage()
                        : String.valueOf(e.getMessage());
        boolean quota = detail.contains("exceeded quota");
        String name = object.getMetadata().getName();
        return Optional.of(
                PodVerdict.failed(
                        quota ? FailureReason.QuotaExceeded : FailureReason.PodForbidden,
                        "the API server refused to create "
                                + object.getKind()
                                + " "
                                + name
                                + (quota
                                        ? " under a ResourceQuota of the namespace"
                                        : " (a LimitRange, an admission policy or missing"
                                                + " permission)")
                                + ": "
                                + cut(detail),
                        object instanceof Pod ? name : null,
                        null));
    }

    /**
     * An object the stage needs exists under its name, left by an earlier run of the same name that
     * was deleted (see {@link RunOwnership.Found#LEFTOVER}): the garbage collector deletes it, the
     * run waits. No pod of the run is at fault.
     */
    static PodVerdict leftover(String message) {
        return PodVerdict.failed(FailureReason.LeftoverObject, message, null, null);
    }

    private static Optional<PodVerdict> lost(Pod pod, String name) {
        String reason = pod.getStatus().getReason();
        if (!"Failed".equals(pod.getStatus().getPhase())
                || reason == null
                || !POD_LOST.contains(reason)) {
            return Optional.empty();
        }
        String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        return Optional.of(
                PodVerdict.failed(
                        FailureReason.PodEvicted,
                        "pod "
                                + name
                                + " was ended by its node"
                                + (node == null ? "" : " " + node)
                                + " ("
                                + reason
                                + "): "
                                + cut(orEmpty(pod.getStatus().getMessage())),
                        name,
                        null));
    }

    private static Optional<PodVerdict> unschedulable(Pod pod, String name) {
        List<PodCondition> conditions = pod.getStatus().getConditions();
        if (conditions == null) {
            return Optional.empty();
        }
        return conditions.stream()
                .filter(InfraFailures::isUnschedulable)
                .findFirst()
                .map(
                        c ->
                                PodVerdict.failed(
                                        FailureReason.Unschedulable,
                                        "no node can take pod "
                                                + name
                                                + ": "
                                                + cut(orEmpty(c.getMessage())),
                                        name,
                                        null));
    }

    private static Optional<PodVerdict> waiting(Pod pod, String name, ContainerStatus status) {
        ContainerStateWaiting waiting =
                status.getState() == null ? null : status.getState().getWaiting();
        if (waiting == null || waiting.getReason() == null) {
            return Optional.empty();
        }
        String container = status.getName();
        String detail = cut(orEmpty(waiting.getMessage()));
        if (IMAGE_PULL.contains(waiting.getReason())) {
            String image = image(pod, container).orElse(status.getImage());
            return Optional.of(
                    PodVerdict.failed(
                            FailureReason.ImagePullFailed,
                            "image "
                                    + image
                                    + " of container "
                                    + container
                                    + " in pod "
                                    + name
                                    + " cannot be pulled ("
                                    + waiting.getReason()
                                    + "): "
                                    + detail,
                            name,
                            container));
        }
        if (CONFIG_ERROR.equals(waiting.getReason())) {
            return Optional.of(
                    PodVerdict.failed(
                            FailureReason.ConfigMissing,
                            missing(detail)
                                    + ": container "
                                    + container
                                    + " of pod "
                                    + name
                                    + " cannot start in namespace "
                                    + pod.getMetadata().getNamespace()
                                    + " ("
                                    + detail
                                    + ")",
                            name,
                            container));
        }
        return Optional.empty();
    }

    /** The missing object in words, from the kubelet's message. */
    static String missing(String kubeletMessage) {
        Matcher notFound = NOT_FOUND.matcher(kubeletMessage);
        if (notFound.find()) {
            String kind = notFound.group(1).equalsIgnoreCase("secret") ? "Secret" : "ConfigMap";
            return kind + " " + notFound.group(2) + " does not exist";
        }
        Matcher key = MISSING_KEY.matcher(kubeletMessage);
        if (key.find()) {
            return key.group(2) + " " + key.group(3) + " has no key " + key.group(1);
        }
        return "a Secret or ConfigMap the pod names is missing";
    }

    private static Stream<ContainerStatus> containers(Pod pod) {
        List<ContainerStatus> all = new ArrayList<>();
        if (pod.getStatus().getInitContainerStatuses() != null) {
            all.addAll(pod.getStatus().getInitContainerStatuses());
        }
        if (pod.getStatus().getContainerStatuses() != null) {
            all.addAll(pod.getStatus().getContainerStatuses());
        }
        return all.stream();
    }

    /** The image the pod's spec gives the container: what the user must fix, not a digest. */
    private static Optional<String> image(Pod pod, String container) {
        if (pod.getSpec() == null) {
            return Optional.empty();
        }
        return Stream.concat(
                        Optional.ofNullable(pod.getSpec().getInitContainers()).stream()
                                .flatMap(List::stream),
                        Optional.ofNullable(pod.getSpec().getContainers()).stream()
                                .flatMap(List::stream))
                .filter(c -> container.equals(c.getName()))
                .map(Container::getImage)
                .findFirst();
    }

    private static String cut(String text) {
        String stripped = text.strip();
        return stripped.length() <= DETAIL_CHARS
                ? stripped
                : stripped.substring(0, DETAIL_CHARS) + "…";
    }

    private static String orEmpty(String text) {
        return text == null ? "" : text;
    }
}
