package dev.darkfactory.operator.station.registry;

import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.DescriptorDigest;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.image.json.BuildableManifestTemplate;
import com.google.cloud.tools.jib.image.json.ManifestTemplate;
import com.google.cloud.tools.jib.registry.RegistryClient;
import com.google.cloud.tools.jib.registry.credentials.CredentialRetrievalException;
import dev.darkfactory.operator.contract.FailureReason;
import dev.darkfactory.operator.station.SourcePaths;
import dev.darkfactory.operator.station.StationFailure;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * The source of an attempt, kept in the registry as an image of one layer holding {@code /src}, so
 * the next attempt can start from it without any volume that outlives a pod. build pushes it with
 * Jib; prepare pulls the layer over the registry API and unpacks it.
 */
public final class SourceArchive {

    private static final String ROOT = "src";

    private SourceArchive() {}

    /** Pushes {@code sourceDir} as {@code target}; returns the digest of the pushed manifest. */
    public static DescriptorDigest push(
            Path sourceDir, ImageReference target, RegistryAccess registry, Path cache)
            throws IOException,
                    InterruptedException,
                    RegistryException,
                    CacheDirectoryCreationException,
                    ExecutionException,
                    StationFailure {
        FileEntriesLayer layer =
                Layers.addTree(
                                FileEntriesLayer.builder().setName("source"),
                                sourceDir,
                                AbsoluteUnixPath.get("/" + ROOT))
                        .build();
        return Jib.fromScratch()
                .addFileEntriesLayer(layer)
                .addLabel(RegistryAccess.OUTPUT_LABEL, "source")
                .containerize(registry.containerizer(target, cache))
                .getDigest();
    }

    /** Unpacks the source archive {@code reference} into {@code targetDir}. */
    public static void restore(ImageReference reference, Path targetDir, RegistryAccess registry)
            throws IOException, RegistryException, CredentialRetrievalException, StationFailure {
        RegistryClient client = registry.client(reference);
        ManifestTemplate manifest = client.pullManifest(reference.getQualifier()).getManifest();
        if (!(manifest instanceof BuildableManifestTemplate image)
                || image.getLayers().size() != 1) {
            throw new IOException(
                    reference + " is not a source archive (an image of exactly one layer)");
        }
        DescriptorDigest layer = image.getLayers().get(0).getDigest();
        Path download = Files.createTempFile("source-archive", ".tar.gz");
        try {
            try (OutputStream out = Files.newOutputStream(download)) {
                client.pullBlob(layer, size -> {}, written -> {}).writeTo(out);
            }
            unpack(download, targetDir);
        } finally {
            Files.deleteIfExists(download);
        }
    }

    /**
     * Unpacks the files below {@code src/} of the layer. The archive is data, not trusted: only
     * directories and regular files are written, each at a path {@link SourcePaths} accepts, never
     * through a link and never over an existing file. A link, a device or a path that leaves the
     * source directory fails the restore with {@code UnsafeSource} naming the entry. Entries of the
     * image outside {@code src/} (the parent directories Jib records) are skipped.
     */
    static void unpack(Path layer, Path targetDir) throws IOException, StationFailure {
        Path root = targetDir.toAbsolutePath().normalize();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(layer));
                TarArchiveInputStream tar =
                        new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
            for (TarArchiveEntry entry = tar.getNextEntry();
                    entry != null;
                    entry = tar.getNextEntry()) {
                // Layer entries are rooted at the image's root: "/src/x" and "src/x" both mean the
                // image's /src/x.
                String name =
                        entry.getName().startsWith("/")
                                ? entry.getName().substring(1)
                                : entry.getName();
                if (name.equals(ROOT) || name.equals(ROOT + "/")) {
                    continue;
                }
                if (!name.startsWith(ROOT + "/")) {
                    if (!entry.isDirectory()) {
                        throw unsafe(entry, "lies outside " + ROOT + "/");
                    }
                    continue;
                }
                boolean regularFile =
                        entry.getLinkFlag() == TarConstants.LF_NORMAL
                                || entry.getLinkFlag() == TarConstants.LF_OLDNORM;
                if (!(entry.isDirectory() || regularFile)) {
                    throw unsafe(entry, "is neither a regular file nor a directory");
                }
                String relative = name.substring(ROOT.length() + 1);
                if (entry.isDirectory() && relative.endsWith("/")) {
                    relative = relative.substring(0, relative.length() - 1);
                }
                Path target;
                try {
                    target = SourcePaths.resolveInside(root, relative);
                    SourcePaths.requireNoLinkOnTheWay(root, target.getParent());
                } catch (SourcePaths.UnsafePath e) {
                    throw unsafe(entry, e.getMessage());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    // Without REPLACE_EXISTING: a second entry of the same name fails instead of
                    // overwriting.
                    Files.copy(tar, target);
                    if ((entry.getMode() & 0100) != 0) {
                        target.toFile().setExecutable(true);
                    }
                }
            }
        }
    }

    private static StationFailure unsafe(TarArchiveEntry entry, String why) {
        return new StationFailure(
                FailureReason.UnsafeSource.name(),
                "the source archive entry "
                        + SourcePaths.quote(entry.getName())
                        + " is refused: "
                        + why);
    }
}
