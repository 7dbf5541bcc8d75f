package dev.darkfactory.operator.station.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.darkfactory.operator.api.v1alpha1.HttpCheck;
import dev.darkfactory.operator.api.v1alpha1.HttpMethod;
import dev.darkfactory.operator.api.v1alpha1.JsonFieldExpectation;
import dev.darkfactory.operator.contract.AppManifest;
import dev.darkfactory.operator.contract.StationOutcome;
import dev.darkfactory.operator.contract.TestReport;
import dev.darkfactory.operator.station.Json;
import dev.darkfactory.operator.station.Workspace;
import dev.darkfactory.operator.station.build.BuildStation;
import dev.darkfactory.operator.station.registry.RegistryAccess;
import dev.darkfactory.operator.station.test.TesterStation;
import dev.darkfactory.operator.station.testing.Commands;
import dev.darkfactory.operator.station.testing.LocalRegistry;
import dev.darkfactory.operator.station.testing.StationRun;
import dev.darkfactory.operator.station.testing.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole way of an image: build pushes it to a registry on loopback, a real Docker engine pulls
 * it by digest and runs it (host network, so the app listens on 127.0.0.1), and the tester station
 * passes against it. The app is busybox httpd on a base image made here from this machine's static
 * busybox. Skipped where no Docker engine runs.
 */
class BuiltImageRunsInDockerTest {

    private static final Path BUSYBOX = Path.of("/bin/busybox");

    @TempDir Path dir;

    @Test
    void theBuiltImageRunsAndPassesItsChecks() throws Exception {
        Commands.Result docker =
                Commands.run(20, "docker", "info", "--format", "{{.ServerVersion}}");
        assumeTrue(
                docker.ok(),
                "skipped: no Docker engine answers `docker info` ("
                        + docker.output().strip()
                        + ")");
        assumeTrue(
                Files.isExecutable(BUSYBOX)
                        && Commands.run(10, "ldd", BUSYBOX.toString())
                                .output()
                                .contains("not a dynamic"),
                "skipped: needs a static /bin/busybox (Debian package busybox-static) for the app image");

        try (LocalRegistry registry =
                LocalRegistry.start(Files.createDirectories(dir.resolve("registry")))) {
            String base =
                    TestImages.pushBase(
                            registry,
                            "base/busybox:1",
                            Map.of(BUSYBOX, "/bin/busybox"),
                            dir.resolve("cache"));
            int port = LocalRegistry.freePort();
            Workspace workspace = new Workspace(dir.resolve("workspace"));
            Files.createDirectories(workspace.source().resolve("www"));
            Files.writeString(workspace.source().resolve("www/healthz"), "ok\n");
            Files.writeString(
                    workspace.source().resolve("www/todos.json"),
                    "[{\"title\": \"milk\", \"done\": false}]\n");
            Json.write(
                    workspace.appManifest(),
                    new AppManifest(
                            base,
                            List.of(
                                    "/bin/busybox",
                                    "httpd",
                                    "-f",
                                    "-p",
                                    "127.0.0.1:" + port,
                                    "-h",
                                    "/app/www"),
                            null,
                            port,
                            null,
                            null,
                            null));

            StationOutcome built =
                    StationRun.run(
                                    "build",
                                    dir,
                                    Map.of(
                                            Workspace.WORKSPACE_DIR,
                                            workspace.root().toString(),
                                            BuildStation.IMAGE_REPOSITORY,
                                            registry.host() + "/team-a/static",
                                            BuildStation.IMAGE_TAG,
                                            "g1-a1",
                                            BuildStation.ALLOWED_BASE_IMAGES,
                                            base,
                                            RegistryAccess.INSECURE,
                                            "true"))
                            .as(StationOutcome.class);
            assertThat(built.ok()).as(built.message()).isTrue();

            String container = "darkfactory-test-" + port;
            Commands.Result started =
                    Commands.run(
                            120,
                            "docker",
                            "run",
                            "-d",
                            "--rm",
                            "--network",
                            "host",
                            "--name",
                            container,
                            built.image());
            try {
                assertThat(started.ok()).as(started.output()).isTrue();
                HttpCheck todos = new HttpCheck("list-todos", HttpMethod.GET, "/todos.json", 200);
                todos.jsonFields = List.of(new JsonFieldExpectation("/0/title", "milk"));
                Path checks = dir.resolve("visible.json");
                Json.write(
                        checks,
                        List.of(new HttpCheck("health", HttpMethod.GET, "/healthz", 200), todos));

                StationRun tested =
                        StationRun.run(
                                "test",
                                dir,
                                Map.of(
                                        TesterStation.APP_URL,
                                        "http://127.0.0.1:" + port,
                                        TesterStation.HEALTH_TIMEOUT,
                                        "30s",
                                        TesterStation.VISIBLE_CHECKS,
                                        checks.toString(),
                                        TesterStation.HOLDOUT_CHECKS,
                                        dir.resolve("no-holdout.json").toString()));

                assertThat(tested.exitCode())
                        .as(tested.terminationMessage())
                        .isEqualTo(TestReport.EXIT_PASSED);
                assertThat(tested.as(TestReport.class).passed()).isEqualTo(2);
                assertThat(
                                Commands.run(
                                                20,
                                                "docker",
                                                "inspect",
                                                "--format",
                                                "{{.Config.User}}",
                                                container)
                                        .output()
                                        .strip())
                        .isEqualTo("65532");
            } finally {
                Commands.run(60, "docker", "rm", "-f", container);
                Commands.run(60, "docker", "rmi", built.image());
            }
        }
    }
}
