package dev.darkfactory.operator.run;

import dev.darkfactory.operator.api.v1alpha1.AttemptStatus;
import dev.darkfactory.operator.api.v1alpha1.StageTime;
import dev.darkfactory.operator.util.Durations;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * When each stage of an attempt ran, read from its pods' container statuses (the kubelet's {@code
 * startedAt} and {@code finishedAt}), so that {@code kubectl describe frun} shows where the time
 * went. Pure: the state machine records them into the attempt.
 */
final class StageTimes {

    private StageTimes() {}

    /**
     * Merges the stages of the attempt's pods that are observed into its record. A pod that is gone
     * (stopped and deleted) leaves its stages as recorded.
     */
    static void record(AttemptStatus attempt, Map<String, Pod> pods) {
        List<StageTime> stages = attempt.stages == null ? List.of() : attempt.stages;
        for (String name : Stream.of(attempt.generatorPod, attempt.testerPod).toList()) {
            Pod pod = name == null ? null : pods.get(name);
            if (pod != null) {
                stages = merge(stages, of(pod));
            }
        }
        attempt.stages = stages.isEmpty() ? null : stages;
    }

    /**
     * The stages of a pod that have started, in the order they run (init containers, then the
     * others, as the pod spec lists them): a running one with its start, a terminated one with its
     * end and duration. One still waiting has not started and is left out.
     */
    static List<StageTime> of(Pod pod) {
        if (pod.getStatus() == null) {
            return List.of();
        }
        List<ContainerStatus> statuses = new ArrayList<>();
        Optional.ofNullable(pod.getStatus().getInitContainerStatuses()).ifPresent(statuses::addAll);
        Optional.ofNullable(pod.getStatus().getContainerStatuses()).ifPresent(statuses::addAll);
        return order(pod).stream()
                .map(
                        name ->
                                statuses.stream()
                                        .filter(s -> name.equals(s.getName()))
                                        .findFirst()
                                        .map(StageTimes::stage)
                                        .orElse(null))
                .filter(Objects::nonNull)
                .toList();
    }

    /**
     * {@code recorded} with the {@code observed} stages: one observed again takes its new times (a
     * pod that replaced a lost one runs the stage anew), new ones are appended.
     */
    static List<StageTime> merge(List<StageTime> recorded, List<StageTime> observed) {
        List<StageTime> merged = new ArrayList<>(recorded);
        for (StageTime stage : observed) {
            int at = indexOf(merged, stage.name);
            if (at >= 0) {
                merged.set(at, stage);
            } else {
                merged.add(stage);
            }
        }
        return merged;
    }

    private static int indexOf(List<StageTime> stages, String name) {
        for (int i = 0; i < stages.size(); i++) {
            if (name.equals(stages.get(i).name)) {
                return i;
            }
        }
        return -1;
    }

    private static List<String> order(Pod pod) {
        List<String> names = new ArrayList<>();
        if (pod.getSpec() != null) {
            Optional.ofNullable(pod.getSpec().getInitContainers())
                    .ifPresent(cs -> cs.stream().map(Container::getName).forEach(names::add));
            Optional.ofNullable(pod.getSpec().getContainers())
                    .ifPresent(cs -> cs.stream().map(Container::getName).forEach(names::add));
        }
        if (names.isEmpty()) {
            Stream.concat(
                            Optional.ofNullable(pod.getStatus().getInitContainerStatuses())
                                    .orElse(List.of())
                                    .stream(),
                            Optional.ofNullable(pod.getStatus().getContainerStatuses())
                                    .orElse(List.of())
                                    .stream())
                    .map(ContainerStatus::getName)
                    .forEach(names::add);
        }
        return names;
    }

    private static StageTime stage(ContainerStatus status) {
        ContainerState state = status.getState();
        if (state == null) {
            return null;
        }
        if (state.getTerminated() != null && state.getTerminated().getStartedAt() != null) {
            String start = state.getTerminated().getStartedAt();
            String finish = state.getTerminated().getFinishedAt();
            return new StageTime(status.getName(), start, finish, duration(start, finish));
        }
        if (state.getRunning() != null && state.getRunning().getStartedAt() != null) {
            return new StageTime(status.getName(), state.getRunning().getStartedAt(), null, null);
        }
        return null;
    }

    private static String duration(String start, String finish) {
        if (finish == null) {
            return null;
        }
        try {
            return Durations.format(Duration.between(Instant.parse(start), Instant.parse(finish)));
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
