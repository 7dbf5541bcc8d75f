package dev.darkfactory.operator.api.v1alpha1;

/** Where an intent stands, in one word, for {@code kubectl get intents}. */
public enum IntentPhase {
    /** Accepted, waiting for its first run. */
    Pending,
    /** The spec names something that does not exist or cannot work; see the Stalled condition. */
    Invalid,
    /** Its run waits for a free slot under the operator's concurrency cap. */
    Queued,
    /** A run generates, builds and tests. */
    Building,
    /**
     * An infrastructure failure holds its run (missing Secret, unpullable image, quota...); it
     * retries with backoff; see the Reconciling condition.
     */
    Blocked,
    /** A passing image is being rolled out. */
    RollingOut,
    /** The passing image serves. */
    Ready,
    /** The latest run failed; see the Stalled condition. */
    Failed,
    /** Frozen by spec.paused. */
    Paused
}
