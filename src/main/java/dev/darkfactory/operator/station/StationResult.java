package dev.darkfactory.operator.station;

import dev.darkfactory.operator.contract.StationOutcome;

/** What a station leaves behind: the document for its termination message and its exit code. */
public record StationResult(Object terminationMessage, int exitCode) {

    public static StationResult success(StationOutcome outcome) {
        return new StationResult(outcome, 0);
    }
}
