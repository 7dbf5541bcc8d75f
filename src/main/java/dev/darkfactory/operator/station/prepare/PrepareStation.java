package dev.darkfactory.operator.station.prepare;

import com.google.cloud.tools.jib.api.ImageReference;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntentSpec;
import dev.darkfactory.operator.contract.FailureReason;
import dev.darkfactory.operator.contract.Feedback;
import dev.darkfactory.operator.contract.StationContract.Env;
import dev.darkfactory.operator.contract.StationContract.Keys;
import dev.darkfactory.operator.contract.StationContract.Paths;
import dev.darkfactory.operator.contract.StationOutcome;
import dev.darkfactory.operator.contract.VisibleIntent;
import dev.darkfactory.operator.station.Errors;
import dev.darkfactory.operator.station.Json;
import dev.darkfactory.operator.station.Station;
import dev.darkfactory.operator.station.StationEnvironment;
import dev.darkfactory.operator.station.StationFailure;
import dev.darkfactory.operator.station.StationResult;
import dev.darkfactory.operator.station.Workspace;
import dev.darkfactory.operator.station.build.BuildStation;
import dev.darkfactory.operator.station.registry.RegistryAccess;
import dev.darkfactory.operator.station.registry.SourceArchive;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code station prepare}: turns the operator's input ConfigMap into the generator's workspace:
 * prompt.md, the visible intent, the feedback and the attempt number in {@code
 * /workspace/.darkfactory}, and the previous attempt's source, pulled from the registry, in {@code
 * /workspace/src}.
 */
public final class PrepareStation implements Station {

    /** Where the input ConfigMap is mounted. */
    public static final String INPUT_DIR = Env.INPUT_DIR;

    @Override
    public String name() {
        return "prepare";
    }

    @Override
    public String failureReason() {
        return FailureReason.PrepareFailed.name();
    }

    @Override
    public StationResult run(StationEnvironment env) throws Exception {
        Path input = env.path(INPUT_DIR, Paths.INPUT_DIR);
        Workspace workspace = Workspace.from(env);

        SoftwareIntentSpec visible =
                Json.read(input.resolve(Keys.INTENT), VisibleIntent.class)
                        .withoutHeldOutChecks()
                        .toSpec();
        Feedback feedback =
                Files.exists(input.resolve(Keys.FEEDBACK))
                        ? Json.read(input.resolve(Keys.FEEDBACK), Feedback.class)
                        : null;
        int attempt = attempt(input.resolve(Keys.ATTEMPT));

        Json.write(workspace.intent(), visible);
        if (feedback != null) {
            Json.write(workspace.feedback(), feedback);
        }
        Files.writeString(workspace.attempt(), Integer.toString(attempt));
        List<String> allowedBaseImages = env.list(BuildStation.ALLOWED_BASE_IMAGES);
        Files.writeString(
                workspace.prompt(),
                PromptWriter.prompt(visible, feedback, attempt, allowedBaseImages));

        Files.createDirectories(workspace.source());
        Path previousSource = input.resolve(Keys.PREVIOUS_SOURCE);
        if (Files.exists(previousSource)) {
            String reference = Files.readString(previousSource).strip();
            try {
                SourceArchive.restore(
                        ImageReference.parse(reference),
                        workspace.source(),
                        RegistryAccess.from(env));
            } catch (StationFailure unsafe) {
                throw new StationFailure(
                        unsafe.reason(),
                        "the previous source "
                                + reference
                                + " was not restored: "
                                + unsafe.getMessage());
            } catch (Exception e) {
                throw new StationFailure(
                        FailureReason.PrepareFailed.name(),
                        "could not restore the previous source from "
                                + reference
                                + ": "
                                + Errors.describe(e),
                        e);
            }
            System.err.println("prepare: restored the previous source from " + reference);
        }
        return StationResult.success(
                new StationOutcome(
                        name(),
                        true,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        workspace.sourceFileCount()));
    }

    private static int attempt(Path file) throws IOException, StationFailure {
        String text = Files.exists(file) ? Files.readString(file).strip() : "1";
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new StationFailure(
                    FailureReason.PrepareFailed.name(),
                    file + " holds '" + text + "', not an attempt number");
        }
    }
}
