package dev.darkfactory.operator.station;

/**
 * A failure a station foresaw: it ends the station with {@code reason} (one of
 * {@link dev.darkfactory.operator.contract.FailureReason}) and a message that says what to do.
 */
public class StationFailure extends Exception {

    private final String reason;

    public StationFailure(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public StationFailure(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
