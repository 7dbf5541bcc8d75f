package dev.darkfactory.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.marcnuri.helm.Helm;
import dev.darkfactory.operator.api.v1alpha1.AcceptanceSpec;
import dev.darkfactory.operator.api.v1alpha1.BudgetSpec;
import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.GeneratorClass;
import dev.darkfactory.operator.api.v1alpha1.GeneratorClassSpec;
import dev.darkfactory.operator.api.v1alpha1.HttpCheck;
import dev.darkfactory.operator.api.v1alpha1.HttpMethod;
import dev.darkfactory.operator.api.v1alpha1.IntentPhase;
import dev.darkfactory.operator.api.v1alpha1.RunPhase;
import dev.darkfactory.operator.api.v1alpha1.ServeSpec;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntent;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntentSpec;
import dev.darkfactory.operator.testing.TestApiServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The whole product on a real cluster (the current kube context): the operator installed by the
 * Helm chart, its stations in real pods, images built and pushed to a real registry, apps served by
 * real Deployments and Services, and a canned model in the cluster. Run by {@code make e2e} after
 * hack/e2e-prepare.sh built the images.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(ClusterDiagnostics.class)
class EndToEndIT {

    static final String NAMESPACE = "e2e-" + UUID.randomUUID().toString().substring(0, 6);
    private static final String RELEASE = "darkfactory";
    private static final Duration RUN = Duration.ofMinutes(6);

    private static KubernetesClient client;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void installTheOperator() throws IOException {
        client = E2eEnvironment.clusterOrSkip();
        // Helm installs a chart's CRDs only where none exist: bring those of a cluster used before
        // up to date.
        TestApiServer.applyCrds(client);
        client.namespaces()
                .resource(
                        new NamespaceBuilder()
                                .withNewMetadata()
                                .withName(NAMESPACE)
                                .endMetadata()
                                .build())
                .create();
        String modelUrl = FakeModel.deploy(client, NAMESPACE);
        client.secrets()
                .inNamespace(NAMESPACE)
                .resource(
                        new SecretBuilder()
                                .withNewMetadata()
                                .withName("darkfactory-openai")
                                .endMetadata()
                                .withStringData(Map.of("api-key", "e2e-canned-model-needs-no-key"))
                                .build())
                .create();
        Path values = Files.createTempFile("e2e-values", ".yaml");
        String repository =
                E2eEnvironment.OPERATOR_IMAGE.substring(
                        0, E2eEnvironment.OPERATOR_IMAGE.lastIndexOf(':'));
        String tag =
                E2eEnvironment.OPERATOR_IMAGE.substring(
                        E2eEnvironment.OPERATOR_IMAGE.lastIndexOf(':') + 1);
        Files.writeString(
                values,
                Serialization.asYaml(
                        Map.of(
                                "image",
                                        Map.of(
                                                "repository",
                                                repository,
                                                "tag",
                                                tag,
                                                "pullPolicy",
                                                "IfNotPresent"),
                                "watchNamespaces", List.of(NAMESPACE),
                                "registry",
                                        Map.of(
                                                "address",
                                                E2eEnvironment.REGISTRY,
                                                "insecure",
                                                true,
                                                "pushSecret",
                                                "",
                                                "allowAnonymousPush",
                                                true),
                                "operator",
                                        Map.of(
                                                "allowedBaseImages",
                                                List.of(E2eEnvironment.REGISTRY + "/base/*"),
                                                "maxConcurrentRuns",
                                                2),
                                "generatorClasses",
                                        Map.of(
                                                "builtin",
                                                Map.of("endpoint", modelUrl, "model", "canned")))));
        uninstallRelease(); // a run that was interrupted may have left it behind
        new Helm(Path.of("helm", "darkfactory"))
                .install()
                .withName(RELEASE)
                .withNamespace(E2eEnvironment.OPERATOR_NAMESPACE)
                .createNamespace()
                .withKubeConfig(E2eEnvironment.kubeconfig())
                .withValuesFile(values)
                .disableOpenApiValidation()
                .waitReady()
                .call();
    }

    @AfterAll
    static void uninstall() {
        if (client == null) {
            return;
        }
        uninstallRelease();
        client.namespaces().withName(NAMESPACE).delete();
        client.close();
    }

    @Test
    @Order(1)
    void anIntentBecomesARunningAppThatAnswersThroughItsService() throws Exception {
        apply("todo", "A static todo site.", "5m");

        SoftwareIntent ready = awaitIntent("todo", i -> i.getStatus().phase == IntentPhase.Ready);

        assertThat(ready.getStatus().servingImage)
                .startsWith(E2eEnvironment.REGISTRY + "/")
                .contains("@sha256:");
        assertThat(get("todo", "/todos")).isEqualTo("[]");
        assertThat(get("todo", "/version")).isEqualTo("v1");
    }

    @Test
    @Order(2)
    void aFailingFirstAnswerIsFixedByTheSecondAttemptWithItsFeedback() {
        apply("flaky", "A static todo site. " + CannedModel.FAIL_FIRST, "5m");

        awaitIntent("flaky", i -> i.getStatus().phase == IntentPhase.Ready);

        FactoryRun run = latestRun("flaky");
        assertThat(run.getStatus().attempts).hasSize(2);
        assertThat(run.getStatus().attempts.get(0).reason).isEqualTo("ChecksFailed");
        String feedback =
                client.configMaps()
                        .inNamespace(NAMESPACE)
                        .withName(run.getMetadata().getName() + "-a2-input")
                        .get()
                        .getData()
                        .get("feedback.json");
        assertThat(feedback).contains("list-todos").doesNotContain("/version");
    }

    @Test
    @Order(3)
    void aChangedIntentBuildsWhileTheOldRevisionAnswersThenServes() throws Exception {
        String before = intent("todo").getStatus().servingImage;
        edit("todo", "A static todo site. " + CannedModel.REVISION_TWO, null);

        awaitIntent(
                "todo",
                i ->
                        i.getStatus().phase == IntentPhase.Building
                                || i.getStatus().phase == IntentPhase.RollingOut);
        assertThat(get("todo", "/version"))
                .as("the old revision answers meanwhile")
                .isEqualTo("v1");
        SoftwareIntent served =
                awaitIntent(
                        "todo",
                        i ->
                                i.getStatus().phase == IntentPhase.Ready
                                        && !before.equals(i.getStatus().servingImage));

        assertThat(served.getStatus().observedGeneration).isEqualTo(2L);
        await().atMost(Duration.ofMinutes(2)).until(() -> "v2".equals(get("todo", "/version")));
    }

    @Test
    @Order(4)
    void aRevisionThatCrashesOnStartIsRolledBackAndItsCrashIsTheNextFeedback() throws Exception {
        apply("crashy", "A static todo site.", "45s");
        SoftwareIntent first = awaitIntent("crashy", i -> i.getStatus().phase == IntentPhase.Ready);
        edit("crashy", "A static todo site. " + CannedModel.CRASH_ON_START, null);

        FactoryRun run =
                awaitRun(
                        "crashy",
                        r ->
                                r.getSpec().intentGeneration == 2L
                                        && r.getStatus() != null
                                        && r.getStatus().attempts.size() >= 2);

        assertThat(run.getStatus().attempts.get(0).reason).isEqualTo("RolloutFailed");
        assertThat(run.getStatus().attempts.get(0).message).contains("cannot open /data/todos.db");
        assertThat(intent("crashy").getStatus().servingImage)
                .as("rolled back")
                .isEqualTo(first.getStatus().servingImage);
        assertThat(get("crashy", "/healthz")).as("the old revision still answers").isEqualTo("ok");
        String feedback =
                client.configMaps()
                        .inNamespace(NAMESPACE)
                        .withName(run.getMetadata().getName() + "-a2-input")
                        .get()
                        .getData()
                        .get("feedback.json");
        assertThat(feedback).contains("RolloutFailed", "cannot open /data/todos.db");
        // The second answer rebuilds revision 1's files, so the image is the same by digest (the
        // build is reproducible) and nothing needs to roll out again.
        FactoryRun done =
                awaitRun(
                        "crashy",
                        r ->
                                r.getSpec().intentGeneration == 2L
                                        && r.getStatus().phase == RunPhase.Succeeded);
        assertThat(done.getStatus().image).isEqualTo(first.getStatus().servingImage);
        awaitIntent("crashy", i -> i.getStatus().phase == IntentPhase.Ready);
    }

    @Test
    @Order(5)
    void deletingAnIntentTakesEverythingItOwns() {
        client.resources(SoftwareIntent.class).inNamespace(NAMESPACE).withName("todo").delete();

        Map<String, String> owned = Map.of("darkfactory.dev/intent", "todo");
        await().atMost(Duration.ofMinutes(2))
                .untilAsserted(
                        () -> {
                            assertThat(
                                            client.resources(FactoryRun.class)
                                                    .inNamespace(NAMESPACE)
                                                    .withLabels(owned)
                                                    .list()
                                                    .getItems())
                                    .isEmpty();
                            assertThat(
                                            client.pods()
                                                    .inNamespace(NAMESPACE)
                                                    .withLabels(owned)
                                                    .list()
                                                    .getItems())
                                    .isEmpty();
                            assertThat(
                                            client.apps()
                                                    .deployments()
                                                    .inNamespace(NAMESPACE)
                                                    .withName("todo")
                                                    .get())
                                    .isNull();
                            assertThat(
                                            client.services()
                                                    .inNamespace(NAMESPACE)
                                                    .withName("todo")
                                                    .get())
                                    .isNull();
                        });
    }

    /**
     * A script-based GeneratorClass that plants what a hostile coding agent would: links to the
     * push credentials, to the build container's environment and to the root, and a FIFO. The
     * attempt fails UnsafeSource and nothing at all is pushed, so no credential can be in an image.
     */
    @Test
    @Order(6)
    void aGeneratorThatPlantsSymlinksFailsUnsafeSourceAndPushesNothing() throws Exception {
        String className = "hostile-" + NAMESPACE;
        GeneratorClass hostile = new GeneratorClass();
        hostile.setMetadata(new ObjectMetaBuilder().withName(className).build());
        hostile.setSpec(new GeneratorClassSpec());
        hostile.getSpec().image = E2eEnvironment.TOOLS_IMAGE;
        hostile.getSpec().command =
                List.of(
                        "sh",
                        "-c",
                        String.join(
                                "\n",
                                "set -e",
                                "cd /workspace/src",
                                "echo hello > index.html",
                                "echo '{\"baseImage\": \""
                                        + E2eEnvironment.APP_BASE_IMAGE
                                        + "\", \"entrypoint\": [\"httpd\", \"-f\", \"-p\", \"8080\"]}' > darkfactory-app.json",
                                "ln -s /var/run/darkfactory/registry/.dockerconfigjson c",
                                "ln -s /proc/self/environ env",
                                "ln -s / root",
                                "mkfifo pipe || true"));
        hostile.getSpec().allowedBaseImages = List.of(E2eEnvironment.REGISTRY + "/base/*");
        client.resource(hostile).create();
        try {
            SoftwareIntentSpec spec = new SoftwareIntentSpec();
            spec.description = "A static site.";
            spec.generatorClassName = className;
            spec.budget = new BudgetSpec();
            spec.budget.maxAttempts = 1;
            spec.acceptance =
                    new AcceptanceSpec(List.of(new HttpCheck("health", HttpMethod.GET, "/", 200)));
            SoftwareIntent intent = new SoftwareIntent();
            intent.setMetadata(
                    new ObjectMetaBuilder().withName("hostile").withNamespace(NAMESPACE).build());
            intent.setSpec(spec);
            client.resource(intent).create();

            FactoryRun failed =
                    awaitRun(
                            "hostile",
                            r -> r.getStatus() != null && r.getStatus().phase == RunPhase.Failed);

            assertThat(failed.getStatus().attempts)
                    .singleElement()
                    .satisfies(
                            attempt -> {
                                assertThat(attempt.reason).isEqualTo("UnsafeSource");
                                assertThat(attempt.image).isNull();
                            });
            for (String repository : List.of("hostile", "hostile-source")) {
                HttpResponse<String> tags =
                        http.send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        "http://"
                                                                + E2eEnvironment.REGISTRY
                                                                + "/v2/"
                                                                + NAMESPACE
                                                                + "/"
                                                                + repository
                                                                + "/tags/list"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                assertThat(tags.statusCode() == 404 || !tags.body().contains("\"tags\":[\""))
                        .as("nothing pushed to %s: %s", repository, tags.body())
                        .isTrue();
            }
        } finally {
            client.resources(SoftwareIntent.class)
                    .inNamespace(NAMESPACE)
                    .withName("hostile")
                    .delete();
            client.resource(hostile).delete();
        }
    }

    @Test
    @Order(7)
    void theTodoRestApiInPythonKeepsItsItemsAcrossRequests() throws Exception {
        SoftwareIntent example =
                Serialization.unmarshal(
                        Files.readString(Path.of("examples", "todo-rest-api.yaml")),
                        SoftwareIntent.class);
        example.getMetadata().setNamespace(NAMESPACE);
        example.getSpec().description += CannedModel.REST_SERVICE + "\n";
        client.resource(example).create();
        String name = example.getMetadata().getName();

        SoftwareIntent ready = awaitIntent(name, i -> i.getStatus().phase == IntentPhase.Ready);

        FactoryRun run = latestRun(name);
        long heldOut =
                example.getSpec().acceptance.checks.stream().filter(HttpCheck::heldOut).count();
        assertThat(run.getStatus().attempts.get(0).tests.heldOutPassed)
                .as("held-out checks, the stateful ones included")
                .isEqualTo((int) heldOut);
        assertThat(ready.getStatus().servingImage).startsWith(E2eEnvironment.REGISTRY + "/");
        // A Service that has just got its endpoints may refuse a connection until kube-proxy
        // catches up.
        await().atMost(Duration.ofMinutes(2))
                .ignoreExceptions()
                .until(() -> send(name, "GET", "/todos", null).statusCode() == 200);
        HttpResponse<String> created =
                send(name, "POST", "/todos", "{\"title\": \"water the plants\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        String id = Serialization.jsonMapper().readTree(created.body()).get("id").asText();
        assertThat(send(name, "GET", "/todos", null).body()).contains("water the plants");
        assertThat(send(name, "GET", "/todos/" + id, null).body())
                .contains("\"title\": \"water the plants\"");
        assertThat(send(name, "DELETE", "/todos/" + id, null).statusCode()).isEqualTo(204);
        assertThat(send(name, "GET", "/todos/" + id, null).statusCode()).isEqualTo(404);
        assertThat(send(name, "POST", "/todos", "{\"title\": \"\"}").statusCode()).isEqualTo(400);
    }

    // ---- helpers

    private static void uninstallRelease() {
        try {
            new Helm(Path.of("helm", "darkfactory"))
                    .uninstall(RELEASE)
                    .withNamespace(E2eEnvironment.OPERATOR_NAMESPACE)
                    .withKubeConfig(E2eEnvironment.kubeconfig())
                    .call();
        } catch (RuntimeException notInstalled) {
            // Nothing to remove.
        }
    }

    private void apply(String name, String description, String rolloutTimeout) {
        SoftwareIntentSpec spec = new SoftwareIntentSpec();
        spec.description = description;
        HttpCheck health = new HttpCheck("health", HttpMethod.GET, "/healthz", 200);
        HttpCheck list = new HttpCheck("list-todos", HttpMethod.GET, "/todos", 200);
        list.bodyContains = "[";
        HttpCheck version = new HttpCheck("version", HttpMethod.GET, "/version", 200);
        version.holdout = true;
        spec.acceptance = new AcceptanceSpec(List.of(health, list, version));
        spec.serve = new ServeSpec();
        spec.serve.rolloutTimeout = rolloutTimeout;
        // The crash's own output is the next attempt's feedback only where the intent opts in.
        spec.serve.forwardAppOutput = name.equals("crashy");
        SoftwareIntent intent = new SoftwareIntent();
        intent.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NAMESPACE).build());
        intent.setSpec(spec);
        client.resource(intent).create();
    }

    private void edit(String name, String description, String rolloutTimeout) {
        client.resources(SoftwareIntent.class)
                .inNamespace(NAMESPACE)
                .withName(name)
                .edit(
                        i -> {
                            i.getSpec().description = description;
                            if (rolloutTimeout != null) {
                                i.getSpec().serve.rolloutTimeout = rolloutTimeout;
                            }
                            return i;
                        });
    }

    private static SoftwareIntent intent(String name) {
        return client.resources(SoftwareIntent.class).inNamespace(NAMESPACE).withName(name).get();
    }

    private static SoftwareIntent awaitIntent(String name, Predicate<SoftwareIntent> until) {
        return await().atMost(RUN)
                .pollInterval(Duration.ofSeconds(2))
                .until(
                        () -> intent(name),
                        i -> i != null && i.getStatus() != null && until.test(i));
    }

    private static FactoryRun latestRun(String intent) {
        return client.resources(FactoryRun.class)
                .inNamespace(NAMESPACE)
                .withName(intent(intent).getStatus().latestRun)
                .get();
    }

    private static FactoryRun awaitRun(String intent, Predicate<FactoryRun> until) {
        return await().atMost(RUN)
                .pollInterval(Duration.ofSeconds(2))
                .until(
                        () -> {
                            SoftwareIntent current = intent(intent);
                            return current == null
                                            || current.getStatus() == null
                                            || current.getStatus().latestRun == null
                                    ? null
                                    : latestRun(intent);
                        },
                        r -> r != null && until.test(r));
    }

    /**
     * GET through the intent's Service, by its cluster IP (kube-proxy routes it from this machine
     * too).
     */
    private String get(String intent, String path) throws IOException, InterruptedException {
        return send(intent, "GET", path, null).body().strip();
    }

    private HttpResponse<String> send(String intent, String method, String path, String json)
            throws IOException, InterruptedException {
        String ip =
                client.services()
                        .inNamespace(NAMESPACE)
                        .withName(intent)
                        .get()
                        .getSpec()
                        .getClusterIP();
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create("http://" + ip + ":8080" + path))
                        .timeout(Duration.ofSeconds(10))
                        .method(
                                method,
                                json == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
