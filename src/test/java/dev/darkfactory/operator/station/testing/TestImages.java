package dev.darkfactory.operator.station.testing;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import java.nio.file.Path;
import java.util.Map;

/** Base images made here, since none can be pulled: files of this machine layered onto scratch. */
public final class TestImages {

    private TestImages() {}

    /**
     * Pushes an image of one layer holding {@code files} (host file → absolute path in the image,
     * executable) as {@code host/repository}; returns its reference.
     */
    public static String pushBase(
            LocalRegistry registry, String repository, Map<Path, String> files, Path cache)
            throws Exception {
        FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName("base");
        files.forEach(
                (source, target) ->
                        layer.addEntry(
                                source,
                                AbsoluteUnixPath.get(target),
                                FilePermissions.fromOctalString("755")));
        String reference = registry.host() + "/" + repository;
        RegistryImage image = RegistryImage.named(reference);
        registry.login()
                .ifPresent(login -> image.addCredential(login.getUsername(), login.getPassword()));
        Jib.fromScratch()
                .addFileEntriesLayer(layer.build())
                .containerize(
                        Containerizer.to(image)
                                .setAllowInsecureRegistries(true)
                                .setBaseImageLayersCache(cache.resolve("base"))
                                .setApplicationLayersCache(cache.resolve("app")));
        return reference;
    }
}
