package dev.darkfactory.operator.run;

import java.util.Map;

import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;

/** Metadata of the objects a run owns: deterministic name, labels, and the run as controller owner. */
final class RunObjects {

    private RunObjects() {
    }

    static ObjectMeta owned(FactoryRun run, String name, String role, int attempt) {
        var labels = new java.util.LinkedHashMap<String, String>(Map.of(
                RunNames.MANAGED_BY, RunNames.MANAGER,
                RunNames.INTENT_LABEL, run.getSpec().intentName,
                RunNames.RUN_LABEL, run.getMetadata().getName(),
                RunNames.ROLE_LABEL, role));
        if (attempt > 0) {
            labels.put(RunNames.ATTEMPT_LABEL, Integer.toString(attempt));
        }
        return new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(run.getMetadata().getNamespace())
                .withLabels(labels)
                .withOwnerReferences(new OwnerReferenceBuilder()
                        .withApiVersion(run.getApiVersion()).withKind(run.getKind())
                        .withName(run.getMetadata().getName()).withUid(run.getMetadata().getUid())
                        .withController(true).withBlockOwnerDeletion(true)
                        .build())
                .build();
    }
}
