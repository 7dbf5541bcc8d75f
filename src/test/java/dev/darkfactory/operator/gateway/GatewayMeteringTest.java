package dev.darkfactory.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.darkfactory.operator.api.v1alpha1.AttemptPhase;
import dev.darkfactory.operator.api.v1alpha1.BudgetSpec;
import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.GeneratorClass;
import dev.darkfactory.operator.api.v1alpha1.ModelPricing;
import dev.darkfactory.operator.api.v1alpha1.ModelProvider;
import dev.darkfactory.operator.api.v1alpha1.ProviderEndpoint;
import dev.darkfactory.operator.api.v1alpha1.RunPhase;
import dev.darkfactory.operator.api.v1alpha1.SecretKeySelector;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntent;
import dev.darkfactory.operator.config.FactoryConfig;
import dev.darkfactory.operator.contract.FailureReason;
import dev.darkfactory.operator.intent.IntentReconciler;
import dev.darkfactory.operator.metrics.FactoryMetrics;
import dev.darkfactory.operator.run.RunReconciler;
import dev.darkfactory.operator.testing.FactoryConfigs;
import dev.darkfactory.operator.testing.FactoryHarness;
import dev.darkfactory.operator.testing.FakeKubelet;
import dev.darkfactory.operator.testing.Fixtures;
import dev.darkfactory.operator.testing.InProcessOperator;
import dev.darkfactory.operator.testing.TestApiServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway and the operator together on a real API server, the test playing the generator (its
 * model calls go through the gateway with the token from its pod spec) and the kubelet: usage comes
 * from the gateway's records, not from what the generator reports; a call past maxTokens or maxCost
 * is refused and the run ends with a reason naming that budget; tokens of a finished run are
 * refused; the provider key reaches no pod; records of deleted runs are swept.
 */
class GatewayMeteringTest {

    private static final String PROVIDER_KEY = "sk-provider-canary-5d2e91";
    private static final String KEY_SECRET = "model-keys";
    private static final String SIGNING_KEY = "metering-test-signing-key-0123456789abcdef";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** What the fake provider answers every call with: 40 input and 80 output tokens. */
    private static final String CHAT =
            "{\"id\":\"c1\",\"choices\":[{\"message\":{\"content\":\"ok\"}}],"
                    + "\"usage\":{\"prompt_tokens\":40,\"completion_tokens\":80,\"total_tokens\":120}}";

    private final KubernetesClient client = TestApiServer.client();
    private final String namespace = TestApiServer.newNamespace("metered");
    private final String gatewayNamespace = TestApiServer.newNamespace("gateway");
    private final String className = "gen-" + namespace;
    private final FakeKubelet kubelet = new FakeKubelet(client, namespace);
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private FakeProvider provider;
    private GatewayServer gateway;
    private InProcessOperator operator;

    @BeforeEach
    void start() throws Exception {
        provider = new FakeProvider().on("/v1/chat/completions", FakeProvider.Answer.json(CHAT));
        client.resource(
                        new SecretBuilder()
                                .withNewMetadata()
                                .withName(KEY_SECRET)
                                .withNamespace(gatewayNamespace)
                                .endMetadata()
                                .addToStringData("openai", PROVIDER_KEY)
                                .build())
                .create();
        GeneratorClass generatorClass = Fixtures.generatorClass(className, false);
        generatorClass.getSpec().provider = new ModelProvider();
        generatorClass.getSpec().provider.openai =
                new ProviderEndpoint(
                        provider.url("/v1"), new SecretKeySelector(KEY_SECRET, "openai"));
        generatorClass.getSpec().pricing = new ModelPricing("1000", "2000", "USD");
        client.resource(generatorClass).create();

        Clock clock = Clock.systemUTC();
        gateway =
                GatewayServer.start(
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                        new GatewayTokens(SIGNING_KEY.getBytes(StandardCharsets.UTF_8)),
                        new KubernetesRunDirectory(client),
                        new KubernetesProviderKeys(client, gatewayNamespace, clock),
                        new ConfigMapUsageLedger(client, gatewayNamespace, "gateway-0"),
                        new GatewayMetrics(),
                        clock,
                        GatewayLimits.defaults());
        GatewayCredentials credentials =
                GatewayCredentials.of(gateway.url().toString(), SIGNING_KEY, clock)
                        .withUsageIn(gatewayNamespace);
        FactoryConfig settings = FactoryConfigs.defaults();
        operator =
                InProcessOperator.start(
                        client,
                        namespace,
                        new IntentReconciler(settings, FactoryMetrics.inMemory()),
                        new RunReconciler(settings, FactoryMetrics.inMemory(), clock, credentials));
    }

    @AfterEach
    void stop() {
        operator.close();
        gateway.close();
        provider.close();
    }

    @Test
    void theRunShowsWhatTheGatewayMeteredPerAttemptNotWhatTheGeneratorReported() throws Exception {
        createIntent("metered", budget(3, null, null));
        FactoryRun run = awaitRun("metered", r -> generatorPodOf(r) != null);
        Pod generator = pod(generatorPodOf(run));

        HttpResponse<String> answer = chat(generator, "{\"model\":\"m\"}");
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(provider.last().headers().getFirst("Authorization"))
                .isEqualTo("Bearer " + PROVIDER_KEY);
        // The generator lies about its usage: 1 token.
        kubelet.generatorSucceeds(
                generatorPodOf(run), FactoryHarness.built("registry.local:5000/a@sha256:1", 1L));

        run =
                awaitRun(
                        "metered",
                        r ->
                                r.getStatus().attempts.get(0).phase == AttemptPhase.Testing
                                        && r.getStatus().usage != null);
        var attempt = run.getStatus().attempts.get(0);
        assertThat(attempt.tokens).isEqualTo(120L);
        assertThat(attempt.usage.inputTokens).isEqualTo(40L);
        assertThat(attempt.usage.outputTokens).isEqualTo(80L);
        assertThat(attempt.usage.calls).isEqualTo(1L);
        // 40 x 1000 + 80 x 2000 per million.
        assertThat(attempt.usage.cost).isEqualTo("0.200000");
        assertThat(run.getStatus().usage.currency).isEqualTo("USD");
        assertThat(run.getStatus().tokensUsed).isEqualTo(120L);

        // Every object the operator made in the run's namespace, the tester pod among them.
        awaitRun("metered", r -> r.getStatus().attempts.get(0).testerPod != null);
        assertThat(client.pods().inNamespace(namespace).list().getItems()).hasSize(2);
        String made =
                Serialization.asJson(client.pods().inNamespace(namespace).list())
                        + Serialization.asJson(client.configMaps().inNamespace(namespace).list())
                        + Serialization.asJson(client.secrets().inNamespace(namespace).list());
        assertThat(made).doesNotContain(PROVIDER_KEY).doesNotContain(KEY_SECRET);
        assertThat(envOf(generator))
                .containsEntry("OPENAI_BASE_URL", gateway.url() + "/openai/v1")
                .containsKey("OPENAI_API_KEY");
    }

    @Test
    void theCallPastMaxTokensIsRefusedAndTheRunEndsNamingTheBudget() throws Exception {
        createIntent("tokens", budget(3, 150L, null));
        FactoryRun run = awaitRun("tokens", r -> generatorPodOf(r) != null);
        Pod generator = pod(generatorPodOf(run));

        assertThat(chat(generator, "{\"model\":\"m\"}").statusCode()).isEqualTo(200);
        // 30 tokens left; this request alone is about 50 tokens of input.
        HttpResponse<String> refused = chat(generator, largeRequest(200));
        assertThat(refused.statusCode()).isEqualTo(402);
        assertThat(MAPPER.readTree(refused.body()).at("/error/message").asText())
                .contains("spec.budget.maxTokens 150");
        assertThat(provider.received).hasSize(1);
        // The generator gives up, as the built-in one does on a 402.
        kubelet.stationFails(
                generatorPodOf(run), "generate", 1, "Error", "the model refused: budget");

        run = awaitRun("tokens", r -> r.getStatus().phase == RunPhase.Failed);
        assertThat(run.getStatus().reason).isEqualTo(FailureReason.TokenBudgetExhausted.name());
        assertThat(run.getStatus().message).contains("spec.budget.maxTokens 150");
        assertThat(run.getStatus().attempts).hasSize(1);
        assertThat(run.getStatus().attempts.get(0).reason)
                .isEqualTo(FailureReason.GeneratorFailed.name());

        // The attempt's token no longer works once its run has finished.
        HttpResponse<String> afterEnd = chat(generator, "{\"model\":\"m\"}");
        assertThat(afterEnd.statusCode()).isEqualTo(401);
        assertThat(afterEnd.body()).contains("has finished");
        assertThat(provider.received).hasSize(1);
    }

    @Test
    void theCallPastMaxCostIsRefusedAndTheRunEndsNamingTheBudget() throws Exception {
        createIntent("cost", budget(3, null, "0.25"));
        FactoryRun run = awaitRun("cost", r -> generatorPodOf(r) != null);
        Pod generator = pod(generatorPodOf(run));

        assertThat(chat(generator, "{\"model\":\"m\"}").statusCode()).isEqualTo(200);
        // 0.20 spent of 0.25; 400 bytes of input alone cost about 0.10.
        HttpResponse<String> refused = chat(generator, largeRequest(400));
        assertThat(refused.statusCode()).isEqualTo(402);
        assertThat(refused.body()).contains("spec.budget.maxCost 0.25 USD");
        kubelet.stationFails(
                generatorPodOf(run), "generate", 1, "Error", "the model refused: budget");

        run = awaitRun("cost", r -> r.getStatus().phase == RunPhase.Failed);
        assertThat(run.getStatus().reason).isEqualTo(FailureReason.CostBudgetExhausted.name());
        assertThat(run.getStatus().message).contains("spec.budget.maxCost 0.25");
        assertThat(run.getStatus().usage.cost).isEqualTo("0.200000");
        assertThat(run.getStatus().attempts).hasSize(1);
    }

    @Test
    void aForeignOrExpiredTokenIsRefusedBeforeTheProvider() throws Exception {
        createIntent("foreign", budget(3, null, null));
        FactoryRun run = awaitRun("foreign", r -> generatorPodOf(r) != null);
        AttemptClaims claims =
                new AttemptClaims(
                        namespace,
                        run.getMetadata().getName(),
                        run.getMetadata().getUid(),
                        1,
                        java.time.Instant.now().plusSeconds(600),
                        null,
                        null);
        String foreign =
                new GatewayTokens(
                                "another-operators-key-0123456789abcdef"
                                        .getBytes(StandardCharsets.UTF_8))
                        .mint(claims);
        String expired =
                new GatewayTokens(SIGNING_KEY.getBytes(StandardCharsets.UTF_8))
                        .mint(
                                new AttemptClaims(
                                        namespace,
                                        run.getMetadata().getName(),
                                        run.getMetadata().getUid(),
                                        1,
                                        java.time.Instant.now().minusSeconds(1),
                                        null,
                                        null));

        assertThat(chat(gateway.url() + "/openai/v1", foreign, "{}").statusCode()).isEqualTo(401);
        assertThat(chat(gateway.url() + "/openai/v1", expired, "{}").statusCode()).isEqualTo(401);
        assertThat(provider.received).isEmpty();
    }

    @Test
    void theRecordsOfADeletedRunAreSwept() throws Exception {
        createIntent("swept", budget(3, null, null));
        FactoryRun run = awaitRun("swept", r -> generatorPodOf(r) != null);
        assertThat(chat(pod(generatorPodOf(run)), "{\"model\":\"m\"}").statusCode()).isEqualTo(200);
        String records = UsageRecords.configMapName(run.getMetadata().getUid());
        UsageRecordSweep sweep = new UsageRecordSweep(client, gatewayNamespace);
        // The gateway records a call once it has answered it.
        await().atMost(FactoryHarness.WAIT).until(() -> configMap(records) != null);

        assertThat(sweep.sweep()).isEmpty();
        assertThat(configMap(records)).isNotNull();

        // Deleted: its intent makes it again under the same name, with another UID.
        client.resource(run).delete();
        await().atMost(FactoryHarness.WAIT)
                .until(
                        () -> run(run.getMetadata().getName()),
                        r ->
                                r == null
                                        || !r.getMetadata()
                                                .getUid()
                                                .equals(run.getMetadata().getUid()));
        assertThat(sweep.sweep()).containsExactly(records);
        assertThat(configMap(records)).isNull();
    }

    private static BudgetSpec budget(int maxAttempts, Long maxTokens, String maxCost) {
        BudgetSpec budget = new BudgetSpec();
        budget.maxAttempts = maxAttempts;
        budget.maxTokens = maxTokens;
        budget.maxCost = maxCost;
        return budget;
    }

    private void createIntent(String name, BudgetSpec budget) {
        SoftwareIntent intent = Fixtures.intent(namespace, name, className);
        intent.getSpec().budget = budget;
        client.resource(intent).create();
    }

    private FactoryRun awaitRun(String intent, Predicate<FactoryRun> until) {
        return await().atMost(FactoryHarness.WAIT)
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> {
                            SoftwareIntent current =
                                    client.resources(SoftwareIntent.class)
                                            .inNamespace(namespace)
                                            .withName(intent)
                                            .get();
                            return current == null
                                            || current.getStatus() == null
                                            || current.getStatus().latestRun == null
                                    ? null
                                    : run(current.getStatus().latestRun);
                        },
                        r -> r != null && r.getStatus() != null && until.test(r));
    }

    private FactoryRun run(String name) {
        return client.resources(FactoryRun.class).inNamespace(namespace).withName(name).get();
    }

    private static String generatorPodOf(FactoryRun run) {
        return run.getStatus().attempts.isEmpty()
                ? null
                : run.getStatus().attempts.get(0).generatorPod;
    }

    private Pod pod(String name) {
        return client.pods().inNamespace(namespace).withName(name).get();
    }

    private ConfigMap configMap(String name) {
        return client.configMaps().inNamespace(gatewayNamespace).withName(name).get();
    }

    private static Map<String, String> envOf(Pod generator) {
        return generator.getSpec().getInitContainers().stream()
                .filter(c -> c.getName().equals("generate"))
                .findFirst()
                .orElseThrow()
                .getEnv()
                .stream()
                .filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }

    /** A call as a coding agent makes it, with the URL and token of its pod spec. */
    private HttpResponse<String> chat(Pod generator, String body) throws Exception {
        Map<String, String> env = envOf(generator);
        return chat(env.get("OPENAI_BASE_URL"), env.get("OPENAI_API_KEY"), body);
    }

    private HttpResponse<String> chat(String baseUrl, String token, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(baseUrl + "/chat/completions"))
                        .header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + token)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String largeRequest(int bytes) {
        String padding = "x".repeat(bytes);
        return "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\""
                + padding
                + "\"}]}";
    }
}
