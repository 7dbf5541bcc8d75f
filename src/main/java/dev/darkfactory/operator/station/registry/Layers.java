package dev.darkfactory.operator.station.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;

/** Adds files of the workspace to image layers the same way for the app image and the source archive. */
public final class Layers {

    private static final FilePermissions EXECUTABLE_FILE = FilePermissions.fromOctalString("755");

    private Layers() {
    }

    /** Adds {@code from} (a file or a directory tree) at {@code to}. */
    public static FileEntriesLayer.Builder addTree(FileEntriesLayer.Builder layer, Path from, AbsoluteUnixPath to)
            throws IOException {
        return layer.addEntryRecursive(from, to, Layers::permissions);
    }

    /** Files keep their executable bit, so scripts the generator wrote still run; the rest is Jib's default. */
    private static FilePermissions permissions(Path source, AbsoluteUnixPath target) {
        if (Files.isDirectory(source)) {
            return FilePermissions.DEFAULT_FOLDER_PERMISSIONS;
        }
        return Files.isExecutable(source) ? EXECUTABLE_FILE : FilePermissions.DEFAULT_FILE_PERMISSIONS;
    }
}
