package dev.darkfactory.operator.station.build;

import com.google.cloud.tools.jib.api.DescriptorDigest;
import com.google.cloud.tools.jib.api.ImageReference;
import dev.darkfactory.operator.contract.AppManifest;
import dev.darkfactory.operator.contract.FailureReason;
import dev.darkfactory.operator.contract.StationContract.Env;
import dev.darkfactory.operator.contract.StationOutcome;
import dev.darkfactory.operator.station.Errors;
import dev.darkfactory.operator.station.GeneratorUsage;
import dev.darkfactory.operator.station.Json;
import dev.darkfactory.operator.station.SourceTree;
import dev.darkfactory.operator.station.Station;
import dev.darkfactory.operator.station.StationEnvironment;
import dev.darkfactory.operator.station.StationFailure;
import dev.darkfactory.operator.station.StationResult;
import dev.darkfactory.operator.station.Workspace;
import dev.darkfactory.operator.station.registry.RegistryAccess;
import dev.darkfactory.operator.station.registry.SourceArchive;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code station build}: turns {@code /workspace/src} into an image without a Docker daemon. It
 * checks the app manifest and its base image against the allow-list, pushes the source archive
 * (which also proves the registry takes our pushes), then layers the files onto the base image and
 * pushes the app image. Its outcome goes to build.json and the termination message.
 */
public final class BuildStation implements Station {

    /**
     * Repository the app image is pushed to, e.g. registry.local:5000/team-a/todo; the source
     * archive goes to its "-source" sibling.
     */
    public static final String IMAGE_REPOSITORY = Env.IMAGE_REPOSITORY;

    /** Tag of both images, e.g. todo-g3-a2. */
    public static final String IMAGE_TAG = Env.IMAGE_TAG;

    /** Comma-separated base images the app manifest may name: exact, or prefixes ending in '*'. */
    public static final String ALLOWED_BASE_IMAGES = Env.ALLOWED_BASE_IMAGES;

    /** The port when the app manifest names none: the intent's serve.port. */
    public static final String DEFAULT_PORT = Env.DEFAULT_PORT;

    private static final String SOURCE_REPOSITORY_SUFFIX = "-source";

    @Override
    public String name() {
        return "build";
    }

    @Override
    public String failureReason() {
        return FailureReason.BuildFailed.name();
    }

    @Override
    public StationResult run(StationEnvironment env) throws Exception {
        Workspace workspace = Workspace.from(env);
        workspace.claim(workspace.buildOutcome());
        try {
            StationOutcome outcome = build(env, workspace);
            Json.write(workspace.buildOutcome(), outcome);
            return StationResult.success(outcome);
        } catch (StationFailure failure) {
            Json.write(
                    workspace.buildOutcome(),
                    StationOutcome.failure(name(), failure.reason(), failure.getMessage()));
            // report will not run: the generator's tokens travel in build's termination message
            // instead.
            throw failure.withTokens(GeneratorUsage.tokens(workspace).orElse(null));
        }
    }

    private StationOutcome build(StationEnvironment env, Workspace workspace) throws Exception {
        // First, before anything reads a file of the tree: a link planted there must not be
        // followed.
        SourceTree.check(workspace.source());
        AppManifest manifest = AppManifests.read(workspace.appManifest(), workspace.source());
        String repository = env.required(IMAGE_REPOSITORY);
        new BaseImageAllowList(env.list(ALLOWED_BASE_IMAGES))
                .check(manifest.baseImage(), repository);
        String tag = env.required(IMAGE_TAG);
        ImageReference target = ImageReference.parse(repository + ":" + tag);
        ImageReference sourceTarget =
                ImageReference.parse(repository + SOURCE_REPOSITORY_SUFFIX + ":" + tag);
        RegistryAccess registry = RegistryAccess.from(env);
        // Outside the workspace, which the generator could have prepared with a poisoned cache.
        Path cache = Files.createTempDirectory("jib-cache");
        int port = manifest.port() != null ? manifest.port() : env.integer(DEFAULT_PORT, 8080);

        DescriptorDigest sourceDigest;
        try {
            registry.requireTls(sourceTarget.getRegistry());
            sourceDigest = SourceArchive.push(workspace.source(), sourceTarget, registry, cache);
        } catch (StationFailure unsafe) {
            throw unsafe;
        } catch (Exception e) {
            throw new StationFailure(
                    FailureReason.PushFailed.name(),
                    "pushing to " + sourceTarget + " failed: " + Errors.describe(e),
                    e);
        }
        DescriptorDigest appDigest;
        ImageReference base;
        try {
            base = BaseImages.resolve(manifest.baseImage(), registry);
            appDigest =
                    AppImage.describe(manifest, base, workspace.source(), port, registry)
                            .containerize(registry.containerizer(target, cache))
                            .getDigest();
        } catch (StationFailure refused) {
            throw refused;
        } catch (Exception e) {
            throw new StationFailure(
                    FailureReason.BuildFailed.name(),
                    "building "
                            + target
                            + " on base image "
                            + manifest.baseImage()
                            + " failed: "
                            + Errors.describe(e),
                    e);
        }
        System.err.println(
                "build: pushed "
                        + byDigest(target, appDigest)
                        + " and "
                        + byDigest(sourceTarget, sourceDigest)
                        + " on "
                        + base);
        return new StationOutcome(
                name(),
                true,
                null,
                null,
                byDigest(target, appDigest),
                byDigest(sourceTarget, sourceDigest),
                port,
                null,
                null,
                base.toString());
    }

    private static String byDigest(ImageReference image, DescriptorDigest digest) {
        return image.getRegistry() + "/" + image.getRepository() + "@" + digest;
    }
}
