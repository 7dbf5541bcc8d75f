package dev.darkfactory.operator.station.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

import dev.darkfactory.operator.contract.StationOutcome;
import dev.darkfactory.operator.contract.FailureReason;
import dev.darkfactory.operator.contract.Usage;
import dev.darkfactory.operator.station.Json;
import dev.darkfactory.operator.station.SourcePaths;
import dev.darkfactory.operator.station.Station;
import dev.darkfactory.operator.station.StationEnvironment;
import dev.darkfactory.operator.station.StationFailure;
import dev.darkfactory.operator.station.StationResult;
import dev.darkfactory.operator.station.Workspace;

/**
 * {@code station report}: the last container of the generator pod. It runs only when every
 * station before it succeeded and gathers their outcomes (image digests, tokens, file count) into
 * the one termination message the operator reads. Tokens a generator did not report, or reported
 * as nonsense, are left out: unknown, never zero.
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
            throw new StationFailure(FailureReason.ReportFailed.name(), workspace.buildOutcome() + " is missing: build did not run");
        }
        StationOutcome build = Json.read(workspace.buildOutcome(), StationOutcome.class);
        if (!build.ok()) {
            throw new StationFailure(FailureReason.ReportFailed.name(), "build failed (" + build.reason() + "): " + build.message());
        }
        Long tokens = tokens(workspace).orElse(null);
        return StationResult.success(new StationOutcome(name(), true, null, null, build.image(), build.sourceImage(),
                build.port(), tokens, workspace.sourceFileCount(), build.baseImage()));
    }

    /** The generator's usage.json, read only when it is a plain file the generator wrote (not a link). */
    static Optional<Long> tokens(Workspace workspace) throws IOException {
        Path file = workspace.usage();
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            System.err.println("report: warning: the generator reported no token usage (" + file + "); tokens are unknown");
            return Optional.empty();
        }
        try {
            SourcePaths.requireNoLinkOnTheWay(workspace.root(), file);
        } catch (SourcePaths.UnsafePath e) {
            System.err.println("report: warning: usage.json is not read: " + e.getMessage() + "; tokens are unknown");
            return Optional.empty();
        }
        Usage usage;
        try {
            usage = Json.read(file, Usage.class);
        } catch (IOException e) {
            // Not the parser's message: it quotes the file, and the file is the generator's.
            System.err.println("report: warning: usage.json is not the JSON object of docs/generators.md; tokens are unknown");
            return Optional.empty();
        }
        Optional<Long> total = usage.knownTotal();
        if (total.isEmpty()) {
            System.err.println("report: warning: usage.json holds no usable token count (missing or negative); tokens are unknown");
        }
        return total;
    }
}
