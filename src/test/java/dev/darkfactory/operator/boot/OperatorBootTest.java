package dev.darkfactory.operator.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.IntentPhase;
import dev.darkfactory.operator.api.v1alpha1.RunPhase;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntent;
import dev.darkfactory.operator.metrics.FactoryMetrics;
import dev.darkfactory.operator.testing.DashboardQueries;
import dev.darkfactory.operator.testing.FactoryHarness;
import dev.darkfactory.operator.testing.FakeKubelet;
import dev.darkfactory.operator.testing.Fixtures;
import dev.darkfactory.operator.testing.TestApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The operator as users run it: the Quarkus application with its CDI wiring and configuration,
 * started against a real API server. Its health endpoints answer, it drives an intent, and its
 * Prometheus endpoint shows the factory's metrics moving beside the framework's.
 */
@QuarkusTest
@QuarkusTestResource(value = ApiServerResource.class, restrictToAnnotatedClass = true)
class OperatorBootTest {

    private static final String IMAGE = "registry.test/boot/todo@sha256:" + "c".repeat(64);

    @TestHTTPResource("/")
    URL base;

    @Inject FactoryMetrics factoryMetrics;

    private final KubernetesClient client = TestApiServer.client();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void runsAnIntentAndReportsHealthAndMetrics() throws Exception {
        assertThat(get("q/health/ready").statusCode()).isEqualTo(200);
        assertThat(get("q/health/live").statusCode()).isEqualTo(200);
        double finishedBefore = metric("darkfactory_runs_finished_total\\{outcome=\"Succeeded\"");

        String className = "boot-" + ApiServerResource.NAMESPACE;
        client.resource(Fixtures.generatorClass(className, false)).create();
        client.resource(Fixtures.intent(ApiServerResource.NAMESPACE, "todo", className)).create();
        FakeKubelet kubelet = new FakeKubelet(client, ApiServerResource.NAMESPACE);

        FactoryRun run =
                awaitRun(
                        r ->
                                r.getStatus().attempts.size() == 1
                                        && r.getStatus().attempts.get(0).generatorPod != null);
        assertThat(metric("darkfactory_runs_started_total")).isGreaterThanOrEqualTo(1);
        kubelet.generatorSucceeds(FactoryHarness.genPod(run, 1), FactoryHarness.built(IMAGE, 321L));
        run = awaitRun(r -> r.getStatus().attempts.get(0).testerPod != null);
        kubelet.testerFinishes(
                FactoryHarness.testPod(run, 1),
                FactoryHarness.report(List.of("health", "list-todos", "create-todo"), List.of()),
                0);
        awaitRun(r -> r.getStatus().phase == RunPhase.Succeeded);
        await().atMost(FactoryHarness.WAIT)
                .until(() -> intent().getStatus().phase == IntentPhase.RollingOut);

        await().atMost(FactoryHarness.WAIT)
                .untilAsserted(
                        () -> {
                            assertThat(
                                            metric(
                                                    "darkfactory_runs_finished_total\\{outcome=\"Succeeded\""))
                                    .isEqualTo(finishedBefore + 1);
                            assertThat(metric("darkfactory_tokens_total"))
                                    .isGreaterThanOrEqualTo(321);
                            assertThat(metric("darkfactory_run_attempts_count"))
                                    .isGreaterThanOrEqualTo(1);
                            assertThat(metric("darkfactory_run_time_to_pass_seconds_count"))
                                    .isGreaterThanOrEqualTo(1);
                        });
        String metrics = get("q/metrics").body();
        assertThat(metrics).contains("darkfactory_runs_queued", "operator_sdk_");
        everyQueryOfTheChartsDashboardsNamesAMetricTheOperatorExports();
    }

    /** After a run passed, so that the run metrics are registered. */
    private void everyQueryOfTheChartsDashboardsNamesAMetricTheOperatorExports() throws Exception {
        // The error counter is registered at the first failed reconcile, which this run has none
        // of:
        // record one through the operator's own bean so that its name is in the scrape too.
        factoryMetrics.reconcileError(
                "dashboard-check", new IllegalStateException("not a real failure"));

        Set<String> exported = DashboardQueries.exported(get("q/metrics").body());

        assertThat(DashboardQueries.allMetricNames())
                .isNotEmpty()
                .allSatisfy(
                        name ->
                                assertThat(exported)
                                        .as("the dashboards query %s", name)
                                        .contains(name));
    }

    /**
     * The Prometheus answer must not grow with the number of objects: Java Operator SDK's
     * per-resource meters (tagged with each resource's name) are off. Paused intents are reconciled
     * (each gets a status) without starting runs, so they leave the other test's queue alone.
     */
    @Test
    void metricsDoNotGrowWithTheNumberOfIntents() throws Exception {
        createPausedIntents("few", 3);
        long before = seriesCount();
        List<String> names = createPausedIntents("many", 30);
        String metrics = get("q/metrics").body();

        assertThat(seriesCount()).as("series after 30 more intents").isLessThan(before + 30);
        assertThat(metrics.lines().filter(l -> !l.startsWith("#")))
                .as("no series names an intent")
                .noneMatch(l -> names.stream().anyMatch(l::contains));
    }

    private List<String> createPausedIntents(String prefix, int count) {
        List<String> names =
                java.util.stream.IntStream.range(0, count)
                        .mapToObj(i -> prefix + "-intent-" + i)
                        .toList();
        for (String name : names) {
            SoftwareIntent intent = Fixtures.intent(ApiServerResource.NAMESPACE, name, "none");
            intent.getSpec().paused = true;
            client.resource(intent).create();
        }
        await().atMost(FactoryHarness.WAIT)
                .until(
                        () ->
                                names.stream()
                                        .allMatch(
                                                name -> {
                                                    SoftwareIntent intent =
                                                            client.resources(SoftwareIntent.class)
                                                                    .inNamespace(
                                                                            ApiServerResource
                                                                                    .NAMESPACE)
                                                                    .withName(name)
                                                                    .get();
                                                    return intent.getStatus() != null
                                                            && intent.getStatus().observedGeneration
                                                                    != null;
                                                }));
        return names;
    }

    /** Samples on the metrics endpoint: every line that is not a comment. */
    private long seriesCount() throws IOException, InterruptedException {
        return get("q/metrics")
                .body()
                .lines()
                .filter(l -> !l.isBlank() && !l.startsWith("#"))
                .count();
    }

    private SoftwareIntent intent() {
        return client.resources(SoftwareIntent.class)
                .inNamespace(ApiServerResource.NAMESPACE)
                .withName("todo")
                .get();
    }

    private FactoryRun awaitRun(java.util.function.Predicate<FactoryRun> until) {
        return await().atMost(FactoryHarness.WAIT)
                .until(
                        () -> {
                            SoftwareIntent intent = intent();
                            return intent == null
                                            || intent.getStatus() == null
                                            || intent.getStatus().latestRun == null
                                    ? null
                                    : client.resources(FactoryRun.class)
                                            .inNamespace(ApiServerResource.NAMESPACE)
                                            .withName(intent.getStatus().latestRun)
                                            .get();
                        },
                        r ->
                                r != null
                                        && r.getStatus() != null
                                        && r.getStatus().phase != null
                                        && until.test(r));
    }

    /**
     * The value of the first sample whose line starts with {@code prefix} (a regex), 0 when absent.
     */
    private double metric(String prefix) throws IOException, InterruptedException {
        Matcher sample =
                Pattern.compile("(?m)^" + prefix + "[^ ]* ([0-9.eE+-]+)$")
                        .matcher(get("q/metrics").body());
        return sample.find() ? Double.parseDouble(sample.group(1)) : 0;
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(base.toString() + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
