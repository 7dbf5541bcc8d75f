package dev.darkfactory.operator.workload;

import dev.darkfactory.operator.api.v1alpha1.ComputeResources;
import dev.darkfactory.operator.api.v1alpha1.ResourceAmounts;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.util.HashMap;
import java.util.Map;

/**
 * Container resources from the API's CPU and memory amounts, with defaults where none are given.
 */
public final class Resources {

    private Resources() {}

    public static ResourceRequirements of(ComputeResources given, ComputeResources defaults) {
        ComputeResources source = given != null ? given : defaults;
        return new ResourceRequirementsBuilder()
                .withRequests(amounts(source.requests))
                .withLimits(amounts(source.limits))
                .build();
    }

    private static Map<String, Quantity> amounts(ResourceAmounts amounts) {
        Map<String, Quantity> result = new HashMap<>();
        if (amounts != null) {
            if (amounts.cpu != null) {
                result.put("cpu", new Quantity(amounts.cpu));
            }
            if (amounts.memory != null) {
                result.put("memory", new Quantity(amounts.memory));
            }
        }
        return result;
    }

    public static ComputeResources limits(String cpuRequest, String memory) {
        return new ComputeResources(
                new ResourceAmounts(cpuRequest, memory), new ResourceAmounts(null, memory));
    }
}
