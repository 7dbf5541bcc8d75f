package dev.darkfactory.operator.station.build;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.darkfactory.operator.contract.AppManifest;
import dev.darkfactory.operator.contract.FailureReason;
import dev.darkfactory.operator.station.Json;
import dev.darkfactory.operator.station.SourcePaths;
import dev.darkfactory.operator.station.StationFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Reads the app manifest and checks it, naming every field at fault. */
final class AppManifests {

    /**
     * A numeric user id other than 0, optionally with a numeric group: the pod runs as non-root.
     */
    private static final Pattern NON_ROOT_USER = Pattern.compile("[1-9][0-9]*(:[0-9]+)?");

    private AppManifests() {}

    static AppManifest read(Path file, Path sourceDir) throws StationFailure, IOException {
        if (!Files.exists(file)) {
            throw invalid("the generator left no app manifest at " + file);
        }
        AppManifest manifest;
        try {
            manifest = Json.read(file, AppManifest.class);
        } catch (JsonProcessingException e) {
            throw invalid(file.getFileName() + " is not valid JSON: " + e.getOriginalMessage());
        }
        List<String> problems = problems(manifest, sourceDir);
        if (!problems.isEmpty()) {
            throw invalid(file.getFileName() + ": " + String.join("; ", problems));
        }
        return manifest;
    }

    private static List<String> problems(AppManifest manifest, Path sourceDir) {
        List<String> problems = new ArrayList<>();
        if (manifest.baseImage() == null || manifest.baseImage().isBlank()) {
            problems.add("baseImage is required");
        }
        if (manifest.entrypoint() == null || manifest.entrypoint().isEmpty()) {
            problems.add("entrypoint is required");
        }
        if (manifest.workingDirectory() != null && !manifest.workingDirectory().startsWith("/")) {
            problems.add("workingDirectory must be an absolute path");
        }
        if (manifest.port() != null && (manifest.port() < 1 || manifest.port() > 65535)) {
            problems.add("port must be between 1 and 65535");
        }
        if (manifest.user() != null && !NON_ROOT_USER.matcher(manifest.user()).matches()) {
            problems.add("user must be a numeric non-root user id such as 65532");
        }
        if (manifest.files() != null) {
            for (AppManifest.FileCopy copy : manifest.files()) {
                problems.addAll(fileCopyProblems(copy, sourceDir));
            }
        }
        return problems;
    }

    private static List<String> fileCopyProblems(AppManifest.FileCopy copy, Path sourceDir) {
        List<String> problems = new ArrayList<>();
        // "." is the whole source; anything else goes through the one path check.
        if (copy.from() == null
                || !(copy.from().equals(".") || SourcePaths.problem(copy.from()).isEmpty())) {
            problems.add(
                    "files.from "
                            + SourcePaths.quote(copy.from())
                            + " must be a path inside the source directory");
        } else if (!Files.exists(sourceDir.resolve(copy.from()), LinkOption.NOFOLLOW_LINKS)) {
            problems.add(
                    "files.from "
                            + SourcePaths.quote(copy.from())
                            + " does not exist in the source");
        }
        if (copy.to() == null || !copy.to().startsWith("/")) {
            problems.add("files.to '" + copy.to() + "' must be an absolute path in the image");
        }
        return problems;
    }

    private static StationFailure invalid(String why) {
        return new StationFailure(FailureReason.NoAppManifest.name(), why);
    }
}
