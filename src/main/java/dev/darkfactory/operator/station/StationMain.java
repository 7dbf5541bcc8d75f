package dev.darkfactory.operator.station;

import dev.darkfactory.operator.contract.StationContract.Env;
import dev.darkfactory.operator.contract.StationOutcome;
import dev.darkfactory.operator.station.build.BuildStation;
import dev.darkfactory.operator.station.generate.OpenAiGeneratorStation;
import dev.darkfactory.operator.station.prepare.PrepareStation;
import dev.darkfactory.operator.station.report.ReportStation;
import dev.darkfactory.operator.station.test.TesterStation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Entry point of {@code /deployments/station <name>}. Plain Java on purpose: a station must start
 * in well under a second and needs neither Quarkus nor the Kubernetes API. Every station leaves its
 * outcome as JSON in the termination-message file (also printed on stdout, for the logs) and exits
 * non-zero when it failed.
 */
public final class StationMain {

    public static final String TERMINATION_LOG = Env.TERMINATION_LOG;
    static final String DEFAULT_TERMINATION_LOG = "/dev/termination-log";
    static final int EXIT_USAGE = 64;

    private static final Map<String, Supplier<Station>> STATIONS =
            Map.of(
                    "prepare", PrepareStation::new,
                    "generate-openai", OpenAiGeneratorStation::new,
                    "build", BuildStation::new,
                    "test", TesterStation::new,
                    "report", ReportStation::new);

    private StationMain() {}

    public static void main(String[] args) {
        System.exit(run(args, StationEnvironment.ofProcess()));
    }

    public static int run(String[] args, StationEnvironment env) {
        if (args.length != 1 || !STATIONS.containsKey(args[0])) {
            System.err.println("usage: station prepare|generate-openai|build|test|report");
            return EXIT_USAGE;
        }
        StationResult result = runReportingFailures(STATIONS.get(args[0]).get(), env);
        Path terminationLog = env.path(TERMINATION_LOG, DEFAULT_TERMINATION_LOG);
        try {
            // Also on stdout: with FallbackToLogsOnError the kubelet takes the logs when the file
            // stays empty.
            System.out.println(
                    TerminationMessage.write(terminationLog, result.terminationMessage()));
        } catch (IOException e) {
            System.err.println(
                    "could not write the termination message to "
                            + terminationLog
                            + ": "
                            + Errors.describe(e));
        }
        return result.exitCode();
    }

    private static StationResult runReportingFailures(Station station, StationEnvironment env) {
        try {
            return station.run(env);
        } catch (StationFailure failure) {
            return failed(station, failure.reason(), failure.getMessage(), failure.tokens());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(station, station.failureReason(), "interrupted", null);
        } catch (Exception | LinkageError e) {
            return failed(station, station.failureReason(), Errors.describe(e), null);
        }
    }

    private static StationResult failed(
            Station station, String reason, String message, Long tokens) {
        System.err.println(station.name() + " failed (" + reason + "): " + message);
        return new StationResult(
                StationOutcome.failure(station.name(), reason, message).withTokens(tokens),
                station.failureExitCode());
    }
}
