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
    /** The registry refused or could not be reached. */
    PushFailed,
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
    /** A pod ran past the attempt deadline (budget.attemptTimeout). */
    DeadlineExceeded,
    /** A container ran out of memory. */
    OOMKilled,
    /** The kubelet evicted a pod. */
    PodEvicted,
    /** A pod of the attempt was deleted before it finished. */
    PodDeleted,
    /** Every attempt of budget.maxAttempts failed. */
    MaxAttemptsExhausted,
    /** The generators reported more tokens than budget.maxTokens. */
    TokenBudgetExhausted,
    /** A newer generation of the intent superseded the run. */
    Cancelled,
    /** The passing image did not become Available in time and was rolled back. */
    RolloutFailed
}
