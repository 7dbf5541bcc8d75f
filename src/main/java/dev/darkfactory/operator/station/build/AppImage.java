package dev.darkfactory.operator.station.build;

import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.Port;
import dev.darkfactory.operator.contract.AppManifest;
import dev.darkfactory.operator.station.StationFailure;
import dev.darkfactory.operator.station.registry.Layers;
import dev.darkfactory.operator.station.registry.RegistryAccess;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The app image an app manifest describes: its files layered onto the base image with Jib. */
final class AppImage {

    private static final String DEFAULT_WORKING_DIRECTORY = "/app";
    private static final String DEFAULT_USER = "65532";

    private AppImage() {}

    /**
     * The container description on {@code base} (the manifest's base image pinned by digest);
     * {@code port} is the manifest's or the intent's.
     */
    static JibContainerBuilder describe(
            AppManifest manifest,
            ImageReference base,
            Path sourceDir,
            int port,
            RegistryAccess registry)
            throws IOException, StationFailure {
        FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName("app");
        List<AppManifest.FileCopy> files =
                manifest.files() != null && !manifest.files().isEmpty()
                        ? manifest.files()
                        : List.of(new AppManifest.FileCopy(".", DEFAULT_WORKING_DIRECTORY));
        for (AppManifest.FileCopy copy : files) {
            Layers.addTree(
                    layer,
                    sourceDir.resolve(copy.from()).normalize(),
                    AbsoluteUnixPath.get(copy.to()));
        }
        return Jib.from(registry.image(base))
                .addFileEntriesLayer(layer.build())
                .addLabel(RegistryAccess.OUTPUT_LABEL, "app")
                .setEntrypoint(manifest.entrypoint())
                .setProgramArguments(List.of())
                .setWorkingDirectory(
                        AbsoluteUnixPath.get(
                                orDefault(manifest.workingDirectory(), DEFAULT_WORKING_DIRECTORY)))
                .setExposedPorts(Port.tcp(port))
                .setUser(orDefault(manifest.user(), DEFAULT_USER))
                .setEnvironment(manifest.env() != null ? manifest.env() : Map.of());
    }

    private static String orDefault(String value, String defaultValue) {
        return value != null && !value.isBlank() ? value : defaultValue;
    }
}
