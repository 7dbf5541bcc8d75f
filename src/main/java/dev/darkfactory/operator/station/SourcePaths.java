package dev.darkfactory.operator.station;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The one check of a relative path that came from outside the station (a model's answer, an app
 * manifest, a source archive, a file name in the source tree): it must name something strictly
 * inside the source directory once resolved and normalized, and it must be printable text. Decided
 * by plain code on segments and on the resolved path, never by a regular expression: a pattern's
 * {@code .} stops at line breaks, which is how {@code "x\n/../../.darkfactory/out"} once got
 * through.
 */
public final class SourcePaths {

    /** Linux's NAME_MAX: longer segments cannot be created anyway. */
    public static final int MAX_SEGMENT_BYTES = 255;

    /** Well below Linux's PATH_MAX of 4096 once the workspace prefix is added. */
    public static final int MAX_PATH_BYTES = 1024;

    private SourcePaths() {}

    /**
     * A path that is not a safe relative path inside the source directory; the message says why and
     * names it.
     */
    public static final class UnsafePath extends Exception {
        UnsafePath(String path, String why) {
            super("the path " + quote(path) + " " + why);
        }
    }

    /**
     * Why {@code relative} is not a plain relative path of printable segments, or empty when it is
     * one.
     */
    public static Optional<String> problem(String relative) {
        if (relative == null || relative.isEmpty()) {
            return Optional.of("is empty");
        }
        int bytes = relative.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_PATH_BYTES) {
            return Optional.of("is longer than " + MAX_PATH_BYTES + " bytes");
        }
        for (int i = 0; i < relative.length(); ) {
            int codePoint = relative.codePointAt(i);
            Optional<String> bad = characterProblem(codePoint);
            if (bad.isPresent()) {
                return Optional.of("contains " + bad.get() + " at position " + i);
            }
            i += Character.charCount(codePoint);
        }
        if (relative.startsWith("/")) {
            return Optional.of("is absolute");
        }
        // split with -1 keeps trailing empty segments, so "a/" and "a//b" are caught.
        for (String segment : relative.split("/", -1)) {
            if (segment.isEmpty()) {
                return Optional.of("has an empty segment");
            }
            if (segment.equals(".") || segment.equals("..")) {
                return Optional.of("has a '" + segment + "' segment");
            }
            if (segment.getBytes(StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
                return Optional.of("has a segment longer than " + MAX_SEGMENT_BYTES + " bytes");
            }
        }
        return Optional.empty();
    }

    /**
     * {@code root/relative}, resolved and normalized, after checking that it is a plain relative
     * path (see {@link #problem}) and that it lands strictly inside {@code root}.
     */
    public static Path resolveInside(Path root, String relative) throws UnsafePath {
        Optional<String> problem = problem(relative);
        if (problem.isPresent()) {
            throw new UnsafePath(relative, problem.get());
        }
        Path base = root.toAbsolutePath().normalize();
        Path target = base.resolve(relative).normalize();
        if (!target.startsWith(base) || target.equals(base)) {
            throw new UnsafePath(relative, "does not stay inside the source directory");
        }
        return target;
    }

    /**
     * Fails when a directory between {@code root} and {@code target} (both included) is a symbolic
     * link, so that writing {@code target} cannot land elsewhere. Call it before writing.
     */
    public static void requireNoLinkOnTheWay(Path root, Path target)
            throws UnsafePath, IOException {
        Path base = root.toAbsolutePath().normalize();
        Path current = base;
        check(base, current);
        for (Path segment : base.relativize(target.toAbsolutePath().normalize())) {
            current = current.resolve(segment);
            check(base, current);
        }
    }

    private static void check(Path base, Path path) throws UnsafePath {
        if (Files.isSymbolicLink(path)) {
            throw new UnsafePath(base.relativize(path).toString(), "is a symbolic link");
        }
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)
                && !Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)
                && !Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new UnsafePath(
                    base.relativize(path).toString(), "is neither a regular file nor a directory");
        }
    }

    /**
     * The path in single quotes with every character that could break a log line or fool a reader
     * (controls, line and paragraph separators, format characters) shown as {@code \\uXXXX}.
     */
    public static String quote(String path) {
        if (path == null) {
            return "null";
        }
        StringBuilder text = new StringBuilder("'");
        path.codePoints()
                .limit(200)
                .forEach(
                        codePoint -> {
                            if (characterProblem(codePoint).isPresent()) {
                                text.append(String.format("\\u%04X", codePoint));
                            } else {
                                text.appendCodePoint(codePoint);
                            }
                        });
        return text.append(path.codePointCount(0, path.length()) > 200 ? "...'" : "'").toString();
    }

    private static Optional<String> characterProblem(int codePoint) {
        if (codePoint == '\\') {
            return Optional.of("a backslash");
        }
        return switch (Character.getType(codePoint)) {
            case Character.CONTROL ->
                    Optional.of("a control character"); // \0-\x1f, \x7f-\x9f: \n, \r, \u0085
            case Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR ->
                    Optional.of("a line separator");
            case Character.FORMAT ->
                    Optional.of("an invisible format character"); // bidi overrides, zero-width
            case Character.SURROGATE -> Optional.of("a broken UTF-16 surrogate");
            case Character.UNASSIGNED -> Optional.of("an unassigned character");
            default -> Optional.empty();
        };
    }
}
