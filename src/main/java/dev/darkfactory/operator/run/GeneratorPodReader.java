package dev.darkfactory.operator.run;

import dev.darkfactory.operator.contract.FailureReason;
import dev.darkfactory.operator.contract.StationOutcome;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Optional;

/**
 * Reads the generator pod: the stations run as init containers in order, so the first one that
 * terminated non-zero is at fault; when all succeeded, the report container's termination message
 * is the outcome. Empty while the pod still works.
 */
public final class GeneratorPodReader {

    public static final String PREPARE = "prepare";
    public static final String GENERATE = "generate";
    public static final String BUILD = "build";
    public static final String REPORT = "report";
    static final List<String> STATIONS = List.of(PREPARE, GENERATE, BUILD, REPORT);

    private GeneratorPodReader() {}

    public static Optional<PodVerdict> read(Pod pod) {
        String name = pod.getMetadata().getName();
        for (String station : STATIONS) {
            Optional<ContainerStateTerminated> state = PodStatuses.terminated(pod, station);
            if (state.isEmpty()) {
                return PodStatuses.podLevelFailure(pod, station);
            }
            if (state.get().getExitCode() != 0) {
                return Optional.of(failure(name, station, state.get()));
            }
        }
        ContainerStateTerminated report = PodStatuses.terminated(pod, REPORT).orElseThrow();
        return Optional.of(
                PodStatuses.parse(report, StationOutcome.class)
                        .map(
                                outcome ->
                                        outcome.ok() && outcome.image() != null
                                                ? new PodVerdict(
                                                        true,
                                                        null,
                                                        "built " + outcome.image(),
                                                        name,
                                                        REPORT,
                                                        outcome,
                                                        null)
                                                : PodVerdict.failed(
                                                        reasonOf(
                                                                outcome,
                                                                FailureReason.ReportFailed),
                                                        outcome.message(),
                                                        name,
                                                        REPORT))
                        .orElseGet(
                                () ->
                                        PodVerdict.failed(
                                                FailureReason.ReportFailed,
                                                "the report station left no JSON outcome: "
                                                        + PodStatuses.shortMessage(
                                                                report.getMessage()),
                                                name,
                                                REPORT)));
    }

    private static PodVerdict failure(String pod, String station, ContainerStateTerminated state) {
        if (PodStatuses.oomKilled(state)) {
            return PodVerdict.failed(
                    FailureReason.OOMKilled,
                    "container "
                            + station
                            + " of pod "
                            + pod
                            + " ran out of memory; raise its memory limit",
                    pod,
                    station);
        }
        Optional<StationOutcome> outcome = PodStatuses.parse(state, StationOutcome.class);
        FailureReason fallback =
                switch (station) {
                    case PREPARE -> FailureReason.PrepareFailed;
                    case GENERATE -> FailureReason.GeneratorFailed;
                    case BUILD -> FailureReason.BuildFailed;
                    default -> FailureReason.ReportFailed;
                };
        String message =
                outcome.map(StationOutcome::message)
                        .orElseGet(
                                () ->
                                        "container "
                                                + station
                                                + " exited with code "
                                                + state.getExitCode()
                                                + ": "
                                                + PodStatuses.shortMessage(state.getMessage()));
        // The outcome travels with the failure: a failed station still reports the tokens spent.
        return new PodVerdict(
                false,
                outcome.map(o -> reasonOf(o, fallback)).orElse(fallback),
                message,
                pod,
                station,
                outcome.orElse(null),
                null);
    }

    private static FailureReason reasonOf(StationOutcome outcome, FailureReason fallback) {
        try {
            return outcome.reason() == null ? fallback : FailureReason.valueOf(outcome.reason());
        } catch (IllegalArgumentException unknown) {
            return fallback;
        }
    }
}
