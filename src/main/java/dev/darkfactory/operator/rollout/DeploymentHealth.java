package dev.darkfactory.operator.rollout;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import java.util.Objects;

/**
 * What the Deployment controller reported, read the way {@code kubectl rollout status} reads it.
 */
public final class DeploymentHealth {

    private DeploymentHealth() {}

    /** The image of the app container in the Deployment's pod template. */
    public static String image(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(c -> ServingResources.APP_CONTAINER.equals(c.getName()))
                .map(c -> c.getImage())
                .findFirst()
                .orElse(null);
    }

    /** The Deployment says it has minimum availability. */
    public static boolean available(Deployment deployment) {
        return deployment != null && condition(deployment, "Available", "True");
    }

    /** Every replica runs {@code image}, is available, and no old replica remains. */
    public static boolean rolledOut(Deployment deployment, String image) {
        if (deployment == null
                || deployment.getStatus() == null
                || !Objects.equals(image(deployment), image)) {
            return false;
        }
        var status = deployment.getStatus();
        int wanted =
                deployment.getSpec().getReplicas() == null ? 1 : deployment.getSpec().getReplicas();
        return observedCurrent(deployment)
                && count(status.getUpdatedReplicas()) >= wanted
                && count(status.getAvailableReplicas()) >= wanted
                && count(status.getReplicas()) == count(status.getUpdatedReplicas());
    }

    /**
     * The Deployment controller gave up on the current template: Progressing=False with
     * ProgressDeadlineExceeded, reported for the Deployment's current generation (a verdict on an
     * older template says nothing about the one just applied).
     */
    public static boolean progressDeadlineExceeded(Deployment deployment) {
        return deployment != null
                && deployment.getStatus() != null
                && observedCurrent(deployment)
                && deployment.getStatus().getConditions().stream()
                        .anyMatch(
                                c ->
                                        "Progressing".equals(c.getType())
                                                && "False".equals(c.getStatus())
                                                && "ProgressDeadlineExceeded"
                                                        .equals(c.getReason()));
    }

    private static boolean observedCurrent(Deployment deployment) {
        Long observed = deployment.getStatus().getObservedGeneration();
        return observed != null && observed >= deployment.getMetadata().getGeneration();
    }

    private static boolean condition(Deployment deployment, String type, String status) {
        if (deployment.getStatus() == null) {
            return false;
        }
        for (DeploymentCondition c : deployment.getStatus().getConditions()) {
            if (type.equals(c.getType())) {
                return status.equals(c.getStatus());
            }
        }
        return false;
    }

    private static int count(Integer value) {
        return value == null ? 0 : value;
    }
}
