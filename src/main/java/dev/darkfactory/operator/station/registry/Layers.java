package dev.darkfactory.operator.station.registry;

import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import dev.darkfactory.operator.station.SourceTree;
import dev.darkfactory.operator.station.StationFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Adds files of the workspace to image layers the same way for the app image and the source
 * archive.
 */
public final class Layers {

    private static final FilePermissions EXECUTABLE_FILE = FilePermissions.fromOctalString("755");

    private Layers() {}

    /**
     * Adds {@code from} (a file or a directory tree) at {@code to}, entry by entry from {@link
     * SourceTree#walk}: unlike Jib's {@code addEntryRecursive}, which follows symbolic links, this
     * fails with {@code UnsafeSource} on anything but directories and regular files.
     */
    public static FileEntriesLayer.Builder addTree(
            FileEntriesLayer.Builder layer, Path from, AbsoluteUnixPath to)
            throws IOException, StationFailure {
        for (SourceTree.Entry entry : SourceTree.walk(from)) {
            AbsoluteUnixPath target =
                    entry.relative().isEmpty() ? to : to.resolve(entry.relative());
            layer.addEntry(
                    entry.path(),
                    target,
                    entry.directory()
                            ? FilePermissions.DEFAULT_FOLDER_PERMISSIONS
                            : Files.isExecutable(entry.path())
                                    ? EXECUTABLE_FILE
                                    : FilePermissions.DEFAULT_FILE_PERMISSIONS);
        }
        return layer;
    }
}
