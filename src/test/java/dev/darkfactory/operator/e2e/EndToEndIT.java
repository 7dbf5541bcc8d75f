package dev.darkfactory.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.marcnuri.helm.Helm;
import dev.darkfactory.operator.api.v1alpha1.AcceptanceSpec;
import dev.darkfactory.operator.api.v1alpha1.AttemptStatus;
import dev.darkfactory.operator.api.v1alpha1.BudgetSpec;
import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.GeneratorClass;
import dev.darkfactory.operator.api.v1alpha1.GeneratorClassSpec;
import dev.darkfactory.operator.api.v1alpha1.HttpCheck;
import dev.darkfactory.operator.api.v1alpha1.HttpMethod;
import dev.darkfactory.operator.api.v1alpha1.IngressFrom;
import dev.darkfactory.operator.api.v1alpha1.IntentPhase;
import dev.darkfactory.operator.api.v1alpha1.ModelPricing;
import dev.darkfactory.operator.api.v1alpha1.ModelProvider;
import dev.darkfactory.operator.api.v1alpha1.ProviderEndpoint;
import dev.darkfactory.operator.api.v1alpha1.RunPhase;
import dev.darkfactory.operator.api.v1alpha1.SecretKeySelector;
import dev.darkfactory.operator.api.v1alpha1.ServeSpec;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntent;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntentSpec;
import dev.darkfactory.operator.gateway.UsageRecords;
import dev.darkfactory.operator.testing.TestApiServer;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
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
    private static final String PROVIDER_KEY_SECRET = "darkfactory-openai";
    private static final String PROVIDER_KEY = "e2e-provider-key-" + UUID.randomUUID();
    private static final String SIGNING_KEY_SECRET = "e2e-gateway-signing-key";

    private static KubernetesClient client;
    private static String modelUrl;

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
        modelUrl = FakeModel.deploy(client, NAMESPACE);
        // Every model call goes through the gateway (docs/gateway.md): the provider key and the
        // signing key live in the operator's namespace only; the intents' namespace holds no key.
        client.namespaces()
                .resource(
                        new NamespaceBuilder()
                                .withNewMetadata()
                                .withName(E2eEnvironment.OPERATOR_NAMESPACE)
                                .endMetadata()
                                .build())
                .serverSideApply();
        for (var secret :
                Map.of(
                                PROVIDER_KEY_SECRET,
                                Map.of("api-key", PROVIDER_KEY),
                                SIGNING_KEY_SECRET,
                                Map.of("signing-key", UUID.randomUUID() + "-" + UUID.randomUUID()))
                        .entrySet()) {
            client.secrets()
                    .inNamespace(E2eEnvironment.OPERATOR_NAMESPACE)
                    .resource(
                            new SecretBuilder()
                                    .withNewMetadata()
                                    .withName(secret.getKey())
                                    .endMetadata()
                                    .withStringData(secret.getValue())
                                    .build())
                    .createOr(existing -> existing.update());
        }
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
                                "gateway",
                                        Map.of(
                                                "enabled",
                                                true,
                                                "clusterIP",
                                                E2eEnvironment.GATEWAY_CLUSTER_IP,
                                                "signingKeySecret",
                                                SIGNING_KEY_SECRET),
                                "generatorClasses",
                                        Map.of(
                                                "builtin",
                                                Map.of("endpoint", modelUrl, "model", "canned")),
                                "networkPolicy", NetworkPolicyProbe.chartValues())));
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
        // The gateway's usage records outlive the uninstalled operator that would sweep them.
        client.configMaps()
                .inNamespace(E2eEnvironment.OPERATOR_NAMESPACE)
                .withLabel(UsageRecords.RUN_UID_LABEL)
                .delete();
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
        awaitAnswer("todo", "/todos");
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
        awaitAnswer("crashy", "/healthz");
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
                                                    .withLabel("app.kubernetes.io/name", "todo")
                                                    .list()
                                                    .getItems())
                                    .as("every revision's Deployment")
                                    .isEmpty();
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
                        freshClient()
                                .send(
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
            deleteWithItsClass("hostile", hostile);
        }
    }

    @Test
    @Order(7)
    void theTodoRestApiInPythonKeepsItsItemsAcrossRequests() throws Exception {
        SoftwareIntent example = applyRestExample("todo-rest-api.yaml");
        String name = example.getMetadata().getName();

        SoftwareIntent ready = awaitIntent(name, i -> i.getStatus().phase == IntentPhase.Ready);

        FactoryRun run = latestRun(name);
        long heldOut =
                example.getSpec().acceptance.checks.stream().filter(HttpCheck::heldOut).count();
        assertThat(run.getStatus().attempts.get(0).tests.heldOutPassed)
                .as("held-out checks, the stateful ones included")
                .isEqualTo((int) heldOut);
        assertThat(ready.getStatus().servingImage).startsWith(E2eEnvironment.REGISTRY + "/");
        awaitAnswer(name, "/todos");
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

    /**
     * The built-in generator of every scenario above reached the canned model only through the
     * gateway: its pod got the gateway's URL and a token, never the key, and the run's status shows
     * what the gateway metered from the model's answers (900 input and 100 output tokens each).
     */
    @Test
    @Order(8)
    void theBuiltInGeneratorWentThroughTheGatewayAndTheRunShowsItsMeteredUsage() {
        FactoryRun run =
                awaitRun(
                        "flaky",
                        r ->
                                r.getStatus().usage != null
                                        && Long.valueOf(2).equals(r.getStatus().usage.calls));

        assertThat(run.getStatus().attempts)
                .hasSize(2)
                .allSatisfy(
                        attempt -> {
                            assertThat(attempt.usage.calls).isEqualTo(1L);
                            assertThat(attempt.usage.inputTokens).isEqualTo(900L);
                            assertThat(attempt.usage.outputTokens).isEqualTo(100L);
                            assertThat(attempt.tokens).isEqualTo(1000L);
                        });
        assertThat(run.getStatus().tokensUsed).isEqualTo(2000L);
        assertThat(
                        client.configMaps()
                                .inNamespace(E2eEnvironment.OPERATOR_NAMESPACE)
                                .withName(UsageRecords.configMapName(run.getMetadata().getUid()))
                                .get())
                .as("the gateway's usage records, in its own namespace")
                .isNotNull();
        assertGeneratorPodsHoldNoKey(run);
    }

    /**
     * A script-based GeneratorClass whose "coding agent" is curl: it asks the model through the
     * gateway with the URL and token of its environment, as an agent would, then writes a static
     * site. The run passes, and its usage is what the gateway counted; the script reports none.
     */
    @Test
    @Order(9)
    void aScriptAgentCallsTheGatewayWithCurlAndItsCallIsMetered() {
        String className = "curl-agent-" + NAMESPACE;
        GeneratorClass agent = new GeneratorClass();
        agent.setMetadata(new ObjectMetaBuilder().withName(className).build());
        agent.setSpec(new GeneratorClassSpec());
        agent.getSpec().image = E2eEnvironment.CURL_IMAGE;
        agent.getSpec().command =
                List.of(
                        "sh",
                        "-c",
                        String.join(
                                "\n",
                                "set -eu",
                                "cd /workspace/src",
                                "answer=$(curl -sS --fail-with-body"
                                        + " \"$OPENAI_BASE_URL/chat/completions\""
                                        + " -H \"Authorization: Bearer $OPENAI_API_KEY\""
                                        + " -H 'Content-Type: application/json'"
                                        + " -d '{\"model\": \"canned\", \"messages\":"
                                        + " [{\"role\": \"user\", \"content\": \"A static site.\"}]}')",
                                "case \"$answer\" in *'\"choices\"'*) ;; *) echo \"no answer: $answer\"; exit 1 ;; esac",
                                "mkdir -p www",
                                "echo ok > www/healthz",
                                "echo '{\"baseImage\": \""
                                        + E2eEnvironment.APP_BASE_IMAGE
                                        + "\", \"entrypoint\": [\"/bin/busybox\", \"httpd\", \"-f\","
                                        + " \"-p\", \"8080\", \"-h\", \"/app/www\"], \"port\": 8080}'"
                                        + " > darkfactory-app.json"));
        agent.getSpec().allowedBaseImages = List.of(E2eEnvironment.REGISTRY + "/base/*");
        agent.getSpec().provider = new ModelProvider();
        agent.getSpec().provider.openai =
                new ProviderEndpoint(
                        modelUrl, new SecretKeySelector(PROVIDER_KEY_SECRET, "api-key"));
        agent.getSpec().pricing = new ModelPricing("1", "2", "USD");
        client.resource(agent).create();
        try {
            SoftwareIntentSpec spec = new SoftwareIntentSpec();
            spec.description = "A static site.";
            spec.generatorClassName = className;
            spec.budget = new BudgetSpec();
            spec.budget.maxAttempts = 1;
            spec.budget.maxCost = "0.01";
            spec.acceptance =
                    new AcceptanceSpec(
                            List.of(new HttpCheck("health", HttpMethod.GET, "/healthz", 200)));
            SoftwareIntent intent = new SoftwareIntent();
            intent.setMetadata(
                    new ObjectMetaBuilder()
                            .withName("curl-agent")
                            .withNamespace(NAMESPACE)
                            .build());
            intent.setSpec(spec);
            client.resource(intent).create();

            FactoryRun run =
                    awaitRun(
                            "curl-agent",
                            r ->
                                    r.getStatus() != null
                                            && r.getStatus().phase != null
                                            && r.getStatus().phase.isFinal()
                                            && r.getStatus().usage != null);

            assertThat(run.getStatus().phase)
                    .as("%s: %s", run.getStatus().reason, run.getStatus().message)
                    .isEqualTo(RunPhase.Succeeded);
            assertThat(run.getStatus().usage.calls).isEqualTo(1L);
            assertThat(run.getStatus().usage.inputTokens).isEqualTo(900L);
            assertThat(run.getStatus().usage.outputTokens).isEqualTo(100L);
            // 900 x 1 + 100 x 2 per million.
            assertThat(run.getStatus().usage.cost).isEqualTo("0.001100");
            assertThat(run.getStatus().usage.currency).isEqualTo("USD");
            assertGeneratorPodsHoldNoKey(run);
        } finally {
            deleteWithItsClass("curl-agent", agent);
        }
    }

    /**
     * Where the cluster's CNI enforces NetworkPolicies (make kind), the operator's policies hold:
     * pods that carry a tester's or a served app's labels reach nothing, while a pod without them
     * reaches the same address. Elsewhere (the lab cluster) it is skipped, saying so.
     */
    @Test
    @Order(10)
    void theOperatorsNetworkPoliciesAreEnforced() {
        NetworkPolicyProbe probe = new NetworkPolicyProbe(client, NAMESPACE);
        probe.abortUnlessEnforced();
        String target = probe.fakeModelUrl();

        assertThat(probe.reaches(Map.of(), target))
                .as("a pod without the operator's labels reaches the fake model")
                .isTrue();
        assertThat(
                        probe.reaches(
                                Map.of(
                                        "app.kubernetes.io/managed-by", "darkfactory-operator",
                                        "darkfactory.dev/role", "tester"),
                                target))
                .as("a tester pod reaches nothing (darkfactory-tester)")
                .isFalse();
        assertThat(
                        probe.reaches(
                                Map.of(
                                        "app.kubernetes.io/name", "todo-api",
                                        "darkfactory.dev/role", "app"),
                                target))
                .as("a served app without spec.serve.egress reaches nothing (its policy todo-api)")
                .isFalse();
    }

    /**
     * After the gateway scenarios: the provider key is in no log of any pod of the suite's
     * namespace (generators, testers, apps, the fake model) or of the operator's (operator,
     * gateway).
     */
    @Test
    @Order(11)
    void theProviderKeyIsInNoPodsLog() {
        List<PodLogs.Log> logs = PodLogs.of(client, NAMESPACE, E2eEnvironment.OPERATOR_NAMESPACE);

        assertThat(logs)
                .as("logs were read from the gateway's pods")
                .anyMatch(log -> log.name().contains("gateway"));
        assertThat(logs)
                .allSatisfy(
                        log -> assertThat(log.text()).as(log.name()).doesNotContain(PROVIDER_KEY));
    }

    /**
     * A user story in two steps (POST, then GET with the id the first answer gave) and a held-out
     * one with generated values, in 3 trials: each trial is a tester pod of its own, with a freshly
     * started app and fresh values. All three pass; the status counts the visible scenario by name
     * and the held-out one not at all.
     */
    @Test
    @Order(12)
    void aTwoStepScenarioPassesInThreeTrialsEachInAPodOfItsOwn() throws Exception {
        SoftwareIntent example = applyRestExample("todo-scenarios.yaml");
        String name = example.getMetadata().getName();

        awaitIntent(name, i -> i.getStatus().phase == IntentPhase.Ready);

        FactoryRun run = latestRun(name);
        AttemptStatus attempt = run.getStatus().attempts.get(0);
        assertThat(attempt.satisfaction.trialsRun).isEqualTo(3);
        assertThat(attempt.satisfaction.trialsPassed).isEqualTo(3);
        assertThat(attempt.trials)
                .extracting(trial -> trial.pod)
                .as("a pod per trial")
                .hasSize(3)
                .doesNotHaveDuplicates();
        assertThat(attempt.scenarios)
                .extracting(scenario -> scenario.name + " " + scenario.passed + "/" + scenario.run)
                .as("visible checks (one-step scenarios) and scenarios; the held-out one unnamed")
                .containsExactly("health 3/3", "unknown-todo 3/3", "create-then-read 3/3");
        assertThat(Serialization.asJson(run.getStatus()))
                .as("the held-out scenario is counted, never named")
                .doesNotContain("priority-round-trip");
        awaitAnswer(name, "/healthz");
        HttpResponse<String> created =
                send(name, "POST", "/todos", "{\"title\": \"e2e\", \"priority\": 2}");
        assertThat(created.statusCode()).isEqualTo(201);
        String id = Serialization.jsonMapper().readTree(created.body()).get("id").asText();
        assertThat(
                        Serialization.jsonMapper()
                                .readTree(get(name, "/todos/" + id))
                                .get("priority")
                                .asInt())
                .isEqualTo(2);
    }

    /**
     * Blue/green promotion, with a client asking the intent's Service all along. A revision that
     * passes its trials but fails its checks where it serves (outside a tester pod it serves no
     * /todos) is verified in its production configuration, fails, is removed and becomes the next
     * attempt's feedback while the old revision answers; the next attempt's revision is verified
     * and switched to; a rollback pin switches back to the kept first revision. Not one request
     * fails throughout.
     */
    @Test
    @Order(13)
    void aPromotionIsVerifiedWhereItServesAndNoRequestFailsAcrossPromotionAndRollback()
            throws Exception {
        apply("bluegreen", "A static todo site.", "3m");
        SoftwareIntent first =
                awaitIntent("bluegreen", i -> i.getStatus().phase == IntentPhase.Ready);
        String firstRevision = first.getStatus().servingRevision;
        assertThat(firstRevision).isNotBlank();
        awaitAnswer("bluegreen", "/version");

        try (LoadLoop load = LoadLoop.start(serviceUri("bluegreen", "/version"))) {
            edit(
                    "bluegreen",
                    "A static todo site. "
                            + CannedModel.REVISION_TWO
                            + " "
                            + CannedModel.BUG_WHERE_SERVED,
                    null);

            FactoryRun run =
                    awaitRun(
                            "bluegreen",
                            r ->
                                    r.getSpec().intentGeneration == 2L
                                            && r.getStatus() != null
                                            && r.getStatus().attempts.size() >= 2);
            assertThat(run.getStatus().attempts.get(0).tests.passed)
                    .as("the first attempt passed its trial")
                    .isPositive();
            assertThat(run.getStatus().attempts.get(0).reason).isEqualTo("RolloutFailed");
            assertThat(run.getStatus().attempts.get(0).message)
                    .contains("verification", "list-todos");
            assertThat(eventReasons("bluegreen")).contains("VerificationFailed");
            assertThat(load.answers()).as("the failed candidate never served").containsOnly("v1");

            SoftwareIntent second =
                    awaitIntent(
                            "bluegreen",
                            i ->
                                    i.getStatus().phase == IntentPhase.Ready
                                            && i.getStatus().servingRevision != null
                                            && !firstRevision.equals(
                                                    i.getStatus().servingRevision));
            await().atMost(Duration.ofMinutes(1)).until(() -> load.answers().contains("v2"));
            assertThat(second.getStatus().keptRevisions)
                    .extracting(kept -> kept.revision)
                    .contains(firstRevision);

            pin("bluegreen", firstRevision);
            awaitIntent("bluegreen", i -> firstRevision.equals(i.getStatus().servingRevision));
            await().atMost(Duration.ofMinutes(1))
                    .until(() -> "v1".equals(get("bluegreen", "/version")));
            // Past the drain of the revision that served until the rollback: its pods go only
            // once no node routes to them any more.
            String secondRevision = second.getStatus().servingRevision;
            await().atMost(Duration.ofMinutes(2))
                    .until(
                            () ->
                                    client.pods()
                                            .inNamespace(NAMESPACE)
                                            .withLabel("darkfactory.dev/revision", secondRevision)
                                            .list()
                                            .getItems()
                                            .isEmpty());
            load.close();
            assertThat(load.answers()).containsExactly("v1", "v2");
            assertThat(load.requests()).isGreaterThan(100);
            assertThat(load.failures()).as(load.summary()).isZero();
            System.out.println("load loop across a promotion and a rollback: " + load.summary());
        }
    }

    // ---- helpers

    /** Pins the revision that serves (a rollback), retried on 409 as {@link #edit} is. */
    private void pin(String name, String revision) {
        for (int attempt = 1; ; attempt++) {
            try {
                client.resources(SoftwareIntent.class)
                        .inNamespace(NAMESPACE)
                        .withName(name)
                        .edit(
                                i -> {
                                    i.getSpec().serve.revision = revision;
                                    return i;
                                });
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 5) {
                    throw e;
                }
            }
        }
    }

    private static List<String> eventReasons(String intent) {
        return client.v1().events().inNamespace(NAMESPACE).list().getItems().stream()
                .filter(e -> intent.equals(e.getInvolvedObject().getName()))
                .map(e -> e.getReason())
                .toList();
    }

    /**
     * The run's generator pods reach the gateway by its URL with a token: no Secret reference, and
     * the provider key nowhere in their spec.
     */
    private static void assertGeneratorPodsHoldNoKey(FactoryRun run) {
        for (var attempt : run.getStatus().attempts) {
            Pod pod = client.pods().inNamespace(NAMESPACE).withName(attempt.generatorPod).get();
            assertThat(pod).as(attempt.generatorPod).isNotNull();
            assertThat(Serialization.asJson(pod.getSpec()))
                    .doesNotContain(PROVIDER_KEY)
                    .doesNotContain(PROVIDER_KEY_SECRET);
            Container generate =
                    pod.getSpec().getInitContainers().stream()
                            .filter(c -> c.getName().equals("generate"))
                            .findFirst()
                            .orElseThrow();
            assertThat(generate.getEnv())
                    .anySatisfy(
                            e -> {
                                assertThat(e.getName()).isEqualTo("OPENAI_BASE_URL");
                                assertThat(e.getValue())
                                        .isEqualTo(
                                                "http://"
                                                        + E2eEnvironment.GATEWAY_CLUSTER_IP
                                                        + ":8080/openai/v1");
                            });
        }
    }

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
        // The suite reaches apps from outside the cluster (through their cluster IPs).
        spec.serve.ingressFrom = IngressFrom.Anywhere;
        SoftwareIntent intent = new SoftwareIntent();
        intent.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NAMESPACE).build());
        intent.setSpec(spec);
        client.resource(intent).create();
    }

    /** Retried on 409: the operator writes the intent's status at any moment. */
    private void edit(String name, String description, String rolloutTimeout) {
        for (int attempt = 1; ; attempt++) {
            try {
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
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 5) {
                    throw e;
                }
            }
        }
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
     * An example of examples/ whose app the canned model writes as the REST service, applied in
     * this suite's namespace and reachable from this machine.
     */
    private static SoftwareIntent applyRestExample(String file) throws IOException {
        SoftwareIntent example =
                Serialization.unmarshal(
                        Files.readString(Path.of("examples", file)), SoftwareIntent.class);
        example.getMetadata().setNamespace(NAMESPACE);
        example.getSpec().description += CannedModel.REST_SERVICE + "\n";
        example.getSpec().serve.ingressFrom = IngressFrom.Anywhere;
        client.resource(example).create();
        return example;
    }

    /** A scenario's own intent and the GeneratorClass only it uses, once it is done. */
    private static void deleteWithItsClass(String intent, GeneratorClass generatorClass) {
        client.resources(SoftwareIntent.class).inNamespace(NAMESPACE).withName(intent).delete();
        client.resource(generatorClass).delete();
    }

    /**
     * GET through the intent's Service, by its cluster IP (kube-proxy routes it from this machine
     * too).
     */
    private String get(String intent, String path) throws IOException, InterruptedException {
        return send(intent, "GET", path, null).body().strip();
    }

    /**
     * Ready means the Deployment is available; a Service that has just got its endpoints may still
     * not be routed until kube-proxy has written its rules. Until then a connection to the cluster
     * IP leaves this machine by its default route, and this sandbox's network answers any address
     * (404, and keeps the connection open). A pooled connection made then would be reused for every
     * later try and never reach the Service (CI, Order 12: 5 minutes of 404 with the endpoint
     * ready), so each try asks on a client, and so a connection, of its own.
     */
    private void awaitAnswer(String intent, String path) {
        await().atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions()
                .until(
                        () ->
                                freshClient()
                                                .send(
                                                        HttpRequest.newBuilder(
                                                                        serviceUri(intent, path))
                                                                .timeout(Duration.ofSeconds(10))
                                                                .build(),
                                                        HttpResponse.BodyHandlers.discarding())
                                                .statusCode()
                                        == 200);
    }

    private HttpResponse<String> send(String intent, String method, String path, String json)
            throws IOException, InterruptedException {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(serviceUri(intent, path))
                        .timeout(Duration.ofSeconds(10))
                        .method(
                                method,
                                json == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        return freshClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A client, and so a connection, of its own for each request. The apps here answer in HTTP/1.0
     * and close the connection after each answer (Python's http.server), and a pooled connection
     * the app has just closed failed the next request with "header parser received no bytes" (CI,
     * Order 7: a POST, which the JDK's client does not retry). See also {@link #awaitAnswer}.
     */
    private static HttpClient freshClient() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** The intent's Service by its cluster IP (kube-proxy routes it from this machine too). */
    private static URI serviceUri(String intent, String path) {
        String ip =
                client.services()
                        .inNamespace(NAMESPACE)
                        .withName(intent)
                        .get()
                        .getSpec()
                        .getClusterIP();
        return URI.create("http://" + ip + ":8080" + path);
    }
}
