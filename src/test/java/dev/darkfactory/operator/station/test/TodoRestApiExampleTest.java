package dev.darkfactory.operator.station.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.darkfactory.operator.api.v1alpha1.HttpCheck;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntent;
import dev.darkfactory.operator.contract.CheckResult;
import dev.darkfactory.operator.contract.TestReport;
import dev.darkfactory.operator.station.Json;
import dev.darkfactory.operator.station.testing.StationRun;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tester station runs the checks of examples/todo-rest-api.yaml, and the scenarios of
 * examples/todo-scenarios.yaml, against the Python program the demo model and the end-to-end
 * suite's canned model answer with (hack/demo-model/todo_api.py): the program passes them all, and
 * the held-out checks really depend on the state the visible create-todo check left behind.
 */
class TodoRestApiExampleTest {

    private static final Path APP = Path.of("hack", "demo-model", "todo_api.py");
    private static final Path EXAMPLE = Path.of("examples", "todo-rest-api.yaml");
    private static final Path SCENARIOS = Path.of("examples", "todo-scenarios.yaml");

    @TempDir Path dir;

    private Process app;
    private int port;

    @BeforeEach
    void startTheApp() throws IOException {
        assumeTrue(python3() != null, "python3 is not on the PATH (.ci/run installs it)");
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        ProcessBuilder builder =
                new ProcessBuilder(python3(), APP.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("app.log").toFile());
        builder.environment().put("PORT", String.valueOf(port));
        app = builder.start();
    }

    @AfterEach
    void stopTheApp() {
        if (app != null) {
            app.destroy();
        }
    }

    @Test
    void theDemoAppPassesEveryCheckOfTheExampleHeldOutOnesIncluded() throws Exception {
        List<HttpCheck> checks = exampleChecks();

        TestReport report =
                runTester(
                                checks.stream().filter(c -> !c.heldOut()).toList(),
                                checks.stream().filter(HttpCheck::heldOut).toList())
                        .as(TestReport.class);

        // Held-out checks leave the tester as counts only; the visible ones by name.
        assertThat(report.results()).filteredOn(r -> !r.ok()).isEmpty();
        assertThat(report.results()).extracting(CheckResult::name).contains("create-todo");
        assertThat(report.heldOutPassed())
                .isEqualTo(checks.stream().filter(HttpCheck::heldOut).count());
        assertThat(report.heldOutFailed()).isZero();
        assertThat(report.ok()).isTrue();
    }

    @Test
    void theHeldOutChecksFindOnlyWhatTheCreateCheckStored() throws Exception {
        List<HttpCheck> heldOut = exampleChecks().stream().filter(HttpCheck::heldOut).toList();

        TestReport report = runTester(List.of(), heldOut).as(TestReport.class);

        // Without the visible create, the three held-out checks that need its item (find, read,
        // delete) fail.
        assertThat(report.heldOutFailed()).isEqualTo(3);
        assertThat(report.heldOutPassed()).isEqualTo(heldOut.size() - 3);
    }

    /**
     * What the end-to-end suite's scenario test serves: the scenarios' captured ids and generated
     * priorities round-trip through the demo app, the held-out one included.
     */
    @Test
    void theDemoAppPassesTheScenariosOfTheScenarioExample() throws Exception {
        var acceptance =
                Serialization.unmarshal(Files.readString(SCENARIOS), SoftwareIntent.class)
                        .getSpec()
                        .acceptance;
        Path visible = dir.resolve("scenarios.json");
        Path heldOut = dir.resolve("holdout-scenarios.json");
        Json.write(visible, acceptance.scenarios.stream().filter(s -> !s.heldOut()).toList());
        Json.write(heldOut, acceptance.scenarios.stream().filter(s -> s.heldOut()).toList());

        TestReport report =
                runTester(
                                acceptance.checks,
                                List.of(),
                                Map.of(
                                        TesterStation.VISIBLE_SCENARIOS,
                                        visible.toString(),
                                        TesterStation.HOLDOUT_SCENARIOS,
                                        heldOut.toString()))
                        .as(TestReport.class);

        assertThat(report.results()).filteredOn(r -> !r.ok()).isEmpty();
        assertThat(report.results()).extracting(CheckResult::name).contains("create-then-read");
        assertThat(report.heldOutPassed()).isEqualTo(1);
        assertThat(report.heldOutFailed()).isZero();
        assertThat(report.ok()).isTrue();
    }

    private static List<HttpCheck> exampleChecks() throws IOException {
        return Serialization.unmarshal(Files.readString(EXAMPLE), SoftwareIntent.class)
                .getSpec()
                .acceptance
                .checks;
    }

    private StationRun runTester(List<HttpCheck> visible, List<HttpCheck> heldOut)
            throws Exception {
        return runTester(visible, heldOut, Map.of());
    }

    private StationRun runTester(
            List<HttpCheck> visible, List<HttpCheck> heldOut, Map<String, String> more)
            throws Exception {
        Path visibleFile = dir.resolve("visible.json");
        Path heldOutFile = dir.resolve("holdout.json");
        Json.write(visibleFile, visible);
        Json.write(heldOutFile, heldOut);
        Map<String, String> env = new HashMap<>();
        env.put(TesterStation.APP_URL, "http://127.0.0.1:" + port);
        env.put(TesterStation.HEALTH_TIMEOUT, "60s");
        env.put(TesterStation.VISIBLE_CHECKS, visibleFile.toString());
        env.put(TesterStation.HOLDOUT_CHECKS, heldOutFile.toString());
        env.putAll(more);
        return StationRun.run("test", dir, env);
    }

    private static String python3() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, "python3"))) {
                return Path.of(dir, "python3").toString();
            }
        }
        return null;
    }
}
