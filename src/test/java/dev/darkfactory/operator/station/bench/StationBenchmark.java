package dev.darkfactory.operator.station.bench;

import dev.darkfactory.operator.contract.AppManifest;
import dev.darkfactory.operator.contract.StationOutcome;
import dev.darkfactory.operator.station.Json;
import dev.darkfactory.operator.station.StationMain;
import dev.darkfactory.operator.station.Workspace;
import dev.darkfactory.operator.station.build.BuildStation;
import dev.darkfactory.operator.station.registry.RegistryAccess;
import dev.darkfactory.operator.station.testing.LocalRegistry;
import dev.darkfactory.operator.station.testing.TestImages;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Not a test: {@code make bench-stations} runs it. It times the packaged launcher as the pods run
 * it, each run a new JVM: (1) the start of a station, as the whole run of {@code report}, the
 * smallest station; (2) {@code build} of a 20 MB app layer of fresh random bytes (so no layer is
 * ever already in the registry) pushed to a registry on loopback. Prints median, min and max.
 */
public final class StationBenchmark {

    private static final int START_RUNS = 20;
    private static final int BUILD_RUNS = 5;
    private static final int LAYER_BYTES = 20 * 1024 * 1024;

    private StationBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path launcher =
                Path.of(args.length > 0 ? args[0] : "target/quarkus-app/station").toAbsolutePath();
        Path dir = Files.createTempDirectory("station-bench");
        System.out.println(
                "launcher: "
                        + launcher
                        + "; "
                        + Runtime.getRuntime().availableProcessors()
                        + " cores");

        Workspace small = new Workspace(dir.resolve("report-workspace"));
        Files.createDirectories(small.source());
        Files.writeString(small.source().resolve("main.py"), "print('hello')\n");
        Json.write(
                small.buildOutcome(),
                new StationOutcome(
                        "build",
                        true,
                        null,
                        null,
                        "r/a@sha256:0",
                        "r/b@sha256:0",
                        8080,
                        null,
                        null));
        List<Duration> starts = new ArrayList<>();
        for (int i = 0; i < START_RUNS + 3; i++) {
            Duration took =
                    time(
                            launcher,
                            "report",
                            dir,
                            Map.of(Workspace.WORKSPACE_DIR, small.root().toString()));
            if (i >= 3) { // the first runs warm the page cache
                starts.add(took);
            }
        }
        print("station start (report, whole run)", starts);

        try (LocalRegistry registry =
                LocalRegistry.start(Files.createDirectories(dir.resolve("registry")))) {
            Path marker = Files.writeString(dir.resolve("base-release"), "bench base\n");
            String base =
                    TestImages.pushBase(
                            registry,
                            "base/plain:1",
                            Map.of(marker, "/etc/base-release"),
                            dir.resolve("cache"));
            List<Duration> builds = new ArrayList<>();
            Random random = new Random(42);
            for (int i = 0; i < BUILD_RUNS; i++) {
                Workspace workspace = new Workspace(dir.resolve("build-workspace-" + i));
                Files.createDirectories(workspace.source());
                writeRandom(workspace.source().resolve("data.bin"), random);
                Json.write(
                        workspace.appManifest(),
                        new AppManifest(
                                base,
                                List.of("/app/run"),
                                null,
                                8080,
                                null,
                                null,
                                List.of(new AppManifest.FileCopy("data.bin", "/app/data.bin"))));
                builds.add(
                        time(
                                launcher,
                                "build",
                                dir,
                                Map.of(
                                        Workspace.WORKSPACE_DIR,
                                        workspace.root().toString(),
                                        BuildStation.IMAGE_REPOSITORY,
                                        registry.host() + "/bench/app",
                                        BuildStation.IMAGE_TAG,
                                        "run-" + i,
                                        BuildStation.ALLOWED_BASE_IMAGES,
                                        base,
                                        RegistryAccess.INSECURE,
                                        "true")));
            }
            print(
                    "build and push, 20 MB app layer (+ 20 MB source archive), loopback registry",
                    builds);
        }
    }

    private static Duration time(Path launcher, String station, Path dir, Map<String, String> env)
            throws IOException, InterruptedException {
        ProcessBuilder process =
                new ProcessBuilder(launcher.toString(), station)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(dir.resolve(station + ".log").toFile());
        process.environment().putAll(env);
        process.environment()
                .put(StationMain.TERMINATION_LOG, dir.resolve(station + ".termination").toString());
        long start = System.nanoTime();
        int exit = process.start().waitFor();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        if (exit != 0) {
            throw new IllegalStateException(
                    station
                            + " exited "
                            + exit
                            + ": "
                            + Files.readString(dir.resolve(station + ".termination")));
        }
        return took;
    }

    private static void writeRandom(Path file, Random random) throws IOException {
        byte[] chunk = new byte[1024 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int written = 0; written < LAYER_BYTES; written += chunk.length) {
                random.nextBytes(chunk);
                out.write(chunk);
            }
        }
    }

    private static void print(String what, List<Duration> runs) {
        List<Long> millis = new ArrayList<>(runs.stream().map(Duration::toMillis).toList());
        Collections.sort(millis);
        System.out.printf(
                "%s: median %d ms, min %d ms, max %d ms over %d runs%n",
                what,
                millis.get(millis.size() / 2),
                millis.get(0),
                millis.get(millis.size() - 1),
                millis.size());
    }
}
