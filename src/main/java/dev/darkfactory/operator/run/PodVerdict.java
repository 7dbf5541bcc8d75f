package dev.darkfactory.operator.run;

import dev.darkfactory.operator.contract.FailureReason;
import dev.darkfactory.operator.contract.StationOutcome;
import dev.darkfactory.operator.contract.TestReport;

/**
 * What a finished pod says about its attempt: passed, or failed with a reason, a message a user can
 * act on, and the pod and container at fault. The station output is kept for the record.
 */
public record PodVerdict(
        boolean passed,
        FailureReason reason,
        String message,
        String pod,
        String container,
        StationOutcome outcome,
        TestReport report) {

    static PodVerdict failed(FailureReason reason, String message, String pod, String container) {
        return new PodVerdict(false, reason, message, pod, container, null, null);
    }
}
