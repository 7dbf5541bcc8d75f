package dev.darkfactory.operator.station.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.darkfactory.operator.station.StationFailure;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Restoring a source archive that someone tampered with writes nothing outside src/ and no link.
 */
class SourceArchiveUnpackTest {

    @TempDir Path dir;

    @Test
    void regularFilesAndDirectoriesAreRestored() throws Exception {
        Path layer =
                layer(
                        tar -> {
                            directory(tar, "src/");
                            file(tar, "/src/app/main.py", "print(1)", 0755);
                            file(tar, "src/README", "hi", 0644);
                        });
        Path target = Files.createDirectories(dir.resolve("src"));

        SourceArchive.unpack(layer, target);

        assertThat(target.resolve("app/main.py")).hasContent("print(1)").isExecutable();
        assertThat(target.resolve("README")).hasContent("hi");
    }

    @Test
    void aSymbolicLinkIsRefused() throws Exception {
        assertRefused(
                tar ->
                        link(
                                tar,
                                "src/c",
                                "/var/run/darkfactory/registry/.dockerconfigjson",
                                TarConstants.LF_SYMLINK),
                "'src/c' is refused: is neither a regular file nor a directory");
    }

    @Test
    void aHardLinkIsRefused() throws Exception {
        assertRefused(
                tar -> link(tar, "src/h", "/etc/passwd", TarConstants.LF_LINK),
                "'src/h' is refused");
    }

    @Test
    void aDeviceOrFifoIsRefused() throws Exception {
        assertRefused(tar -> link(tar, "src/dev", "", TarConstants.LF_CHR), "'src/dev' is refused");
        assertRefused(
                tar -> link(tar, "src/fifo", "", TarConstants.LF_FIFO), "'src/fifo' is refused");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "src/../escape",
                "src/a/../../escape",
                "src/x\n/../../escape",
                "src/x\u2028y",
                "src//x",
                "src/./x",
                "etc/passwd",
                "../src/x"
            })
    void pathsThatLeaveTheSourceOrBreakLinesAreRefused(String name) throws Exception {
        assertRefused(tar -> file(tar, name, "x", 0644), "is refused");
        assertThat(dir.resolve("escape")).doesNotExist();
    }

    @Test
    void aFileIsNeverWrittenThroughALinkAlreadyThere() throws Exception {
        Path target = Files.createDirectories(dir.resolve("src"));
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.createSymbolicLink(target.resolve("d"), outside);
        Path layer = layer(tar -> file(tar, "src/d/x", "x", 0644));

        assertThatThrownBy(() -> SourceArchive.unpack(layer, target))
                .isInstanceOf(StationFailure.class)
                .hasMessageContaining("is a symbolic link");
        assertThat(outside.resolve("x")).doesNotExist();
    }

    @Test
    void aDuplicateEntryDoesNotOverwrite() throws Exception {
        Path layer =
                layer(
                        tar -> {
                            file(tar, "src/a", "first", 0644);
                            file(tar, "src/a", "second", 0644);
                        });
        Path target = Files.createDirectories(dir.resolve("src"));

        assertThatThrownBy(() -> SourceArchive.unpack(layer, target))
                .isInstanceOf(IOException.class);
        assertThat(target.resolve("a")).hasContent("first");
    }

    private void assertRefused(Consumer<TarArchiveOutputStream> entries, String expected)
            throws Exception {
        Path layer = layer(entries);
        Path target = Files.createDirectories(dir.resolve("src"));
        assertThatThrownBy(() -> SourceArchive.unpack(layer, target))
                .isInstanceOf(StationFailure.class)
                .hasMessageContaining(expected)
                .satisfies(
                        e -> assertThat(((StationFailure) e).reason()).isEqualTo("UnsafeSource"));
        try (var files = Files.walk(target)) {
            assertThat(files.filter(path -> !path.equals(target)))
                    .as("nothing was written")
                    .isEmpty();
        }
    }

    private Path layer(Consumer<TarArchiveOutputStream> entries) throws IOException {
        Path layer = Files.createTempFile(dir, "layer", ".tar.gz");
        try (OutputStream out = Files.newOutputStream(layer);
                TarArchiveOutputStream tar =
                        new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            entries.accept(tar);
        }
        return layer;
    }

    private static void directory(TarArchiveOutputStream tar, String name) {
        write(tar, new TarArchiveEntry(name, TarConstants.LF_DIR, true), null);
    }

    private static void file(TarArchiveOutputStream tar, String name, String content, int mode) {
        TarArchiveEntry entry = new TarArchiveEntry(name, true);
        entry.setMode(0100000 | mode);
        write(tar, entry, content.getBytes(StandardCharsets.UTF_8));
    }

    private static void link(TarArchiveOutputStream tar, String name, String target, byte type) {
        TarArchiveEntry entry = new TarArchiveEntry(name, type, true);
        entry.setLinkName(target);
        write(tar, entry, null);
    }

    private static void write(TarArchiveOutputStream tar, TarArchiveEntry entry, byte[] content) {
        try {
            if (content != null) {
                entry.setSize(content.length);
            }
            tar.putArchiveEntry(entry);
            if (content != null) {
                tar.write(content);
            }
            tar.closeArchiveEntry();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
