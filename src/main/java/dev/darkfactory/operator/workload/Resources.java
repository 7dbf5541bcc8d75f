package dev.darkfactory.operator.workload;

import dev.darkfactory.operator.api.v1alpha1.ComputeResources;
import dev.darkfactory.operator.api.v1alpha1.ResourceAmounts;
import dev.darkfactory.operator.config.PodBounds;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.util.HashMap;
import java.util.Map;

/**
 * Container resources: the API's CPU and memory amounts, or the operator's defaults where none are
 * given, completed with the bounds every container the operator makes carries (config/PodBounds): a
 * CPU and a memory limit, and an ephemeral-storage request and limit. The defaults live here only,
 * so the app under test and the served app get the same ones.
 */
public final class Resources {

    static final String CPU = "cpu";
    static final String MEMORY = "memory";
    static final String EPHEMERAL_STORAGE = "ephemeral-storage";

    private Resources() {}

    /** A station container (prepare, build, report, tester) or a generator: 100m, 512Mi. */
    public static ResourceRequirements station(ComputeResources given, PodBounds bounds) {
        return bounded(
                given,
                limits("100m", "512Mi"),
                bounds.stationCpuLimit(),
                bounds.ephemeralStorageRequest(),
                bounds.ephemeralStorageLimit());
    }

    /** A station container that mounts the generator pod's workspace (PodBounds explains why). */
    public static ResourceRequirements stationOnWorkspace(
            ComputeResources given, PodBounds bounds) {
        return bounded(
                given,
                limits("100m", "512Mi"),
                bounds.stationCpuLimit(),
                bounds.ephemeralStorageRequest(),
                bounds.ephemeralStorageLimitWithWorkspace());
    }

    /** The app, under test and served: spec.serve.resources, by default 100m and 256Mi. */
    public static ResourceRequirements app(ComputeResources given, PodBounds bounds) {
        return bounded(
                given,
                limits("100m", "256Mi"),
                bounds.appCpuLimit(),
                bounds.ephemeralStorageRequest(),
                bounds.ephemeralStorageLimit());
    }

    /**
     * {@code given} (or {@code defaults}) with the limits it lacks: a CPU limit, the default memory
     * limit, never below what is requested (a limit under the request makes the pod invalid), and
     * the ephemeral-storage request and limit.
     */
    static ResourceRequirements bounded(
            ComputeResources given,
            ComputeResources defaults,
            Quantity cpuLimit,
            Quantity storageRequest,
            Quantity storageLimit) {
        ComputeResources source = given != null ? given : defaults;
        Map<String, Quantity> requests = amounts(source.requests);
        Map<String, Quantity> limits = amounts(source.limits);
        limits.putIfAbsent(CPU, atLeast(cpuLimit, requests.get(CPU)));
        limits.putIfAbsent(
                MEMORY, atLeast(new Quantity(defaults.limits.memory), requests.get(MEMORY)));
        requests.put(EPHEMERAL_STORAGE, storageRequest);
        limits.put(EPHEMERAL_STORAGE, storageLimit);
        return new ResourceRequirementsBuilder().withRequests(requests).withLimits(limits).build();
    }

    private static Quantity atLeast(Quantity limit, Quantity request) {
        return request != null && request.compareTo(limit) > 0 ? request : limit;
    }

    private static Map<String, Quantity> amounts(ResourceAmounts amounts) {
        Map<String, Quantity> result = new HashMap<>();
        if (amounts != null) {
            if (amounts.cpu != null) {
                result.put(CPU, new Quantity(amounts.cpu));
            }
            if (amounts.memory != null) {
                result.put(MEMORY, new Quantity(amounts.memory));
            }
        }
        return result;
    }

    /** Requests {@code cpuRequest} and {@code memory}; limits memory to the same. */
    private static ComputeResources limits(String cpuRequest, String memory) {
        return new ComputeResources(
                new ResourceAmounts(cpuRequest, memory), new ResourceAmounts(null, memory));
    }
}
