package dev.darkfactory.operator.run;

import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import java.util.Comparator;

/**
 * The order of an intent's runs, oldest first: by intent generation, then creation (whole seconds),
 * then name.
 */
public final class RunOrder {

    public static final Comparator<FactoryRun> OLDEST_FIRST =
            Comparator.comparing((FactoryRun r) -> r.getSpec().intentGeneration)
                    .thenComparing(
                            r ->
                                    r.getMetadata().getCreationTimestamp() == null
                                            ? "~"
                                            : r.getMetadata().getCreationTimestamp())
                    .thenComparing(r -> r.getMetadata().getName());

    public static final Comparator<FactoryRun> NEWEST_FIRST = OLDEST_FIRST.reversed();

    private RunOrder() {}
}
