package dev.darkfactory.operator.run;

import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.Labels;
import dev.darkfactory.operator.api.v1alpha1.OwnerReferences;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.Map;

/**
 * Metadata of the objects a run owns: deterministic name, labels, and the run as controller owner.
 */
final class RunObjects {

    private RunObjects() {}

    static ObjectMeta owned(FactoryRun run, String name, String role, int attempt) {
        var labels =
                new java.util.LinkedHashMap<String, String>(
                        Map.of(
                                Labels.MANAGED_BY,
                                Labels.MANAGER,
                                Labels.INTENT,
                                run.getSpec().intentName,
                                Labels.RUN,
                                run.getMetadata().getName(),
                                Labels.ROLE,
                                role));
        if (attempt > 0) {
            labels.put(Labels.ATTEMPT, Integer.toString(attempt));
        }
        return new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(run.getMetadata().getNamespace())
                .withLabels(labels)
                .withOwnerReferences(OwnerReferences.controlledBy(run))
                .build();
    }
}
