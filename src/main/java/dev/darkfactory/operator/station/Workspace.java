package dev.darkfactory.operator.station;

import dev.darkfactory.operator.contract.AppManifest;
import dev.darkfactory.operator.contract.FailureReason;
import dev.darkfactory.operator.contract.StationContract.Env;
import dev.darkfactory.operator.contract.StationContract.Keys;
import dev.darkfactory.operator.contract.StationContract.Paths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The layout of the generator pod's shared workspace, as docs/station-contract.md draws it. */
public record Workspace(Path root) {

    /** Where the workspace is; tests point it at a temporary directory. */
    public static final String WORKSPACE_DIR = Env.WORKSPACE_DIR;

    public static Workspace from(StationEnvironment env) {
        return new Workspace(env.path(WORKSPACE_DIR, Paths.WORKSPACE));
    }

    public Path control() {
        return root.resolve(Paths.CONTROL_DIR);
    }

    public Path prompt() {
        return control().resolve("prompt.md");
    }

    public Path intent() {
        return control().resolve(Keys.INTENT);
    }

    public Path feedback() {
        return control().resolve(Keys.FEEDBACK);
    }

    public Path attempt() {
        return control().resolve(Keys.ATTEMPT);
    }

    public Path usage() {
        return control().resolve("out/usage.json");
    }

    public Path buildOutcome() {
        return control().resolve("out/build.json");
    }

    public Path source() {
        return root.resolve("src");
    }

    public Path appManifest() {
        return source().resolve(AppManifest.FILE_NAME);
    }

    /**
     * Makes {@code file} (a station's own output below {@code .darkfactory}) safe to write: fails
     * with {@code UnsafeSource} when a directory on its way is a link the generator planted, and
     * removes whatever the generator left at the path itself (a link is removed, not followed).
     */
    public void claim(Path file) throws StationFailure, IOException {
        try {
            SourcePaths.requireNoLinkOnTheWay(root, file.getParent());
        } catch (SourcePaths.UnsafePath e) {
            throw new StationFailure(
                    FailureReason.UnsafeSource.name(),
                    "unsafe workspace: "
                            + e.getMessage()
                            + " (below "
                            + root
                            + "); the generator may not plant links there");
        }
        Files.deleteIfExists(file);
    }

    /** The number of regular files of the source, the app manifest included. */
    public int sourceFileCount() throws IOException {
        if (!Files.isDirectory(source())) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(source())) {
            return (int) files.filter(Files::isRegularFile).count();
        }
    }
}
