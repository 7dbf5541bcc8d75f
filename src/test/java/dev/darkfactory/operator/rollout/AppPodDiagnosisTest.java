package dev.darkfactory.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class AppPodDiagnosisTest {

    private static final String NEW = "r/app@sha256:2";

    @Test
    void aCrashLoopCarriesTheExitAndTheLastOutput() {
        ContainerStatus crashing =
                status().withNewState()
                        .withNewWaiting()
                        .withReason("CrashLoopBackOff")
                        .endWaiting()
                        .endState()
                        .withNewLastState()
                        .withNewTerminated()
                        .withExitCode(3)
                        .withMessage("fatal: no db\n")
                        .endTerminated()
                        .endLastState()
                        .build();

        assertThat(AppPodDiagnosis.of(List.of(forwarding(pod("a", NEW, crashing))), NEW))
                .isEqualTo("pod a: CrashLoopBackOff, exit code 3, last output: fatal: no db");
    }

    @Test
    void anAppCaughtBetweenRestartsStillShowsWhyItLastExited() {
        ContainerStatus restarted =
                status().withRestartCount(2)
                        .withReady(false)
                        .withNewState()
                        .withNewRunning()
                        .endRunning()
                        .endState()
                        .withNewLastState()
                        .withNewTerminated()
                        .withExitCode(1)
                        .withMessage("panic")
                        .endTerminated()
                        .endLastState()
                        .build();

        assertThat(AppPodDiagnosis.of(List.of(forwarding(pod("a", NEW, restarted))), NEW))
                .isEqualTo(
                        "pod a: the app exited (restarted 2 times), exit code 1, last output: panic");
    }

    @Test
    void theAppsOutputStaysOutUnlessTheIntentForwardsIt() {
        String canary = "canary-secret-5e21";
        ContainerStatus crashing =
                status().withNewState()
                        .withNewWaiting()
                        .withReason("CrashLoopBackOff")
                        .endWaiting()
                        .endState()
                        .withNewLastState()
                        .withNewTerminated()
                        .withExitCode(3)
                        .withMessage("DB_PASSWORD=" + canary + "\n")
                        .endTerminated()
                        .endLastState()
                        .build();

        assertThat(AppPodDiagnosis.of(List.of(pod("a", NEW, crashing)), NEW))
                .isEqualTo("pod a: CrashLoopBackOff, exit code 3")
                .doesNotContain(canary);
    }

    @Test
    void outOfMemoryAndFailingProbesAreNamedAndOldPodsIgnored() {
        ContainerStatus oom =
                status().withNewLastState()
                        .withNewTerminated()
                        .withExitCode(137)
                        .withReason("OOMKilled")
                        .endTerminated()
                        .endLastState()
                        .withNewState()
                        .withNewWaiting()
                        .withReason("CrashLoopBackOff")
                        .endWaiting()
                        .endState()
                        .build();
        ContainerStatus unready =
                status().withReady(false)
                        .withNewState()
                        .withNewRunning()
                        .endRunning()
                        .endState()
                        .build();
        ContainerStatus old =
                status().withNewState()
                        .withNewWaiting()
                        .withReason("CrashLoopBackOff")
                        .endWaiting()
                        .endState()
                        .build();

        String diagnosis =
                AppPodDiagnosis.of(
                        List.of(
                                pod("a", NEW, oom),
                                pod("b", NEW, unready),
                                pod("c", "r/app@sha256:1", old)),
                        NEW);

        assertThat(diagnosis)
                .isEqualTo(
                        "pod a: the app was OOMKilled (out of memory); "
                                + "pod b: the app runs but its readiness probe fails (spec.serve.healthPath)");
    }

    /** The pod as the Deployment of an intent with serve.forwardAppOutput: true makes it. */
    private static Pod forwarding(Pod pod) {
        pod.getSpec().getContainers().get(0).setTerminationMessagePolicy("FallbackToLogsOnError");
        return pod;
    }

    private static ContainerStatusBuilder status() {
        return new ContainerStatusBuilder().withName("app");
    }

    private static Pod pod(String name, String image, ContainerStatus status) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage(image)
                .endContainer()
                .endSpec()
                .withNewStatus()
                .withContainerStatuses(status)
                .endStatus()
                .build();
    }
}
