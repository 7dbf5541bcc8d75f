package dev.darkfactory.operator.api.v1alpha1;

/** Lifecycle of a FactoryRun. Succeeded, Failed and Cancelled are final. */
public enum RunPhase {
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled;

    public boolean isFinal() {
        return this == Succeeded || this == Failed || this == Cancelled;
    }
}
