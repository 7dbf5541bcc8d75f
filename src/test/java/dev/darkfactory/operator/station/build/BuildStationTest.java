package dev.darkfactory.operator.station.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.darkfactory.operator.contract.AppManifest;
import dev.darkfactory.operator.contract.StationOutcome;
import dev.darkfactory.operator.station.Json;
import dev.darkfactory.operator.station.Workspace;
import dev.darkfactory.operator.station.registry.RegistryAccess;
import dev.darkfactory.operator.station.testing.LocalRegistry;
import dev.darkfactory.operator.station.testing.StationRun;
import dev.darkfactory.operator.station.testing.TestImages;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The build station against a real registry on loopback, reading what it pushed back over the
 * registry API.
 *
 * <p>The class runs beside the other test classes (junit-platform.properties): it shares nothing
 * with them but the JVM. Its resource lock keeps its own tests one after the other, as they push to
 * the same repository.
 */
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock("BuildStationTest.registry")
class BuildStationTest {

    @TempDir static Path registryDir;
    private static LocalRegistry registry;
    private static String baseImage;

    @TempDir Path dir;
    private Workspace workspace;

    @BeforeAll
    static void startRegistry() throws Exception {
        registry = LocalRegistry.start(registryDir);
        Path marker = Files.writeString(registryDir.resolve("base-release"), "test base 1\n");
        baseImage =
                TestImages.pushBase(
                        registry,
                        "base/plain:1",
                        Map.of(marker, "/etc/base-release"),
                        registryDir.resolve("cache"));
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    @BeforeEach
    void writeSource() throws IOException {
        workspace = new Workspace(dir.resolve("workspace"));
        Files.createDirectories(workspace.source().resolve("static"));
        Files.writeString(workspace.source().resolve("main.py"), "print('hello')\n");
        Files.writeString(workspace.source().resolve("static/index.html"), "<h1>todo</h1>\n");
        Path script =
                Files.writeString(
                        workspace.source().resolve("run.sh"), "#!/bin/sh\nexec python3 main.py\n");
        script.toFile().setExecutable(true);
    }

    @Test
    void pushesTheAppImageOntoTheBaseAndTheSourceArchive() throws Exception {
        writeManifest(
                new AppManifest(
                        baseImage,
                        List.of("/app/run.sh"),
                        null,
                        9090,
                        "1000",
                        Map.of("MODE", "test"),
                        null));

        StationRun run = build(Map.of());

        assertThat(run.exitCode()).as(run.terminationMessage()).isZero();
        StationOutcome outcome = run.as(StationOutcome.class);
        assertThat(outcome.ok()).isTrue();
        assertThat(outcome.port()).isEqualTo(9090);
        assertThat(Json.read(workspace.buildOutcome(), StationOutcome.class)).isEqualTo(outcome);

        String digest = digestOf(outcome.image(), registry.host() + "/team-a/todo@");
        LocalRegistry.Manifest manifest = registry.manifest("team-a/todo", digest);
        assertThat(manifest.digest()).isEqualTo(digest).isEqualTo(sha256(manifest.bytes()));
        LocalRegistry.Manifest base = registry.manifest("base/plain", "1");
        assertThat(manifest.layerDigests()).hasSize(2).startsWith(base.layerDigests().get(0));
        assertThat(registry.manifest("team-a/todo", "g1-a1").digest())
                .as("the tag names the same image")
                .isEqualTo(digest);

        JsonNode config = registry.config("team-a/todo", manifest).path("config");
        assertThat(config.path("Entrypoint").toString()).isEqualTo("[\"/app/run.sh\"]");
        assertThat(config.path("WorkingDir").asText()).isEqualTo("/app");
        assertThat(config.path("User").asText()).isEqualTo("1000");
        assertThat(config.path("ExposedPorts").has("9090/tcp")).isTrue();
        assertThat(config.path("Env").toString()).contains("MODE=test");

        Map<String, Integer> appLayer = layerEntries("team-a/todo", manifest.layerDigests().get(1));
        assertThat(appLayer)
                .containsKeys("app/main.py", "app/static/index.html", "app/darkfactory-app.json");
        assertThat(appLayer.get("app/run.sh") & 0777).as("scripts stay executable").isEqualTo(0755);
        assertThat(appLayer.get("app/main.py") & 0777).isEqualTo(0644);

        String sourceDigest =
                digestOf(outcome.sourceImage(), registry.host() + "/team-a/todo-source@");
        LocalRegistry.Manifest source = registry.manifest("team-a/todo-source", sourceDigest);
        assertThat(source.layerDigests()).hasSize(1);
        assertThat(layerEntries("team-a/todo-source", source.layerDigests().get(0)))
                .containsKeys("src/main.py", "src/run.sh");
    }

    @Test
    void copiesOnlyTheFilesTheManifestNamesAndTakesTheDefaultPort() throws Exception {
        writeManifest(
                new AppManifest(
                        baseImage,
                        List.of("python3", "main.py"),
                        "/srv",
                        null,
                        null,
                        null,
                        List.of(new AppManifest.FileCopy("main.py", "/srv/main.py"))));

        StationRun run = build(Map.of(BuildStation.DEFAULT_PORT, "7070"));

        StationOutcome outcome = run.as(StationOutcome.class);
        assertThat(outcome.port()).isEqualTo(7070);
        LocalRegistry.Manifest manifest =
                registry.manifest(
                        "team-a/todo",
                        digestOf(outcome.image(), registry.host() + "/team-a/todo@"));
        assertThat(layerEntries("team-a/todo", manifest.layerDigests().get(1)).keySet())
                .filteredOn(name -> name.endsWith(".py") || name.endsWith(".html"))
                .containsExactly("srv/main.py");
        JsonNode config = registry.config("team-a/todo", manifest).path("config");
        assertThat(config.path("User").asText()).isEqualTo("65532");
        assertThat(config.path("ExposedPorts").has("7070/tcp")).isTrue();
    }

    @Test
    void aBaseImageOffTheAllowListIsRefused() throws Exception {
        writeManifest(
                new AppManifest(
                        "docker.io/library/python:3.12",
                        List.of("python3"),
                        null,
                        null,
                        null,
                        null,
                        null));

        StationRun run = build(Map.of());

        assertThat(run.exitCode()).isEqualTo(1);
        StationOutcome outcome = run.as(StationOutcome.class);
        assertThat(outcome.reason()).isEqualTo("BaseImageNotAllowed");
        assertThat(outcome.message())
                .isEqualTo(
                        "base image docker.io/library/python:3.12 is not allowed; allowed: "
                                + "docker.io/library/python:3.11, "
                                + registry.host()
                                + "/base/*");
        assertThat(Json.read(workspace.buildOutcome(), StationOutcome.class)).isEqualTo(outcome);
    }

    @Test
    void aMissingManifestIsNoAppManifest() throws Exception {
        StationRun run = build(Map.of());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.as(StationOutcome.class).reason()).isEqualTo("NoAppManifest");
        assertThat(run.as(StationOutcome.class).message())
                .startsWith("the generator left no app manifest at ");
    }

    @Test
    void anInvalidManifestNamesEveryFieldAtFault() throws Exception {
        writeManifest(
                new AppManifest(
                        baseImage,
                        List.of(),
                        "app",
                        0,
                        "0",
                        null,
                        List.of(
                                new AppManifest.FileCopy("../../etc", "/app"),
                                new AppManifest.FileCopy("nothing.txt", "app"))));

        StationOutcome outcome = build(Map.of()).as(StationOutcome.class);

        assertThat(outcome.reason()).isEqualTo("NoAppManifest");
        assertThat(outcome.message())
                .isEqualTo(
                        "darkfactory-app.json: entrypoint is required; "
                                + "workingDirectory must be an absolute path; port must be between 1 and 65535; "
                                + "user must be a numeric non-root user id such as 65532; "
                                + "files.from '../../etc' must be a path inside the source directory; "
                                + "files.from 'nothing.txt' does not exist in the source; files.to 'app' must be an absolute path in the image");
    }

    @Test
    void aRegistryThatIsDownIsPushFailed() throws Exception {
        writeManifest(new AppManifest(baseImage, List.of("python3"), null, null, null, null, null));
        String down = "127.0.0.1:" + LocalRegistry.freePort();

        StationRun run = build(Map.of(BuildStation.IMAGE_REPOSITORY, down + "/team-a/todo"));

        assertThat(run.exitCode()).isEqualTo(1);
        StationOutcome outcome = run.as(StationOutcome.class);
        assertThat(outcome.reason()).isEqualTo("PushFailed");
        assertThat(outcome.message())
                .startsWith("pushing to " + down + "/team-a/todo-source:g1-a1 failed: ")
                .contains("Connection refused");
    }

    /**
     * Slow (about 50 s): Jib retries the failed TLS handshake with backoff, as it would in a pod.
     */
    @Test
    void plainHttpNeedsTheRegistryMarkedInsecure() throws Exception {
        writeManifest(new AppManifest(baseImage, List.of("python3"), null, null, null, null, null));

        StationRun run = build(Map.of(RegistryAccess.INSECURE, "false"));

        assertThat(run.exitCode()).isEqualTo(1);
        StationOutcome outcome = run.as(StationOutcome.class);
        assertThat(outcome.reason()).isEqualTo("PushFailed");
        assertThat(outcome.message())
                .startsWith("pushing to " + registry.host() + "/team-a/todo-source:g1-a1 failed: ")
                .contains("the registry " + registry.host() + " does not speak TLS")
                .contains("allowed only for a registry marked insecure");
    }

    @Test
    void aMissingBaseImageIsBuildFailed() throws Exception {
        writeManifest(
                new AppManifest(
                        registry.host() + "/base/absent:1",
                        List.of("python3"),
                        null,
                        null,
                        null,
                        null,
                        null));

        StationOutcome outcome = build(Map.of()).as(StationOutcome.class);

        assertThat(outcome.reason()).isEqualTo("BuildFailed");
        assertThat(outcome.message())
                .startsWith(
                        "building "
                                + registry.host()
                                + "/team-a/todo:g1-a1 on base image "
                                + registry.host()
                                + "/base/absent:1 failed: ");
    }

    @Test
    void credentialsFromADockerConfigAreUsedAndWrongOnesArePushFailed(@TempDir Path authDir)
            throws Exception {
        try (LocalRegistry guarded = LocalRegistry.start(authDir, "builder", "right-password")) {
            Path marker = Files.writeString(authDir.resolve("base-release"), "guarded base\n");
            Map<String, String> env =
                    new HashMap<>(
                            Map.of(
                                    BuildStation.IMAGE_REPOSITORY,
                                    guarded.host() + "/team-a/todo",
                                    BuildStation.ALLOWED_BASE_IMAGES,
                                    guarded.host() + "/base/*"));
            Path rightConfig =
                    guarded.dockerConfig(
                            Files.createDirectories(authDir.resolve("right")),
                            "builder",
                            "right-password");
            String guardedBase =
                    TestImages.pushBase(
                            guarded,
                            "base/guarded:1",
                            Map.of(marker, "/etc/base-release"),
                            authDir.resolve("cache"));
            writeManifest(
                    new AppManifest(guardedBase, List.of("python3"), null, null, null, null, null));

            env.put(RegistryAccess.DOCKER_CONFIG, rightConfig.toString());
            StationRun accepted = build(env);
            env.put(
                    RegistryAccess.DOCKER_CONFIG,
                    guarded.dockerConfig(
                                    Files.createDirectories(authDir.resolve("wrong")),
                                    "builder",
                                    "wrong-password")
                            .toString());
            StationRun refused = build(env);

            assertThat(accepted.exitCode()).as(accepted.terminationMessage()).isZero();
            assertThat(guarded.manifest("team-a/todo", "g1-a1").layerDigests()).hasSize(2);
            assertThat(refused.exitCode()).isEqualTo(1);
            StationOutcome outcome = refused.as(StationOutcome.class);
            assertThat(outcome.reason()).isEqualTo("PushFailed");
            assertThat(outcome.message()).contains("Unauthorized").doesNotContain("wrong-password");
        }
    }

    /** A credentials file outside the source, standing in for the mounted push Secret. */
    private Path credentials() throws IOException {
        return Files.writeString(
                dir.resolve("dockerconfigjson"), "{\"auths\": {\"x\": {\"auth\": \"c2VjcmV0\"}}}");
    }

    @Test
    void aSymlinkToTheCredentialsIsUnsafeSourceAndNothingIsPushed() throws Exception {
        writeManifest(new AppManifest(baseImage, List.of("python3"), null, null, null, null, null));
        Files.createSymbolicLink(workspace.source().resolve("static/c"), credentials());

        assertUnsafeAndNothingPushed("hostile-link", "'src/static/c' is a symbolic link to ");
    }

    @Test
    void aFailedBuildCarriesTheGeneratorsTokensSinceReportWillNotRun() throws Exception {
        Json.write(workspace.usage(), new dev.darkfactory.operator.contract.Usage(100L, 20L, 120L));
        Files.createSymbolicLink(workspace.source().resolve("c"), credentials());

        StationOutcome outcome =
                build(Map.of(BuildStation.IMAGE_TAG, "hostile-tokens")).as(StationOutcome.class);

        assertThat(outcome.reason()).isEqualTo("UnsafeSource");
        assertThat(outcome.tokens()).isEqualTo(120);
    }

    @Test
    void aLinkPlantedWhereBuildWritesItsOutcomeIsRemovedNotFollowed() throws Exception {
        writeManifest(new AppManifest(baseImage, List.of("python3"), null, null, null, null, null));
        Path victim = Files.writeString(dir.resolve("victim.txt"), "untouched");
        Files.createDirectories(workspace.buildOutcome().getParent());
        Files.createSymbolicLink(workspace.buildOutcome(), victim);

        StationRun run = build(Map.of(BuildStation.IMAGE_TAG, "claimed"));

        assertThat(run.exitCode()).as(run.terminationMessage()).isZero();
        assertThat(victim).hasContent("untouched");
        assertThat(Files.isSymbolicLink(workspace.buildOutcome())).isFalse();
    }

    @Test
    void aLinkedOutputDirectoryIsUnsafeSource() throws Exception {
        writeManifest(new AppManifest(baseImage, List.of("python3"), null, null, null, null, null));
        Path outside = Files.createDirectories(dir.resolve("outside-out"));
        Files.createDirectories(workspace.control());
        Files.createSymbolicLink(workspace.buildOutcome().getParent(), outside);

        StationRun run = build(Map.of(BuildStation.IMAGE_TAG, "linked-out"));

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.as(StationOutcome.class).reason()).isEqualTo("UnsafeSource");
        try (var files = Files.list(outside)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void aSymlinkToProcSelfEnvironIsUnsafeSource() throws Exception {
        writeManifest(new AppManifest(baseImage, List.of("python3"), null, null, null, null, null));
        Files.createSymbolicLink(workspace.source().resolve("env"), Path.of("/proc/self/environ"));

        assertUnsafeAndNothingPushed(
                "hostile-environ", "'src/env' is a symbolic link to '/proc/self/environ'");
    }

    @Test
    void aSymlinkToADirectoryOutsideIsUnsafeSource() throws Exception {
        writeManifest(new AppManifest(baseImage, List.of("python3"), null, null, null, null, null));
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "secret");
        Files.createSymbolicLink(workspace.source().resolve("up"), outside);

        assertUnsafeAndNothingPushed("hostile-dir", "'src/up' is a symbolic link to ");
    }

    @Test
    void theAppManifestItselfAsASymlinkIsUnsafeSourceBeforeItIsRead() throws Exception {
        Files.createSymbolicLink(workspace.appManifest(), credentials());

        assertUnsafeAndNothingPushed(
                "hostile-manifest", "'src/darkfactory-app.json' is a symbolic link to ");
    }

    @Test
    void aHardLinkToAFileOutsideIsUnsafeSource() throws Exception {
        writeManifest(new AppManifest(baseImage, List.of("python3"), null, null, null, null, null));
        Files.createLink(workspace.source().resolve("hard"), credentials());

        assertUnsafeAndNothingPushed(
                "hostile-hard", "'src/hard' is a hard link (2 names for one file");
    }

    @Test
    void aFifoIsUnsafeSource() throws Exception {
        writeManifest(new AppManifest(baseImage, List.of("python3"), null, null, null, null, null));
        Process mkfifo =
                new ProcessBuilder("mkfifo", workspace.source().resolve("pipe").toString()).start();
        assertThat(mkfifo.waitFor()).isZero();

        assertUnsafeAndNothingPushed("hostile-fifo", "'src/pipe' is a FIFO (named pipe)");
    }

    @Test
    void theBaseImageIsPinnedByDigestAndRecorded() throws Exception {
        writeManifest(new AppManifest(baseImage, List.of("python3"), null, null, null, null, null));

        StationOutcome outcome =
                build(Map.of(BuildStation.IMAGE_TAG, "pinned")).as(StationOutcome.class);

        assertThat(outcome.baseImage())
                .isEqualTo(
                        registry.host()
                                + "/base/plain@"
                                + registry.manifest("base/plain", "1").digest());
    }

    @Test
    void anImageTheFactoryBuiltIsNeverABaseImage() throws Exception {
        writeManifest(new AppManifest(baseImage, List.of("python3"), null, null, null, null, null));
        StationOutcome first =
                build(Map.of(BuildStation.IMAGE_TAG, "first")).as(StationOutcome.class);
        writeManifest(
                new AppManifest(first.image(), List.of("python3"), null, null, null, null, null));

        StationRun second =
                build(
                        Map.of(
                                BuildStation.IMAGE_REPOSITORY,
                                registry.host() + "/team-b/other",
                                BuildStation.IMAGE_TAG,
                                "second",
                                BuildStation.ALLOWED_BASE_IMAGES,
                                registry.host() + "/*"));

        assertThat(second.exitCode()).isEqualTo(1);
        StationOutcome outcome = second.as(StationOutcome.class);
        assertThat(outcome.reason()).isEqualTo("BaseImageNotAllowed");
        assertThat(outcome.message()).contains("was built by the factory");
        assertThatThrownBy(() -> registry.manifest("team-b/other", "second"))
                .isInstanceOf(IOException.class);
    }

    private void assertUnsafeAndNothingPushed(String tag, String expected) throws Exception {
        StationRun run = build(Map.of(BuildStation.IMAGE_TAG, tag));

        assertThat(run.exitCode()).isEqualTo(1);
        StationOutcome outcome = run.as(StationOutcome.class);
        assertThat(outcome.reason()).isEqualTo("UnsafeSource");
        assertThat(outcome.message()).contains(expected).doesNotContain("c2VjcmV0");
        assertThat(run.terminationMessage()).doesNotContain("c2VjcmV0");
        assertThatThrownBy(() -> registry.manifest("team-a/todo-source", tag))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> registry.manifest("team-a/todo", tag))
                .isInstanceOf(IOException.class);
    }

    private StationRun build(Map<String, String> extra) throws IOException {
        Map<String, String> env =
                new HashMap<>(
                        Map.of(
                                Workspace.WORKSPACE_DIR,
                                workspace.root().toString(),
                                BuildStation.IMAGE_REPOSITORY,
                                registry.host() + "/team-a/todo",
                                BuildStation.IMAGE_TAG,
                                "g1-a1",
                                BuildStation.ALLOWED_BASE_IMAGES,
                                "docker.io/library/python:3.11, " + registry.host() + "/base/*",
                                RegistryAccess.INSECURE,
                                "true"));
        env.putAll(extra);
        return StationRun.run("build", dir, env);
    }

    private void writeManifest(AppManifest manifest) throws IOException {
        Json.write(workspace.appManifest(), manifest);
    }

    private static String digestOf(String imageByDigest, String expectedPrefix) {
        assertThat(imageByDigest).startsWith(expectedPrefix);
        return imageByDigest.substring(expectedPrefix.length());
    }

    /** Entry names of a layer blob with their permission bits. */
    private static Map<String, Integer> layerEntries(String repository, String digest)
            throws Exception {
        Map<String, Integer> entries = new HashMap<>();
        try (TarArchiveInputStream tar =
                new TarArchiveInputStream(
                        new GzipCompressorInputStream(
                                new ByteArrayInputStream(registry.blob(repository, digest))))) {
            for (TarArchiveEntry entry = tar.getNextEntry();
                    entry != null;
                    entry = tar.getNextEntry()) {
                entries.put(entry.getName().replaceFirst("^/", ""), entry.getMode());
            }
        }
        return entries;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return "sha256:"
                + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
