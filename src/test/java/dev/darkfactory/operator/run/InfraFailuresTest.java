package dev.darkfactory.operator.run;

import static dev.darkfactory.operator.run.RunFixtures.running;
import static dev.darkfactory.operator.run.RunFixtures.terminated;
import static dev.darkfactory.operator.run.RunFixtures.waiting;
import static org.assertj.core.api.Assertions.assertThat;

import dev.darkfactory.operator.contract.FailureReason;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Each infrastructure failure the kubelet and scheduler report, read from a pod's status. */
class InfraFailuresTest {

    private static final String STATION_IMAGE = "darkfactory/operator:0.1";
    private static final String APP_IMAGE = "registry.test/ns/todo@sha256:" + "a".repeat(64);

    /**
     * @param pod the pod as the kubelet reports it
     * @param reason the failure, or null when the pod shows none
     * @param names what the message must name: the object at fault
     */
    record Case(String name, Pod pod, FailureReason reason, List<String> names) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case(
                        "a missing Secret",
                        generator(
                                waiting(
                                        "generate",
                                        "CreateContainerConfigError",
                                        "secret \"darkfactory-openai\" not found")),
                        FailureReason.ConfigMissing,
                        List.of("Secret darkfactory-openai does not exist", "generate", "ns")),
                new Case(
                        "a missing key of a Secret",
                        generator(
                                waiting(
                                        "generate",
                                        "CreateContainerConfigError",
                                        "couldn't find key api-key in Secret ns/darkfactory-openai")),
                        FailureReason.ConfigMissing,
                        List.of("Secret ns/darkfactory-openai has no key api-key")),
                new Case(
                        "a missing ConfigMap",
                        generator(
                                waiting(
                                        "prepare",
                                        "CreateContainerConfigError",
                                        "configmap \"todo-a1-input\" not found")),
                        FailureReason.ConfigMissing,
                        List.of("ConfigMap todo-a1-input does not exist")),
                new Case(
                        "a station image that cannot be pulled",
                        generator(waiting("prepare", "ErrImagePull", "pull access denied")),
                        FailureReason.ImagePullFailed,
                        List.of(STATION_IMAGE, "prepare", "ErrImagePull", "pull access denied")),
                new Case(
                        "an app image in back-off",
                        tester(waiting("app", "ImagePullBackOff", "Back-off pulling image")),
                        FailureReason.ImagePullFailed,
                        List.of(APP_IMAGE, "container app", "ImagePullBackOff")),
                new Case(
                        "an image name that is not one",
                        tester(waiting("app", "InvalidImageName", "couldn't parse image")),
                        FailureReason.ImagePullFailed,
                        List.of(APP_IMAGE, "InvalidImageName")),
                new Case(
                        "a pod no node takes",
                        withStatus(
                                generator(),
                                "Pending",
                                null,
                                "0/3 nodes are available: 3 Insufficient cpu."),
                        FailureReason.Unschedulable,
                        List.of("0/3 nodes are available: 3 Insufficient cpu.")),
                new Case(
                        "an evicted pod",
                        withStatus(generator(), "Failed", "Evicted", null),
                        FailureReason.PodEvicted,
                        List.of("Evicted", "node-1")),
                new Case(
                        "a pod its node preempted",
                        withStatus(generator(), "Failed", "Preempting", null),
                        FailureReason.PodEvicted,
                        List.of("Preempting")),
                new Case(
                        "a pod that waits for its turn is fine",
                        generator(waiting("generate", "PodInitializing", null)),
                        null,
                        List.of()),
                new Case(
                        "a container being created is fine",
                        tester(waiting("app", "ContainerCreating", null)),
                        null,
                        List.of()),
                new Case(
                        "a pod past its deadline is the attempt's own failure",
                        withStatus(generator(), "Failed", "DeadlineExceeded", null),
                        null,
                        List.of()),
                new Case(
                        "a station that failed is the attempt's own failure",
                        generator(terminated("generate", 1, "Error", "boom")),
                        null,
                        List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reads(Case c) {
        var verdict = InfraFailures.of(c.pod());

        if (c.reason() == null) {
            assertThat(verdict).isEmpty();
            return;
        }
        assertThat(verdict).isPresent();
        assertThat(verdict.get().reason()).isEqualTo(c.reason());
        assertThat(verdict.get().reason().infrastructure()).isTrue();
        assertThat(verdict.get().passed()).isFalse();
        assertThat(verdict.get().message()).contains(c.names());
        assertThat(verdict.get().pod()).isEqualTo(c.pod().getMetadata().getName());
    }

    @Test
    void aQuotaRefusalNamesTheQuotaAndOtherRefusalsAreForbidden() {
        Pod pod = generator();
        var quota =
                InfraFailures.refused(
                        pod,
                        refusal(
                                403,
                                "pods \"p\" is forbidden: exceeded quota: compute, requested: limits.cpu=1, used: limits.cpu=2, limited: limits.cpu=2"));
        var limitRange =
                InfraFailures.refused(
                        pod,
                        refusal(
                                403,
                                "pods \"p\" is forbidden: maximum cpu usage per Container is 500m, but limit is 1"));

        assertThat(quota.orElseThrow().reason()).isEqualTo(FailureReason.QuotaExceeded);
        assertThat(quota.orElseThrow().message())
                .contains("exceeded quota: compute", "Pod todo-a1-gen");
        assertThat(limitRange.orElseThrow().reason()).isEqualTo(FailureReason.PodForbidden);
        assertThat(limitRange.orElseThrow().message()).contains("maximum cpu usage per Container");
        assertThat(InfraFailures.refused(pod, refusal(422, "invalid"))).isEmpty();
    }

    @Test
    void onlyTheClusterFailuresAreInfrastructure() {
        assertThat(FailureReason.values())
                .filteredOn(FailureReason::infrastructure)
                .containsExactlyInAnyOrder(
                        FailureReason.PushFailed,
                        FailureReason.PodEvicted,
                        FailureReason.PodDeleted,
                        FailureReason.ConfigMissing,
                        FailureReason.ImagePullFailed,
                        FailureReason.Unschedulable,
                        FailureReason.QuotaExceeded,
                        FailureReason.PodForbidden,
                        FailureReason.ModelUnavailable,
                        FailureReason.LeftoverObject);
    }

    private static KubernetesClientException refusal(int code, String message) {
        Status status = new StatusBuilder().withCode(code).withMessage(message).build();
        return new KubernetesClientException(status);
    }

    private static Pod generator(io.fabric8.kubernetes.api.model.ContainerStatus... init) {
        return new PodBuilder()
                .withNewMetadata()
                .withName("todo-a1-gen")
                .withNamespace("ns")
                .endMetadata()
                .withNewSpec()
                .withNodeName("node-1")
                .withInitContainers(
                        new ContainerBuilder().withName("prepare").withImage(STATION_IMAGE).build(),
                        new ContainerBuilder().withName("generate").withImage("gen:1").build())
                .withContainers(
                        new ContainerBuilder().withName("report").withImage(STATION_IMAGE).build())
                .endSpec()
                .withNewStatus()
                .withPhase("Pending")
                .withInitContainerStatuses(init)
                .endStatus()
                .build();
    }

    private static Pod tester(io.fabric8.kubernetes.api.model.ContainerStatus app) {
        return new PodBuilder()
                .withNewMetadata()
                .withName("todo-a1-test")
                .withNamespace("ns")
                .endMetadata()
                .withNewSpec()
                .withContainers(
                        new ContainerBuilder().withName("app").withImage(APP_IMAGE).build(),
                        new ContainerBuilder().withName("tester").withImage(STATION_IMAGE).build())
                .endSpec()
                .withNewStatus()
                .withPhase("Pending")
                .withContainerStatuses(app, running("tester"))
                .endStatus()
                .build();
    }

    private static Pod withStatus(Pod pod, String phase, String reason, String unschedulable) {
        pod.getStatus().setPhase(phase);
        pod.getStatus().setReason(reason);
        if (unschedulable != null) {
            pod.getStatus()
                    .setConditions(
                            List.of(
                                    new PodConditionBuilder()
                                            .withType("PodScheduled")
                                            .withStatus("False")
                                            .withReason("Unschedulable")
                                            .withMessage(unschedulable)
                                            .build()));
        }
        return pod;
    }
}
