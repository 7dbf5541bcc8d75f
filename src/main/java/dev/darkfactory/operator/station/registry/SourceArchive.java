package dev.darkfactory.operator.station.registry;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;

import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.api.DescriptorDigest;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.event.EventHandlers;
import com.google.cloud.tools.jib.image.json.BuildableManifestTemplate;
import com.google.cloud.tools.jib.image.json.ManifestTemplate;
import com.google.cloud.tools.jib.registry.RegistryClient;
import com.google.cloud.tools.jib.registry.credentials.CredentialRetrievalException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * The source of an attempt, kept in the registry as an image of one layer holding
 * {@code /src}, so the next attempt can start from it without any volume that outlives a pod.
 * build pushes it with Jib; prepare pulls the layer over the registry API and unpacks it.
 */
public final class SourceArchive {

    private static final String ROOT = "src";

    private SourceArchive() {
    }

    /** Pushes {@code sourceDir} as {@code target}; returns the digest of the pushed manifest. */
    public static DescriptorDigest push(Path sourceDir, ImageReference target, RegistryAccess registry, Path cache)
            throws IOException, InterruptedException, RegistryException, CacheDirectoryCreationException,
            ExecutionException {
        FileEntriesLayer layer = Layers.addTree(FileEntriesLayer.builder().setName("source"), sourceDir,
                AbsoluteUnixPath.get("/" + ROOT)).build();
        return Jib.fromScratch()
                .addFileEntriesLayer(layer)
                .containerize(registry.containerizer(target, cache))
                .getDigest();
    }

    /** Unpacks the source archive {@code reference} into {@code targetDir}. */
    public static void restore(ImageReference reference, Path targetDir, RegistryAccess registry)
            throws IOException, RegistryException, CredentialRetrievalException {
        RegistryClient client = client(reference, registry);
        ManifestTemplate manifest = client.pullManifest(reference.getQualifier()).getManifest();
        if (!(manifest instanceof BuildableManifestTemplate image) || image.getLayers().size() != 1) {
            throw new IOException(reference + " is not a source archive (an image of exactly one layer)");
        }
        DescriptorDigest layer = image.getLayers().get(0).getDigest();
        Path download = Files.createTempFile("source-archive", ".tar.gz");
        try {
            try (OutputStream out = Files.newOutputStream(download)) {
                client.pullBlob(layer, size -> { }, written -> { }).writeTo(out);
            }
            unpack(download, targetDir);
        } finally {
            Files.deleteIfExists(download);
        }
    }

    private static RegistryClient client(ImageReference reference, RegistryAccess registry)
            throws IOException, RegistryException, CredentialRetrievalException {
        EventHandlers events = EventHandlers.builder().add(LogEvent.class, RegistryAccess.LOG).build();
        Credential credential = registry.credential(reference).orElse(null);
        RegistryClient client = RegistryClient.factory(events, reference.getRegistry(), reference.getRepository(),
                        registry.httpClient())
                .setCredential(credential)
                .newRegistryClient();
        // The same dance as Jib's own pull: a token when the registry hands them out, else basic auth.
        if (credential != null && !client.doPullBearerAuth()) {
            client.configureBasicAuth();
        }
        return client;
    }

    /**
     * Unpacks the files below {@code src/} of the layer. Only directories and regular files are
     * taken, and only where they stay inside {@code targetDir}: the archive is data, not trusted.
     */
    private static void unpack(Path layer, Path targetDir) throws IOException {
        Path root = targetDir.toAbsolutePath().normalize();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(layer));
                TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                String name = entry.getName().replaceFirst("^(\\./|/)+", "");
                if (!name.startsWith(ROOT + "/") || !(entry.isDirectory() || entry.isFile())) {
                    continue;
                }
                Path target = root.resolve(name.substring(ROOT.length() + 1)).normalize();
                if (!target.startsWith(root)) {
                    throw new IOException("the source archive holds a path outside the source directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(tar, target);
                    if ((entry.getMode() & 0100) != 0) {
                        target.toFile().setExecutable(true);
                    }
                }
            }
        }
    }
}
