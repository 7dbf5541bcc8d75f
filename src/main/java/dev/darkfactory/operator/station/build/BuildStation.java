package dev.darkfactory.operator.station.build;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.google.cloud.tools.jib.api.DescriptorDigest;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;

import dev.darkfactory.operator.api.v1alpha1.SoftwareIntentSpec;
import dev.darkfactory.operator.contract.AppManifest;
import dev.darkfactory.operator.contract.StationOutcome;
import dev.darkfactory.operator.contract.StationReasons;
import dev.darkfactory.operator.station.Errors;
import dev.darkfactory.operator.station.Json;
import dev.darkfactory.operator.station.Station;
import dev.darkfactory.operator.station.StationEnvironment;
import dev.darkfactory.operator.station.StationFailure;
import dev.darkfactory.operator.station.StationResult;
import dev.darkfactory.operator.station.Workspace;
import dev.darkfactory.operator.station.registry.RegistryAccess;
import dev.darkfactory.operator.station.registry.SourceArchive;

/**
 * {@code station build}: turns {@code /workspace/src} into an image without a Docker daemon. It
 * checks the app manifest and its base image against the allow-list, pushes the source archive
 * (which also proves the registry takes our pushes), then layers the files onto the base image
 * and pushes the app image. Its outcome goes to build.json and the termination message.
 */
public final class BuildStation implements Station {

    /** Reference (with tag) the app image is pushed to, e.g. registry.local:5000/ns/todo:g3-a2. */
    public static final String IMAGE = "DF_IMAGE";
    /** Reference the source archive is pushed to; defaults to the app image's repository plus "-source". */
    public static final String SOURCE_IMAGE = "DF_SOURCE_IMAGE";
    /** Comma-separated base images the app manifest may name: exact, or prefixes ending in '*'. */
    public static final String ALLOWED_BASE_IMAGES = "DF_ALLOWED_BASE_IMAGES";

    private static final int DEFAULT_PORT = 8080;

    @Override
    public String name() {
        return "build";
    }

    @Override
    public String failureReason() {
        return StationReasons.BUILD_FAILED;
    }

    @Override
    public StationResult run(StationEnvironment env) throws Exception {
        Workspace workspace = Workspace.from(env);
        try {
            StationOutcome outcome = build(env, workspace);
            Json.write(workspace.buildOutcome(), outcome);
            return StationResult.success(outcome);
        } catch (StationFailure failure) {
            Json.write(workspace.buildOutcome(), StationOutcome.failure(name(), failure.reason(), failure.getMessage()));
            throw failure;
        }
    }

    private StationOutcome build(StationEnvironment env, Workspace workspace) throws Exception {
        AppManifest manifest = AppManifests.read(workspace.appManifest(), workspace.source());
        new BaseImageAllowList(env.list(ALLOWED_BASE_IMAGES)).check(manifest.baseImage());
        ImageReference target = ImageReference.parse(env.required(IMAGE));
        ImageReference sourceTarget = sourceImage(env, target);
        RegistryAccess registry = RegistryAccess.from(env);
        Path cache = workspace.control().resolve("cache");
        int port = manifest.port() != null ? manifest.port() : intentPort(workspace);

        DescriptorDigest sourceDigest;
        try {
            sourceDigest = SourceArchive.push(workspace.source(), sourceTarget, registry, cache);
        } catch (Exception e) {
            throw new StationFailure(StationReasons.PUSH_FAILED,
                    "pushing to " + sourceTarget + " failed: " + Errors.describe(e), e);
        }
        DescriptorDigest appDigest;
        try {
            appDigest = AppImage.describe(manifest, workspace.source(), port, registry)
                    .containerize(registry.containerizer(target, cache))
                    .getDigest();
        } catch (Exception e) {
            throw new StationFailure(StationReasons.BUILD_FAILED, "building " + target + " on base image "
                    + manifest.baseImage() + " failed: " + Errors.describe(e), e);
        }
        System.err.println("build: pushed " + byDigest(target, appDigest) + " and " + byDigest(sourceTarget, sourceDigest));
        return new StationOutcome(name(), true, null, null, byDigest(target, appDigest),
                byDigest(sourceTarget, sourceDigest), port, null, null);
    }

    private static ImageReference sourceImage(StationEnvironment env, ImageReference target)
            throws InvalidImageReferenceException {
        if (env.optional(SOURCE_IMAGE).isPresent()) {
            return ImageReference.parse(env.required(SOURCE_IMAGE));
        }
        return ImageReference.of(target.getRegistry(), target.getRepository() + "-source", target.getQualifier());
    }

    /** The port of the intent's serve section, which the manifest may leave out. */
    private static int intentPort(Workspace workspace) throws IOException {
        if (!Files.exists(workspace.intent())) {
            return DEFAULT_PORT;
        }
        SoftwareIntentSpec intent = Json.read(workspace.intent(), SoftwareIntentSpec.class);
        return intent.serveOrDefault().port;
    }

    private static String byDigest(ImageReference image, DescriptorDigest digest) {
        return image.getRegistry() + "/" + image.getRepository() + "@" + digest;
    }
}
