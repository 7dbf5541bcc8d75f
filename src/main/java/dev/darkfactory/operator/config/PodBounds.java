package dev.darkfactory.operator.config;

import dev.darkfactory.operator.api.v1alpha1.Validation;
import io.fabric8.kubernetes.api.model.Quantity;

/**
 * The resource bounds every pod the operator makes carries ({@code darkfactory.pods.*}): a CPU
 * limit on every container, ephemeral-storage requests and limits on every container, and a
 * sizeLimit on every emptyDir. Without them a ResourceQuota on {@code limits.cpu} or {@code
 * limits.ephemeral-storage} rejects the pods, and one run can take a node's CPU or fill its disk
 * until the kubelet evicts other tenants' pods.
 */
public record PodBounds(
        Quantity stationCpuLimit,
        Quantity appCpuLimit,
        Quantity ephemeralStorageRequest,
        Quantity ephemeralStorageLimit,
        Quantity workspaceSizeLimit) {

    public PodBounds {
        if (ephemeralStorageRequest.compareTo(ephemeralStorageLimit) > 0) {
            throw new IllegalArgumentException(
                    "darkfactory.pods.ephemeral-storage-request ("
                            + ephemeralStorageRequest
                            + ") is above darkfactory.pods.ephemeral-storage-limit ("
                            + ephemeralStorageLimit
                            + ")");
        }
    }

    /** The operator's darkfactory.pods.* settings; a malformed one is named. */
    public static PodBounds of(FactoryConfig config) {
        FactoryConfig.Pods pods = config.pods();
        return new PodBounds(
                quantity("station-cpu-limit", pods.stationCpuLimit()),
                quantity("app-cpu-limit", pods.appCpuLimit()),
                quantity("ephemeral-storage-request", pods.ephemeralStorageRequest()),
                quantity("ephemeral-storage-limit", pods.ephemeralStorageLimit()),
                quantity("workspace-size-limit", pods.workspaceSizeLimit()));
    }

    /**
     * The ephemeral-storage limit of a container that mounts the workspace. The kubelet counts a
     * pod's emptyDirs against the sum of its containers' limits, so without the workspace's size on
     * top a full workspace would get the pod evicted before its own sizeLimit is reached.
     */
    public Quantity ephemeralStorageLimitWithWorkspace() {
        return ephemeralStorageLimit.add(workspaceSizeLimit);
    }

    private static Quantity quantity(String setting, String value) {
        if (value == null || !value.matches(Validation.QUANTITY)) {
            throw new IllegalArgumentException(
                    "darkfactory.pods."
                            + setting
                            + " must be a Kubernetes quantity such as 500m, 1 or 2Gi, got '"
                            + value
                            + "'");
        }
        return new Quantity(value);
    }
}
