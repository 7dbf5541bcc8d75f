package dev.darkfactory.operator.api.v1alpha1;

/**
 * Lifecycle of a FactoryRun. Succeeded, Failed and Cancelled are final. Blocked: an infrastructure
 * failure holds the run; it gave up its slot and retries at {@code status.retryAt}.
 */
public enum RunPhase {
    Queued,
    Running,
    Blocked,
    Succeeded,
    Failed,
    Cancelled;

    public boolean isFinal() {
        return this == Succeeded || this == Failed || this == Cancelled;
    }
}
