package dev.darkfactory.operator.testing;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;

/**
 * Plays the Deployment controller (and the kubelet under it), which kube-api-test does not run:
 * reports a Deployment as rolled out, or as stuck with crashing pods.
 */
public final class FakeDeploymentController {

    private final KubernetesClient client;
    private final String namespace;

    public FakeDeploymentController(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    public Deployment get(String name) {
        return client.apps().deployments().inNamespace(namespace).withName(name).get();
    }

    /** Every replica of the current template is up and available. */
    public void rolledOut(String name) {
        setStatus(
                name,
                true,
                List.of(
                        condition("Available", "True", "MinimumReplicasAvailable"),
                        condition("Progressing", "True", "NewReplicaSetAvailable")),
                true);
    }

    /**
     * The new template's pods crash: the controller gives up (ProgressDeadlineExceeded) while the
     * old replicas keep the Deployment available. Leaves one crashing pod with its last output.
     */
    public void stuckWithCrashingPods(
            String name, Map<String, String> podLabels, String lastOutput) {
        Deployment deployment = get(name);
        String image =
                deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
        // The pod's container says, as the template does, whether its output may leave it.
        String policy =
                deployment
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getTerminationMessagePolicy();
        String pod = name + "-crashing";
        client.pods()
                .inNamespace(namespace)
                .resource(
                        new PodBuilder()
                                .withNewMetadata()
                                .withName(pod)
                                .withLabels(podLabels)
                                .endMetadata()
                                .withNewSpec()
                                .addNewContainer()
                                .withName("app")
                                .withImage(image)
                                .withTerminationMessagePolicy(policy)
                                .endContainer()
                                .endSpec()
                                .build())
                .create();
        client.pods()
                .inNamespace(namespace)
                .withName(pod)
                .editStatus(
                        p -> {
                            p.setStatus(
                                    new io.fabric8.kubernetes.api.model.PodStatusBuilder()
                                            .withPhase("Running")
                                            .addNewContainerStatus()
                                            .withName("app")
                                            .withImage(image)
                                            .withImageID("")
                                            .withReady(false)
                                            .withRestartCount(5)
                                            .withNewState()
                                            .withNewWaiting()
                                            .withReason("CrashLoopBackOff")
                                            .withMessage("back-off restarting")
                                            .endWaiting()
                                            .endState()
                                            .withNewLastState()
                                            .withNewTerminated()
                                            .withExitCode(1)
                                            .withReason("Error")
                                            .withMessage(lastOutput)
                                            .endTerminated()
                                            .endLastState()
                                            .endContainerStatus()
                                            .build());
                            return p;
                        });
        setStatus(
                name,
                false,
                List.of(
                        condition("Available", "True", "MinimumReplicasAvailable"),
                        condition("Progressing", "False", "ProgressDeadlineExceeded")),
                false);
    }

    private void setStatus(
            String name,
            boolean allUpdated,
            List<DeploymentCondition> conditions,
            boolean available) {
        client.apps()
                .deployments()
                .inNamespace(namespace)
                .withName(name)
                .editStatus(
                        d -> {
                            int replicas = d.getSpec().getReplicas();
                            d.setStatus(
                                    new DeploymentStatusBuilder()
                                            .withObservedGeneration(d.getMetadata().getGeneration())
                                            .withReplicas(replicas)
                                            .withUpdatedReplicas(allUpdated ? replicas : 0)
                                            .withAvailableReplicas(
                                                    available || !allUpdated ? replicas : 0)
                                            .withReadyReplicas(replicas)
                                            .withConditions(conditions)
                                            .build());
                            return d;
                        });
    }

    private static DeploymentCondition condition(String type, String status, String reason) {
        return new DeploymentConditionBuilder()
                .withType(type)
                .withStatus(status)
                .withReason(reason)
                .withMessage(reason)
                .withLastUpdateTime("2026-01-01T00:00:00Z")
                .withLastTransitionTime("2026-01-01T00:00:00Z")
                .build();
    }
}
