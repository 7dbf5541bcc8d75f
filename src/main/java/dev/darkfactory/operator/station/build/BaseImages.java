package dev.darkfactory.operator.station.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.tools.jib.api.DescriptorDigest;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.image.json.BuildableManifestTemplate;
import com.google.cloud.tools.jib.registry.ManifestAndDigest;
import com.google.cloud.tools.jib.registry.RegistryClient;
import dev.darkfactory.operator.contract.FailureReason;
import dev.darkfactory.operator.station.Json;
import dev.darkfactory.operator.station.StationFailure;
import dev.darkfactory.operator.station.registry.RegistryAccess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Pins the manifest's base image to the digest the registry serves now, so the image is built on
 * exactly what the report records, and refuses an image the factory built itself (it carries {@link
 * RegistryAccess#OUTPUT_LABEL}): generated code must not build on another tenant's app or source
 * archive, whatever the allow-list says.
 */
final class BaseImages {

    private BaseImages() {}

    /** {@code registry/repository@sha256:...} of {@code baseImage}. */
    static ImageReference resolve(String baseImage, RegistryAccess registry) throws Exception {
        ImageReference reference = ImageReference.parse(baseImage);
        RegistryClient client = registry.client(reference);
        ManifestAndDigest<?> manifest = client.pullManifest(reference.getQualifier());
        if (manifest.getManifest() instanceof BuildableManifestTemplate image
                && image.getContainerConfiguration() != null
                && isFactoryOutput(client, image.getContainerConfiguration().getDigest())) {
            throw new StationFailure(
                    FailureReason.BaseImageNotAllowed.name(),
                    "base image "
                            + baseImage
                            + " was built by the factory (label "
                            + RegistryAccess.OUTPUT_LABEL
                            + "): the factory's own"
                            + " output is never a base image; name a base image from the allow-list");
        }
        return byDigest(reference, manifest.getDigest());
    }

    static ImageReference byDigest(ImageReference reference, DescriptorDigest digest)
            throws InvalidImageReferenceException {
        return ImageReference.parse(
                reference.getRegistry() + "/" + reference.getRepository() + "@" + digest);
    }

    private static boolean isFactoryOutput(RegistryClient client, DescriptorDigest config)
            throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        client.pullBlob(config, size -> {}, written -> {}).writeTo(bytes);
        JsonNode labels = Json.MAPPER.readTree(bytes.toByteArray()).path("config").path("Labels");
        return labels.has(RegistryAccess.OUTPUT_LABEL);
    }
}
