package dev.darkfactory.operator.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.darkfactory.operator.contract.FailureReason;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The infrastructure failures of a pod that never starts and whose status says little: a volume
 * whose Secret or ConfigMap is missing (the kubelet only raises FailedMount Events), and a pod
 * unschedulable past its grace.
 */
class PendingPodFailuresTest {

    private static final Instant NOW = Instant.parse("2026-01-01T10:00:30Z");
    private static final Duration GRACE = Duration.ofSeconds(30);

    /** Only these exist in the namespace. */
    private static final BiPredicate<String, String> EXISTING =
            (kind, name) ->
                    Set.of("ConfigMap/todo-a1-input", "Secret/todo-holdout")
                            .contains(kind + "/" + name);

    static Stream<Arguments> volumes() {
        return Stream.of(
                Arguments.of(
                        "every volume's object exists",
                        pod("Pending", false, secret("holdout", "todo-holdout", null)),
                        null),
                Arguments.of(
                        "a missing push Secret is named with its volume",
                        pod("Pending", false, secret("registry-auth", "push-creds", null)),
                        "Secret push-creds does not exist: volume registry-auth of pod todo-a1-gen"),
                Arguments.of(
                        "a missing ConfigMap is named",
                        pod("Pending", false, configMap("checks", "todo-checks")),
                        "ConfigMap todo-checks does not exist: volume checks"),
                Arguments.of(
                        "an optional volume is mounted empty: no failure",
                        pod("Pending", false, secret("extra", "absent", true)),
                        null),
                Arguments.of(
                        "a pod whose containers started has mounted its volumes",
                        pod("Pending", true, secret("registry-auth", "push-creds", null)),
                        null),
                Arguments.of(
                        "a pod that is no longer pending is read from its containers",
                        pod("Failed", false, secret("registry-auth", "push-creds", null)),
                        null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("volumes")
    void aVolumeWhoseObjectIsMissingIsConfigMissing(String name, Pod pod, String message) {
        Optional<PodVerdict> verdict = InfraFailures.missingVolume(pod, EXISTING);

        if (message == null) {
            assertThat(verdict).isEmpty();
        } else {
            assertThat(verdict.orElseThrow().reason()).isEqualTo(FailureReason.ConfigMissing);
            assertThat(verdict.orElseThrow().message()).contains(message);
            assertThat(verdict.orElseThrow().reason().infrastructure()).isTrue();
        }
    }

    static Stream<Arguments> unschedulable() {
        return Stream.of(
                Arguments.of("unschedulable for 10s of a 30s grace", "2026-01-01T10:00:20Z", 20L),
                Arguments.of("unschedulable for exactly the grace", "2026-01-01T10:00:00Z", null),
                Arguments.of("unschedulable for longer", "2026-01-01T09:50:00Z", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unschedulable")
    void anUnschedulablePodIsReportedOnlyOnceItsGraceIsOver(
            String name, String since, Long secondsLeft) {
        Pod pod = unschedulableSince(since);

        Optional<Duration> wait = InfraFailures.unschedulableWait(pod, NOW, GRACE);
        Optional<PodVerdict> verdict = InfraFailures.of(pod, NOW, GRACE);

        if (secondsLeft != null) {
            assertThat(wait).contains(Duration.ofSeconds(secondsLeft));
            assertThat(verdict).isEmpty();
        } else {
            assertThat(wait).isEmpty();
            assertThat(verdict.orElseThrow().reason()).isEqualTo(FailureReason.Unschedulable);
            assertThat(verdict.orElseThrow().message()).contains("0/3 nodes are available");
        }
    }

    @Test
    void withoutATransitionTimeTheGraceCountsFromThePodsCreation() {
        Pod pod = unschedulableSince(null);
        pod.getMetadata().setCreationTimestamp("2026-01-01T10:00:10Z");

        assertThat(InfraFailures.unschedulableWait(pod, NOW, GRACE))
                .contains(Duration.ofSeconds(10));
        assertThat(InfraFailures.of(pod, NOW.plusSeconds(10), GRACE)).isPresent();
    }

    @Test
    void aScheduledPodHasNoGraceToWaitOut() {
        Pod pod = pod("Pending", false);

        assertThat(InfraFailures.unschedulableWait(pod, NOW, GRACE)).isEmpty();
    }

    private static Pod unschedulableSince(String since) {
        Pod pod = pod("Pending", false);
        pod.getStatus()
                .getConditions()
                .add(
                        new PodConditionBuilder()
                                .withType("PodScheduled")
                                .withStatus("False")
                                .withReason("Unschedulable")
                                .withMessage("0/3 nodes are available: 3 Insufficient cpu.")
                                .withLastTransitionTime(since)
                                .build());
        return pod;
    }

    private static Pod pod(
            String phase, boolean started, io.fabric8.kubernetes.api.model.Volume... volumes) {
        ContainerStatus prepare =
                started
                        ? new ContainerStatusBuilder()
                                .withName("prepare")
                                .withNewState()
                                .withNewRunning()
                                .withStartedAt("2026-01-01T10:00:00Z")
                                .endRunning()
                                .endState()
                                .build()
                        : new ContainerStatusBuilder()
                                .withName("prepare")
                                .withNewState()
                                .withNewWaiting()
                                .withReason("PodInitializing")
                                .endWaiting()
                                .endState()
                                .build();
        return new PodBuilder()
                .withNewMetadata()
                .withName("todo-a1-gen")
                .withNamespace("ns")
                .endMetadata()
                .withNewSpec()
                .addNewInitContainer()
                .withName("prepare")
                .endInitContainer()
                .withVolumes(volumes)
                .endSpec()
                .withNewStatus()
                .withPhase(phase)
                .withInitContainerStatuses(prepare)
                .withConditions(new java.util.ArrayList<>())
                .endStatus()
                .build();
    }

    private static io.fabric8.kubernetes.api.model.Volume secret(
            String volume, String secret, Boolean optional) {
        return new VolumeBuilder()
                .withName(volume)
                .withNewSecret()
                .withSecretName(secret)
                .withOptional(optional)
                .endSecret()
                .build();
    }

    private static io.fabric8.kubernetes.api.model.Volume configMap(String volume, String name) {
        return new VolumeBuilder()
                .withName(volume)
                .withNewConfigMap()
                .withName(name)
                .endConfigMap()
                .build();
    }
}
