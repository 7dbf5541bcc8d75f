package dev.darkfactory.operator.contract;

/**
 * Why an attempt or a run failed. The names are the {@code reason} of attempt records, run status
 * and Warning Events; docs/failure-reasons.md explains each one and what to do.
 */
public enum FailureReason {
    /** The prepare station could not write the inputs or restore the previous source. */
    PrepareFailed,
    /** The generator container exited non-zero. */
    GeneratorFailed,
    /** The generator left no darkfactory-app.json in /workspace/src. */
    NoAppManifest,
    /** The app manifest names a base image outside the allow-list. */
    BaseImageNotAllowed,
    /**
     * The source holds something other than regular files and directories (a symbolic link, a hard
     * link, a device, a FIFO, a socket) or a path that leaves the source directory; the message
     * names the path. Nothing was pushed.
     */
    UnsafeSource,
    /** The image could not be assembled from the workspace. */
    BuildFailed,
    /** The registry refused or could not be reached: infrastructure. */
    PushFailed(true),
    /** The report station could not summarise the generator pod. */
    ReportFailed,
    /** The app never answered its health path within the tester's wait. */
    AppNeverHealthy,
    /** Visible acceptance checks failed. */
    ChecksFailed,
    /** Every visible check passed but held-out checks failed. */
    HeldOutChecksFailed,
    /** The tester container failed without a readable report. */
    TesterFailed,
    /**
     * With more than one trial: the share of trials in which every check and scenario passed
     * (satisfaction) cannot reach acceptance.minSatisfaction; the message names the satisfaction
     * and the trial that failed.
     */
    SatisfactionBelowMinimum,
    /** A pod ran past the attempt deadline (budget.attemptTimeout). */
    DeadlineExceeded,
    /** A container ran out of memory. */
    OOMKilled,
    /** The node evicted or preempted a pod, or was lost or shut down under it: infrastructure. */
    PodEvicted(true),
    /**
     * A pod of the attempt was deleted before it finished (node lost, preemption): infrastructure.
     */
    PodDeleted(true),
    /**
     * A container could not start because a Secret, ConfigMap or key it names is missing
     * (CreateContainerConfigError): infrastructure; the message names what is missing.
     */
    ConfigMissing(true),
    /**
     * An image (station, generator, app or tester) could not be pulled or is not a valid name:
     * infrastructure; the message names the image.
     */
    ImagePullFailed(true),
    /** The scheduler found no node for a pod: infrastructure; the message is the scheduler's. */
    Unschedulable(true),
    /** A ResourceQuota refused the pod: infrastructure; the message names the quota. */
    QuotaExceeded(true),
    /**
     * The API server refused the pod for another reason (a LimitRange, an admission policy, missing
     * permission): infrastructure; the message is the API server's.
     */
    PodForbidden(true),
    /**
     * The model endpoint did not answer (unreachable, timing out, 408/429/5xx through all the
     * generator's own retries) or refused the API key (401/403): infrastructure.
     */
    ModelUnavailable(true),
    /** Every attempt of budget.maxAttempts failed. */
    MaxAttemptsExhausted,
    /**
     * The run used more tokens than budget.maxTokens (as the gateway counted them, or the
     * generators reported them without a gateway), or the gateway refused a call for it.
     */
    TokenBudgetExhausted,
    /**
     * The run's model calls cost more than budget.maxCost, or the gateway refused a call for it.
     */
    CostBudgetExhausted,
    /** A newer generation of the intent superseded the run. */
    Cancelled,
    /** The passing image did not become Available in time and was rolled back. */
    RolloutFailed,
    /**
     * The run is not controlled by a live SoftwareIntent (made by a user, or left by an intent of
     * the same name that was deleted): it never runs a pod.
     */
    InvalidRun,
    /**
     * An object the run needs exists under its deterministic name but is not the run's (another
     * controller, or other content): the operator neither uses nor overwrites it.
     */
    ForeignObject,
    /**
     * An object the run needs exists under its deterministic name, left by an earlier run of the
     * same name that was deleted (its controller is a FactoryRun of this name with another UID):
     * infrastructure; the run waits for the garbage collector to delete it.
     */
    LeftoverObject(true);

    private final boolean infrastructure;

    FailureReason() {
        this(false);
    }

    FailureReason(boolean infrastructure) {
        this.infrastructure = infrastructure;
    }

    /**
     * Whether the failure is the cluster's, not the generated code's: it is retried with backoff,
     * never charged as an attempt and never fed back to the generator.
     */
    public boolean infrastructure() {
        return infrastructure;
    }
}
