package dev.darkfactory.operator.run;

import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.Labels;
import dev.darkfactory.operator.api.v1alpha1.OwnerReferences;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The objects a run owns: their metadata (deterministic name, labels, the run as controller owner)
 * and how they are made under that name.
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

    /** How often an object deleted between a conflicting create and the look is made again. */
    static final int CREATES = 3;

    /**
     * Creates an object under its deterministic name. One that exists already is kept only when it
     * is the run's own (an earlier reconcile made it: controller by UID, same content); one an
     * earlier run of the same name left blocks the run until the garbage collector deletes it
     * ({@link LeftoverObjectException}); anything else fails the run naming it ({@link
     * ForeignObjectException}). One that is gone by the time it is looked at (the garbage collector
     * deleted a leftover between the two calls) is created again: keeping nothing would start a pod
     * whose input does not exist. Returns the created object, or null when the run's own existed.
     */
    static <T extends HasMetadata> T createOrKeep(
            FactoryRun run, T object, Supplier<T> create, Supplier<HasMetadata> read) {
        for (int creates = 1; ; creates++) {
            try {
                return create.get();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
                HasMetadata existing = read.get();
                if (existing == null) {
                    if (creates < CREATES) {
                        continue;
                    }
                    throw e;
                }
                RunOwnership.Existing found = RunOwnership.existing(existing, object, run);
                return switch (found.found()) {
                    case OWN -> null;
                    case LEFTOVER -> throw new LeftoverObjectException(found.message());
                    case FOREIGN -> throw new ForeignObjectException(found.message());
                };
            }
        }
    }

    /** An object under a run's name that is not the run's own. */
    static final class ForeignObjectException extends RuntimeException {
        ForeignObjectException(String message) {
            super(message);
        }
    }

    /** An object under a run's name that an earlier run of the same name left. */
    static final class LeftoverObjectException extends RuntimeException {
        LeftoverObjectException(String message) {
            super(message);
        }
    }
}
