package dev.darkfactory.operator.station;

/** One sub-command of {@code /deployments/station}. */
public interface Station {

    /** The station's name in its {@link dev.darkfactory.operator.contract.StationOutcome}. */
    String name();

    /** The reason recorded when the station fails in a way it did not foresee. */
    String failureReason();

    /**
     * The exit code of any failure; the tester's contract reserves 1 and 2 for verdicts on the app.
     */
    default int failureExitCode() {
        return 1;
    }

    StationResult run(StationEnvironment env) throws Exception;
}
