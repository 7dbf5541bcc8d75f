package dev.darkfactory.operator.station;

/**
 * A failure a station foresaw: it ends the station with {@code reason} (one of {@link
 * dev.darkfactory.operator.contract.FailureReason}) and a message that says what to do.
 */
public class StationFailure extends Exception {

    private final String reason;
    private Long tokens;

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

    /**
     * Tokens spent before the failure, so they count against the budget too; {@code null} when
     * unknown.
     */
    public Long tokens() {
        return tokens;
    }

    public StationFailure withTokens(Long spent) {
        this.tokens = spent;
        return this;
    }
}
