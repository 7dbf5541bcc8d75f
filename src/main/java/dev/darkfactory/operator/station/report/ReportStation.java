package dev.darkfactory.operator.station.report;

import dev.darkfactory.operator.contract.FailureReason;
import dev.darkfactory.operator.contract.StationOutcome;
import dev.darkfactory.operator.station.GeneratorUsage;
import dev.darkfactory.operator.station.Json;
import dev.darkfactory.operator.station.Station;
import dev.darkfactory.operator.station.StationEnvironment;
import dev.darkfactory.operator.station.StationFailure;
import dev.darkfactory.operator.station.StationResult;
import dev.darkfactory.operator.station.Workspace;
import java.nio.file.Files;

/**
 * {@code station report}: the last container of the generator pod. It runs only when every station
 * before it succeeded and gathers their outcomes (image digests, tokens, file count) into the one
 * termination message the operator reads. Tokens a generator did not report, or reported as
 * nonsense, are left out: unknown, never zero.
 */
public final class ReportStation implements Station {

    @Override
    public String name() {
        return "report";
    }

    @Override
    public String failureReason() {
        return FailureReason.ReportFailed.name();
    }

    @Override
    public StationResult run(StationEnvironment env) throws Exception {
        Workspace workspace = Workspace.from(env);
        if (!Files.exists(workspace.buildOutcome())) {
            throw new StationFailure(
                    FailureReason.ReportFailed.name(),
                    workspace.buildOutcome() + " is missing: build did not run");
        }
        StationOutcome build = Json.read(workspace.buildOutcome(), StationOutcome.class);
        if (!build.ok()) {
            throw new StationFailure(
                    FailureReason.ReportFailed.name(),
                    "build failed (" + build.reason() + "): " + build.message());
        }
        Long tokens = GeneratorUsage.tokens(workspace).orElse(null);
        return StationResult.success(
                new StationOutcome(
                        name(),
                        true,
                        null,
                        null,
                        build.image(),
                        build.sourceImage(),
                        build.port(),
                        tokens,
                        workspace.sourceFileCount(),
                        build.baseImage()));
    }
}
