package dev.darkfactory.operator.station.test;

import static dev.darkfactory.operator.station.testing.LocalHttpServer.respond;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import dev.darkfactory.operator.api.v1alpha1.Capture;
import dev.darkfactory.operator.api.v1alpha1.HttpCheck;
import dev.darkfactory.operator.api.v1alpha1.HttpMethod;
import dev.darkfactory.operator.api.v1alpha1.JsonFieldExpectation;
import dev.darkfactory.operator.api.v1alpha1.Scenario;
import dev.darkfactory.operator.api.v1alpha1.Step;
import dev.darkfactory.operator.contract.CheckResult;
import dev.darkfactory.operator.contract.Redactor;
import dev.darkfactory.operator.contract.TestReport;
import dev.darkfactory.operator.station.Json;
import dev.darkfactory.operator.station.testing.LocalHttpServer;
import dev.darkfactory.operator.station.testing.StationRun;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tester against a real, stateful app on loopback: scenarios with generated and captured
 * variables, trials, held-out cases that leave nothing but counts, Secret values redacted.
 */
class ScenarioStationTest {

    private static final String HELD_OUT_CANARY = "canaryheldoutq7x";
    private static final String SECRET_CANARY = "canary-secret-Zq81";

    @TempDir Path dir;

    private LocalHttpServer app;

    /** The todo store of the app: id to title. */
    private final Map<String, String> store = new ConcurrentHashMap<>();

    /** Every title the app was ever sent, in order. */
    private final List<String> titlesSeen = new CopyOnWriteArrayList<>();

    private final AtomicInteger ids = new AtomicInteger();
    private final AtomicInteger listCalls = new AtomicInteger();

    /** A cheating app: answers every read with the first title it ever saw. */
    private volatile boolean replaying;

    /** Fails every third listing: a flaky app. */
    private volatile boolean flaky;

    private volatile String leakedBody = "{}";

    @BeforeEach
    void startApp() throws Exception {
        app =
                LocalHttpServer.start()
                        .handle("/healthz", exchange -> respond(exchange, 200, ""))
                        .handle("/todos", this::todos)
                        .handle("/leak", exchange -> respond(exchange, 200, leakedBody))
                        .handle(
                                "/huge",
                                exchange ->
                                        respond(
                                                exchange,
                                                200,
                                                "x".repeat(StepRunner.MAX_BODY_BYTES + 10)));
    }

    @AfterEach
    void stopApp() {
        app.close();
    }

    private void todos(HttpExchange exchange) throws java.io.IOException {
        String path = exchange.getRequestURI().getPath();
        if (exchange.getRequestMethod().equals("POST") && path.equals("/todos")) {
            JsonNode body = Json.MAPPER.readTree(exchange.getRequestBody());
            String title = body.path("title").asText();
            titlesSeen.add(title);
            String id = "t" + ids.incrementAndGet();
            store.put(id, title);
            exchange.getResponseHeaders().set("Location", "/todos/" + id);
            respond(
                    exchange,
                    201,
                    Json.MAPPER.writeValueAsString(Map.of("id", id, "title", title)));
            return;
        }
        if (path.equals("/todos")) {
            int call = listCalls.incrementAndGet();
            boolean fail = flaky && call % 3 == 0;
            respond(exchange, fail ? 500 : 200, Json.MAPPER.writeValueAsString(store.values()));
            return;
        }
        String id = path.substring("/todos/".length());
        String title = replaying && !titlesSeen.isEmpty() ? titlesSeen.get(0) : store.get(id);
        if (title == null) {
            respond(exchange, 404, "{}");
        } else {
            respond(
                    exchange,
                    200,
                    Json.MAPPER.writeValueAsString(Map.of("id", id, "title", title)));
        }
    }

    @Test
    void aPostThenGetWithACapturedIdPasses() throws Exception {
        StationRun run =
                runTester(
                        List.of(),
                        List.of(),
                        List.of(createThenRead("create-then-read")),
                        List.of(),
                        Map.of());

        TestReport report = run.as(TestReport.class);
        assertThat(run.exitCode()).isEqualTo(TestReport.EXIT_PASSED);
        assertThat(report.results())
                .singleElement()
                .satisfies(
                        result -> {
                            assertThat(result.name()).isEqualTo("create-then-read");
                            assertThat(result.ok()).isTrue();
                            assertThat(result.request()).isEqualTo("POST /todos");
                        });
        assertThat(titlesSeen)
                .singleElement()
                .satisfies(title -> assertThat(title).matches("[a-z]{8}"));
    }

    @Test
    void aHeaderCaptureFeedsTheNextPathAndTheScenarioStopsAtTheStepThatFailed() throws Exception {
        Step create = post("create", "{\"title\":\"{{title}}\"}");
        create.capture = List.of(Capture.fromHeader("where", "Location"));
        Step read = new Step("read", HttpMethod.GET, "/todos/{{where}}", 200);
        Step never = new Step("never", HttpMethod.GET, "/todos", 200);
        Scenario scenario = new Scenario("by-location", List.of(create, read, never));
        scenario.vars = Map.of("title", "word");

        TestReport report =
                runTester(List.of(), List.of(), List.of(scenario), List.of(), Map.of())
                        .as(TestReport.class);

        CheckResult result = report.results().get(0);
        assertThat(result.ok()).isFalse();
        // The captured "/todos/t1" is percent-encoded into one path segment, so it cannot reshape
        // the path.
        assertThat(result.request()).isEqualTo("GET /todos/%2Ftodos%2Ft1");
        assertThat(result.reason()).isEqualTo("step 2 (read): expected status 200, got 404");
        assertThat(listCalls.get()).isZero();
    }

    @Test
    void heldOutValuesDifferEveryRunAndAnAppThatReplaysThemFails() throws Exception {
        Scenario heldOut = createThenRead("held-out-story");

        StationRun first = runTester(List.of(), List.of(), List.of(), List.of(heldOut), Map.of());
        replaying = true;
        StationRun second = runTester(List.of(), List.of(), List.of(), List.of(heldOut), Map.of());

        assertThat(first.exitCode()).isEqualTo(TestReport.EXIT_PASSED);
        assertThat(titlesSeen).hasSize(2).doesNotHaveDuplicates();
        TestReport replayed = second.as(TestReport.class);
        assertThat(second.exitCode()).isEqualTo(TestReport.EXIT_CHECKS_FAILED);
        assertThat(replayed.heldOutFailed()).isEqualTo(1);
        assertThat(replayed.results()).isEmpty();
    }

    @Test
    void trialsRunWithFreshValuesAndCountPassesPerScenario() throws Exception {
        flaky = true;
        Step list = new Step("list", HttpMethod.GET, "/todos", 200);
        Scenario listing = new Scenario("listing", List.of(list));

        TestReport report =
                runTester(
                                List.of(),
                                List.of(),
                                List.of(createThenRead("create-then-read"), listing),
                                List.of(),
                                Map.of(TesterStation.TRIALS, "3"))
                        .as(TestReport.class);

        assertThat(report.trials()).isEqualTo(3);
        assertThat(report.trialsPassed()).isEqualTo(2);
        assertThat(report.passed()).isEqualTo(5);
        assertThat(report.failed()).isEqualTo(1);
        assertThat(report.results())
                .extracting(CheckResult::name, CheckResult::trialsPassed)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("listing", 2),
                        org.assertj.core.groups.Tuple.tuple("create-then-read", 3));
        assertThat(titlesSeen).hasSize(3).doesNotHaveDuplicates();
    }

    @Test
    void heldOutTextNeverLeavesTheTester() throws Exception {
        HttpCheck check =
                new HttpCheck(HELD_OUT_CANARY, HttpMethod.POST, "/todos/" + HELD_OUT_CANARY, 200);
        check.body = "{\"title\":\"" + HELD_OUT_CANARY + "\"}";
        check.headers = Map.of("X-" + HELD_OUT_CANARY, HELD_OUT_CANARY);
        check.bodyContains = HELD_OUT_CANARY;
        HttpCheck passing =
                new HttpCheck(
                        "hp" + HELD_OUT_CANARY, HttpMethod.GET, "/todos?" + HELD_OUT_CANARY, 200);
        Step step = post("s" + HELD_OUT_CANARY, "{\"title\":\"" + HELD_OUT_CANARY + "\"}");
        step.jsonFields = List.of(new JsonFieldExpectation("/title", "not-" + HELD_OUT_CANARY));
        Scenario scenario = new Scenario("sc" + HELD_OUT_CANARY, List.of(step));
        Step broken =
                new Step(
                        "b" + HELD_OUT_CANARY,
                        HttpMethod.GET,
                        "/" + HELD_OUT_CANARY + " {{nope}}",
                        200);
        Scenario unexpandable = new Scenario("u" + HELD_OUT_CANARY, List.of(broken));

        Output output =
                captured(
                        () ->
                                runTester(
                                        List.of(
                                                new HttpCheck(
                                                        "visible", HttpMethod.GET, "/todos", 200)),
                                        List.of(check, passing),
                                        List.of(),
                                        List.of(scenario, unexpandable),
                                        Map.of()));

        TestReport report = output.run().as(TestReport.class);
        assertThat(report.heldOutPassed()).isEqualTo(1);
        assertThat(report.heldOutFailed()).isEqualTo(3);
        assertThat(report.results()).extracting(CheckResult::name).containsExactly("visible");
        assertThat(output.run().terminationMessage()).doesNotContain(HELD_OUT_CANARY);
        assertThat(output.stdout()).isNotEmpty().doesNotContain(HELD_OUT_CANARY);
        assertThat(output.stderr()).doesNotContain(HELD_OUT_CANARY);
    }

    @Test
    void anUnreadableHeldOutFileIsReportedByPositionOnly() throws Exception {
        Path heldOut = dir.resolve("holdout.json");
        Files.writeString(heldOut, "[{\"name\": \"x\", \"path\": " + HELD_OUT_CANARY + "}]");

        Output output =
                captured(
                        () ->
                                StationRun.run(
                                        "test",
                                        dir,
                                        Map.of(
                                                TesterStation.APP_URL,
                                                app.url().toString(),
                                                TesterStation.VISIBLE_CHECKS,
                                                dir.resolve("none.json").toString(),
                                                TesterStation.HOLDOUT_CHECKS,
                                                heldOut.toString())));

        assertThat(output.run().exitCode()).isEqualTo(TestReport.EXIT_TESTER_FAILED);
        assertThat(output.run().json().path("message").asText())
                .contains("is not a JSON array", "line 1");
        assertThat(output.run().terminationMessage() + output.stdout() + output.stderr())
                .doesNotContain(HELD_OUT_CANARY);
    }

    @Test
    void secretValuesInTheAppsAnswersAreRedactedBeforeTheyAreCut() throws Exception {
        // The Secret value straddles the 80 characters a reason quotes: a cut before redaction
        // would leak its start.
        leakedBody =
                Json.MAPPER.writeValueAsString(
                        Map.of(
                                "token",
                                "x".repeat(70) + SECRET_CANARY,
                                "debug",
                                Map.of("env", "DB=" + SECRET_CANARY)));
        HttpCheck token = new HttpCheck("token", HttpMethod.GET, "/leak", 200);
        token.jsonFields =
                List.of(
                        new JsonFieldExpectation("/token", "expected"),
                        new JsonFieldExpectation("/debug", "{}"));
        Step capture = new Step("capture", HttpMethod.GET, "/leak", 200);
        capture.capture = List.of(Capture.fromBody("token", "/token"));
        Step use = new Step("use", HttpMethod.GET, "/todos/{{token}}", 200);
        Scenario forwards = new Scenario("forwards-the-token", List.of(capture, use));

        Output output =
                captured(
                        () ->
                                runTester(
                                        List.of(token),
                                        List.of(),
                                        List.of(forwards),
                                        List.of(),
                                        Map.of(Redactor.ENV_PREFIX + "0", SECRET_CANARY)));

        String message = output.run().terminationMessage();
        assertThat(message)
                .contains(Redactor.MARK)
                .doesNotContain(SECRET_CANARY)
                .doesNotContain("canary-s");
        assertThat(output.stdout() + output.stderr()).doesNotContain(SECRET_CANARY);
        assertThat(output.run().as(TestReport.class).results())
                .extracting(CheckResult::request)
                .contains("GET /todos/" + "x".repeat(70) + Redactor.MARK);
    }

    @Test
    void aResponseBodyLargerThanTheBoundFailsWithAClearReason() throws Exception {
        HttpCheck huge = new HttpCheck("huge", HttpMethod.GET, "/huge", 200);
        huge.bodyContains = "x";

        TestReport report =
                runTester(List.of(huge), List.of(), List.of(), List.of(), Map.of())
                        .as(TestReport.class);

        assertThat(report.results())
                .singleElement()
                .satisfies(
                        result ->
                                assertThat(result.reason())
                                        .isEqualTo(
                                                "the response body is larger than 1048576 bytes, the most the tester reads"));
    }

    private static Scenario createThenRead(String name) {
        Step create = post("create", "{\"title\":\"{{title}}\"}");
        create.jsonFields = List.of(new JsonFieldExpectation("/title", "{{title}}"));
        create.capture = List.of(Capture.fromBody("id", "/id"));
        Step read = new Step("read", HttpMethod.GET, "/todos/{{id}}", 200);
        read.jsonFields =
                List.of(
                        new JsonFieldExpectation("/title", "{{title}}"),
                        new JsonFieldExpectation("/id", "{{id}}"));
        Scenario scenario = new Scenario(name, List.of(create, read));
        scenario.vars = Map.of("title", "word");
        return scenario;
    }

    private static Step post(String name, String body) {
        Step step = new Step(name, HttpMethod.POST, "/todos", 201);
        step.body = body;
        step.headers = Map.of("Content-Type", "application/json");
        return step;
    }

    private StationRun runTester(
            List<HttpCheck> visible,
            List<HttpCheck> heldOut,
            List<Scenario> scenarios,
            List<Scenario> heldOutScenarios,
            Map<String, String> extra)
            throws Exception {
        Map<String, String> env = new HashMap<>(extra);
        env.put(TesterStation.APP_URL, app.url().toString());
        env.put(TesterStation.HEALTH_TIMEOUT, "2s");
        env.put(TesterStation.VISIBLE_CHECKS, write("visible.json", visible));
        env.put(TesterStation.HOLDOUT_CHECKS, write("holdout.json", heldOut));
        env.put(TesterStation.VISIBLE_SCENARIOS, write("scenarios.json", scenarios));
        env.put(TesterStation.HOLDOUT_SCENARIOS, write("holdout-scenarios.json", heldOutScenarios));
        return StationRun.run("test", dir, env);
    }

    private String write(String name, List<?> items) throws Exception {
        Path file = dir.resolve(name);
        Json.write(file, new ArrayList<>(items));
        return file.toString();
    }

    private record Output(StationRun run, String stdout, String stderr) {}

    private interface StationCall {
        StationRun call() throws Exception;
    }

    /** Runs the station with stdout and stderr captured: what the container's log would hold. */
    private static Output captured(StationCall call) throws Exception {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
            StationRun run = call.call();
            return new Output(
                    run,
                    stdout.toString(StandardCharsets.UTF_8),
                    stderr.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
