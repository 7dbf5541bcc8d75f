package dev.darkfactory.operator.station;

import dev.darkfactory.operator.contract.FailureReason;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The files of a source tree written by untrusted code, walked without following links. Only
 * directories and regular files with a single link are accepted: a symbolic link (to the push
 * credentials, to {@code /proc/self/environ}, to a directory outside), a hard link to a file
 * elsewhere, a device, a FIFO or a socket ends the station with {@code UnsafeSource} naming the
 * path. Every station that reads the tree (build's layers, the source archive) reads it through
 * this walk; nothing writes the tree meanwhile, since the generator container has exited before
 * build starts (init containers run one after another).
 */
public final class SourceTree {

    /** A directory or regular file; {@code relative} is empty for the walked root itself. */
    public record Entry(Path path, String relative, boolean directory) {}

    private SourceTree() {}

    /**
     * Every directory and regular file under {@code root} (itself included), parents before
     * children.
     */
    public static List<Entry> walk(Path root) throws StationFailure, IOException {
        List<Entry> entries = new ArrayList<>();
        List<StationFailure> problems = new ArrayList<>();
        Path start = root.toAbsolutePath().normalize();
        Files.walkFileTree(
                start,
                EnumSet.noneOf(java.nio.file.FileVisitOption.class),
                Integer.MAX_VALUE,
                new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(
                            Path dir, BasicFileAttributes attributes) {
                        return accept(dir, attributes)
                                ? FileVisitResult.CONTINUE
                                : FileVisitResult.TERMINATE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                        return accept(file, attributes)
                                ? FileVisitResult.CONTINUE
                                : FileVisitResult.TERMINATE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) {
                        problems.add(
                                unsafe(start, file, "cannot be read (" + Errors.describe(e) + ")"));
                        return FileVisitResult.TERMINATE;
                    }

                    private boolean accept(Path path, BasicFileAttributes attributes) {
                        String relative = start.relativize(path).toString();
                        Optional<String> problem = problem(path, relative, attributes);
                        if (problem.isPresent()) {
                            problems.add(unsafe(start, path, problem.get()));
                            return false;
                        }
                        entries.add(new Entry(path, relative, attributes.isDirectory()));
                        return true;
                    }
                });
        if (!problems.isEmpty()) {
            throw problems.get(0);
        }
        return entries;
    }

    /**
     * Fails with {@code UnsafeSource} unless {@link #walk} accepts the tree; a missing tree is
     * fine.
     */
    public static void check(Path root) throws StationFailure, IOException {
        if (Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            walk(root);
        }
    }

    private static Optional<String> problem(
            Path path, String relative, BasicFileAttributes attributes) {
        if (attributes.isSymbolicLink()) {
            return Optional.of("is a symbolic link" + target(path));
        }
        if (attributes.isOther()) {
            return Optional.of("is a " + kindOf(path));
        }
        if (!relative.isEmpty()) {
            Optional<String> nameProblem = SourcePaths.problem(relative);
            if (nameProblem.isPresent()) {
                return nameProblem;
            }
        }
        if (attributes.isRegularFile()) {
            int links = links(path);
            if (links > 1) {
                return Optional.of(
                        "is a hard link ("
                                + links
                                + " names for one file; it may be a file outside the source)");
            }
        }
        return Optional.empty();
    }

    private static String target(Path link) {
        try {
            return " to " + SourcePaths.quote(Files.readSymbolicLink(link).toString());
        } catch (IOException e) {
            return "";
        }
    }

    private static int links(Path file) {
        try {
            return (Integer) Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | UnsupportedOperationException e) {
            return 1; // Only on file systems without a link count, where hard links cannot be told
            // apart anyway.
        }
    }

    /** What {@code isOther()} means here, from the file type bits of st_mode. */
    private static String kindOf(Path path) {
        try {
            Map<String, Object> unix =
                    Files.readAttributes(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return switch ((Integer) unix.get("mode") & 0170000) {
                case 0010000 -> "FIFO (named pipe)";
                case 0020000 -> "character device";
                case 0060000 -> "block device";
                case 0140000 -> "socket";
                default -> "special file";
            };
        } catch (IOException | UnsupportedOperationException e) {
            return "special file";
        }
    }

    private static StationFailure unsafe(Path root, Path path, String why) {
        String shown =
                path.equals(root)
                        ? root.toString()
                        : root.getFileName() + "/" + root.relativize(path);
        return new StationFailure(
                FailureReason.UnsafeSource.name(),
                "unsafe source: "
                        + SourcePaths.quote(shown)
                        + " "
                        + why
                        + "; only regular files and directories are taken from the source");
    }
}
