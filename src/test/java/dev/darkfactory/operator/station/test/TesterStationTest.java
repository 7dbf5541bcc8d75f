package dev.darkfactory.operator.station.test;

import static dev.darkfactory.operator.station.testing.LocalHttpServer.respond;
import static org.assertj.core.api.Assertions.assertThat;

import dev.darkfactory.operator.api.v1alpha1.HttpCheck;
import dev.darkfactory.operator.api.v1alpha1.HttpMethod;
import dev.darkfactory.operator.api.v1alpha1.JsonFieldExpectation;
import dev.darkfactory.operator.contract.CheckResult;
import dev.darkfactory.operator.contract.StationLimits;
import dev.darkfactory.operator.contract.TestReport;
import dev.darkfactory.operator.station.Json;
import dev.darkfactory.operator.station.testing.LocalHttpServer;
import dev.darkfactory.operator.station.testing.StationRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TesterStationTest {

    @TempDir Path dir;

    private LocalHttpServer app;
    private final AtomicInteger healthProbes = new AtomicInteger();
    private volatile int healthStatus = 200;
    private final List<String> createdBodies = new ArrayList<>();

    @BeforeEach
    void startApp() throws Exception {
        app =
                LocalHttpServer.start()
                        .handle(
                                "/healthz",
                                exchange -> {
                                    healthProbes.incrementAndGet();
                                    respond(exchange, healthStatus, "");
                                })
                        .handle(
                                "/todos",
                                exchange -> {
                                    if (exchange.getRequestMethod().equals("POST")
                                            && "application/json"
                                                    .equals(
                                                            exchange.getRequestHeaders()
                                                                    .getFirst("Content-Type"))) {
                                        createdBodies.add(
                                                new String(
                                                        exchange.getRequestBody().readAllBytes(),
                                                        StandardCharsets.UTF_8));
                                        respond(
                                                exchange,
                                                201,
                                                "{\"id\":1,\"title\":\"milk\",\"done\":false}");
                                    } else {
                                        respond(
                                                exchange,
                                                200,
                                                "[{\"id\":1,\"title\":\"milk\",\"done\":false}]");
                                    }
                                })
                        .handle(
                                "/slow",
                                exchange -> {
                                    sleep(400);
                                    respond(exchange, 200, "late");
                                });
    }

    @AfterEach
    void stopApp() {
        app.close();
    }

    @Test
    void allChecksPassing() throws Exception {
        HttpCheck list = check("list-todos", HttpMethod.GET, "/todos", 200);
        list.bodyContains = "milk";
        list.jsonFields =
                List.of(
                        new JsonFieldExpectation("/0/title", "milk"),
                        new JsonFieldExpectation("/0/id", "1"),
                        new JsonFieldExpectation("/0/done", "false"));
        list.maxLatency = "2s";
        HttpCheck create = check("create-todo", HttpMethod.POST, "/todos", 201);
        create.body = "{\"title\":\"milk\"}";
        create.headers = Map.of("Content-Type", "application/json");
        create.jsonFields = List.of(new JsonFieldExpectation("/title", "milk"));

        StationRun run = runTester(List.of(list), List.of(create));

        TestReport report = run.as(TestReport.class);
        assertThat(run.exitCode()).isEqualTo(TestReport.EXIT_PASSED);
        assertThat(report.ok()).isTrue();
        assertThat(report.healthy()).isTrue();
        assertThat(report.passed()).isEqualTo(2);
        assertThat(report.heldOutPassed()).isEqualTo(1);
        assertThat(report.heldOutFailed()).isZero();
        // The held-out check is counted, never listed.
        assertThat(report.results())
                .extracting(CheckResult::name, CheckResult::holdout, CheckResult::ok)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("list-todos", false, true));
        assertThat(createdBodies).containsExactly("{\"title\":\"milk\"}");
    }

    @Test
    void failingChecksSayWhatWasWrongAndComeFirst() throws Exception {
        HttpCheck passing = check("health", HttpMethod.GET, "/healthz", 200);
        HttpCheck wrongStatus = check("get-item", HttpMethod.GET, "/nothing-here", 200);
        HttpCheck wrongBody = check("list-todos", HttpMethod.GET, "/todos", 200);
        wrongBody.bodyContains = "bread";
        wrongBody.jsonFields =
                List.of(
                        new JsonFieldExpectation("/0/title", "bread"),
                        new JsonFieldExpectation("/0/owner", "me"));

        StationRun run = runTester(List.of(passing, wrongStatus, wrongBody), List.of());

        TestReport report = run.as(TestReport.class);
        assertThat(run.exitCode()).isEqualTo(TestReport.EXIT_CHECKS_FAILED);
        assertThat(report.ok()).isFalse();
        assertThat(report.healthy()).isTrue();
        assertThat(report.passed()).isEqualTo(1);
        assertThat(report.failed()).isEqualTo(2);
        assertThat(report.results())
                .extracting(CheckResult::name)
                .containsExactly("get-item", "list-todos", "health");
        assertThat(report.results().get(0).reason()).isEqualTo("expected status 200, got 404");
        assertThat(report.results().get(0).request()).isEqualTo("GET /nothing-here");
        assertThat(report.results().get(1).reason())
                .isEqualTo(
                        "body does not contain \"bread\"; "
                                + "/0/title: expected \"bread\", got \"milk\"; no field at /0/owner");
    }

    @Test
    void aResponseSlowerThanItsLatencyBoundFails() throws Exception {
        HttpCheck slow = check("slow", HttpMethod.GET, "/slow", 200);
        slow.maxLatency = "100ms";

        StationRun run = runTester(List.of(slow), List.of());

        assertThat(run.exitCode()).isEqualTo(TestReport.EXIT_CHECKS_FAILED);
        assertThat(run.as(TestReport.class).results().get(0).reason())
                .matches("took \\d+ms, more than 100ms");
    }

    @Test
    void anAppThatNeverBecomesHealthyIsReportedAsSuch() throws Exception {
        healthStatus = 503;

        StationRun run =
                runTester(List.of(check("health", HttpMethod.GET, "/healthz", 200)), List.of());

        TestReport report = run.as(TestReport.class);
        assertThat(run.exitCode()).isEqualTo(TestReport.EXIT_NEVER_HEALTHY);
        assertThat(report.healthy()).isFalse();
        assertThat(report.ok()).isFalse();
        assertThat(report.message()).contains("never became healthy").contains("last: status 503");
        assertThat(healthProbes.get()).isGreaterThan(1);
    }

    @Test
    void anAppThatIsNotThereIsNeverHealthy() throws Exception {
        app.close();

        StationRun run =
                runTester(List.of(check("health", HttpMethod.GET, "/healthz", 200)), List.of());

        assertThat(run.exitCode()).isEqualTo(TestReport.EXIT_NEVER_HEALTHY);
        assertThat(run.as(TestReport.class).message()).contains("ConnectException");
    }

    @Test
    void fiveHundredFailingChecksStillFitTheTerminationMessage() throws Exception {
        List<HttpCheck> checks = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            checks.add(check("missing-" + i, HttpMethod.GET, "/missing/" + i, 200));
        }

        StationRun run = runTester(checks, List.of());

        assertThat(run.terminationMessage().getBytes(StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(StationLimits.TERMINATION_MESSAGE_BYTES);
        TestReport report = run.as(TestReport.class);
        assertThat(report.failed()).isEqualTo(500);
        assertThat(report.results().size() + report.truncated()).isEqualTo(500);
        assertThat(report.truncated()).isPositive();
    }

    @Test
    void unreadableChecksAreTheTestersOwnFailure() throws Exception {
        Path visible = dir.resolve("visible.json");
        Files.writeString(visible, "{not json");

        StationRun run =
                StationRun.run(
                        "test",
                        dir,
                        Map.of(
                                TesterStation.APP_URL,
                                app.url().toString(),
                                TesterStation.VISIBLE_CHECKS,
                                visible.toString()));

        assertThat(run.exitCode()).isEqualTo(TestReport.EXIT_TESTER_FAILED);
        assertThat(run.json().path("reason").asText()).isEqualTo("TesterFailed");
    }

    private StationRun runTester(List<HttpCheck> visible, List<HttpCheck> heldOut)
            throws Exception {
        Path visibleFile = dir.resolve("visible.json");
        Path heldOutFile = dir.resolve("holdout.json");
        Json.write(visibleFile, visible);
        Json.write(heldOutFile, heldOut);
        Map<String, String> env = new HashMap<>();
        env.put(TesterStation.APP_URL, app.url().toString());
        env.put(TesterStation.HEALTH_TIMEOUT, "1s");
        env.put(TesterStation.VISIBLE_CHECKS, visibleFile.toString());
        env.put(TesterStation.HOLDOUT_CHECKS, heldOutFile.toString());
        return StationRun.run("test", dir, env);
    }

    private static HttpCheck check(String name, HttpMethod method, String path, int status) {
        return new HttpCheck(name, method, path, status);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
