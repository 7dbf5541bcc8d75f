package dev.darkfactory.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.darkfactory.operator.api.v1alpha1.ModelProvider;
import dev.darkfactory.operator.api.v1alpha1.ProviderEndpoint;
import dev.darkfactory.operator.api.v1alpha1.SecretKeySelector;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GatewayServerTest {

    static final String OPENAI_KEY = "sk-openai-canary-3f9a";
    static final String ANTHROPIC_KEY = "sk-ant-canary-77c1";
    static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String CHAT =
            "{\"id\":\"c1\",\"choices\":[{\"message\":{\"content\":\"hello\"}}],"
                    + "\"usage\":{\"prompt_tokens\":40,\"completion_tokens\":80,\"total_tokens\":120}}";

    private final GatewayTokens tokens = new GatewayTokens(GatewayTokensTest.KEY);
    private final InMemoryUsageLedger ledger = new InMemoryUsageLedger();
    private final GatewayMetrics metrics = new GatewayMetrics();
    private final HttpClient client =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private PrintStream originalErr;
    private FakeProvider provider;
    private GatewayServer gateway;
    private Optional<Pricing> pricing = Optional.empty();
    private TokenRejected runGone;

    @BeforeEach
    void start() throws IOException {
        originalErr = System.err;
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        provider = new FakeProvider();
        ModelProvider models = new ModelProvider();
        models.openai =
                new ProviderEndpoint(
                        provider.url("/v1"), new SecretKeySelector("model-keys", "openai"));
        models.anthropic =
                new ProviderEndpoint(
                        provider.url(""), new SecretKeySelector("model-keys", "anthropic"));
        RunDirectory runs =
                claims -> {
                    if (runGone != null) {
                        throw runGone;
                    }
                    return new RunRoute("builtin", models, pricing);
                };
        Map<String, String> secret = Map.of("openai", OPENAI_KEY, "anthropic", ANTHROPIC_KEY);
        ProviderKeys keys = ref -> secret.get(ref.key);
        gateway =
                GatewayServer.start(
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                        tokens,
                        runs,
                        keys,
                        ledger,
                        metrics,
                        Clock.fixed(NOW, ZoneOffset.UTC),
                        GatewayLimits.defaults());
    }

    @AfterEach
    void stop() {
        gateway.close();
        provider.close();
        System.setErr(originalErr);
        assertThat(log.toString(StandardCharsets.UTF_8))
                .as("gateway log")
                .doesNotContain(OPENAI_KEY)
                .doesNotContain(ANTHROPIC_KEY)
                .doesNotContain(GatewayTokens.PREFIX);
    }

    private AttemptClaims claims(int attempt, Long maxTokens, String maxCost) {
        return new AttemptClaims(
                "team-a",
                "todo-g1",
                "uid-1",
                attempt,
                NOW.plusSeconds(600),
                maxTokens,
                maxCost == null ? null : new BigDecimal(maxCost));
    }

    private HttpResponse<String> post(String path, AttemptClaims claims, String body)
            throws Exception {
        return post(path, "Authorization", "Bearer " + tokens.mint(claims), body);
    }

    private HttpResponse<String> post(String path, String header, String value, String body)
            throws Exception {
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(gateway.url() + path))
                        .header("Content-Type", "application/json")
                        .header(header, value)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void chatCompletionsAreForwardedWithTheProviderKeyAndMeteredPerAttempt() throws Exception {
        provider.on("/v1/chat/completions", FakeProvider.Answer.json(CHAT));

        HttpResponse<String> first =
                post("/openai/v1/chat/completions", claims(1, null, null), "{\"model\":\"m\"}");
        post("/openai/v1/chat/completions", claims(2, null, null), "{\"model\":\"m\"}");
        post("/openai/v1/chat/completions", claims(2, null, null), "{\"model\":\"m\"}");

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(MAPPER.readTree(first.body())).isEqualTo(MAPPER.readTree(CHAT));
        assertThat(provider.last().headers().getFirst("Authorization"))
                .isEqualTo("Bearer " + OPENAI_KEY);
        assertThat(provider.last().body()).doesNotContain(GatewayTokens.PREFIX);
        RunUsage usage = ledger.usage(new RunRef("team-a", "todo-g1", "uid-1"));
        assertThat(usage.attempt(1))
                .isEqualTo(new RunUsage.AttemptUsage(new TokenCount(40, 80), 1));
        assertThat(usage.attempt(2))
                .isEqualTo(new RunUsage.AttemptUsage(new TokenCount(80, 160), 2));
        assertThat(metrics.scrape())
                .contains(
                        "darkfactory_gateway_tokens_total{namespace=\"team-a\",class=\"builtin\",direction=\"output\"} 240")
                .contains(
                        "darkfactory_gateway_calls_total{namespace=\"team-a\",class=\"builtin\",api=\"openai_chat\",status=\"2xx\"} 3");
    }

    @Test
    void streamedChatIsPassedThroughAndItsUsageChunkCounted() throws Exception {
        String[] events = {
            "data: {\"choices\":[{\"delta\":{\"content\":\"hel\"}}]}\n\n",
            "data: {\"choices\":[{\"delta\":{\"content\":\"lo\"}}]}\n\n",
            "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2}}\n\n",
            "data: [DONE]\n\n"
        };
        provider.on("/v1/chat/completions", FakeProvider.Answer.events(events));

        HttpResponse<String> response =
                post(
                        "/openai/v1/chat/completions",
                        claims(1, null, null),
                        "{\"model\":\"m\",\"stream\":true}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("text/event-stream");
        assertThat(response.body()).isEqualTo(String.join("", events));
        assertThat(
                        MAPPER.readTree(provider.last().body())
                                .at("/stream_options/include_usage")
                                .asBoolean())
                .isTrue();
        assertThat(ledger.usage(new RunRef("team-a", "todo-g1", "uid-1")).attempt(1).tokens())
                .isEqualTo(new TokenCount(9, 2));
    }

    @Test
    void anthropicMessagesStreamedWithTheKeyInXApiKey() throws Exception {
        provider.on(
                "/v1/messages",
                FakeProvider.Answer.events(
                        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":21,\"output_tokens\":1}}}\n\n",
                        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"delta\":{\"text\":\"ok\"}}\n\n",
                        "event: message_delta\ndata: {\"type\":\"message_delta\",\"usage\":{\"output_tokens\":33}}\n\n",
                        "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"));

        HttpResponse<String> response =
                post(
                        "/anthropic/v1/messages",
                        "x-api-key",
                        tokens.mint(claims(3, null, null)),
                        "{\"model\":\"claude\",\"max_tokens\":1024,\"stream\":true,\"messages\":[]}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("message_stop");
        assertThat(provider.last().headers().getFirst("x-api-key")).isEqualTo(ANTHROPIC_KEY);
        assertThat(provider.last().headers().getFirst("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(provider.last().headers().getFirst("Authorization")).isNull();
        assertThat(ledger.usage(new RunRef("team-a", "todo-g1", "uid-1")).attempt(3).tokens())
                .isEqualTo(new TokenCount(21, 33));
    }

    @Test
    void responsesApiIsForwardedAndMetered() throws Exception {
        provider.on(
                "/v1/responses",
                FakeProvider.Answer.json(
                        "{\"id\":\"r1\",\"output\":[],\"usage\":{\"input_tokens\":7,\"output_tokens\":5}}"));

        HttpResponse<String> response =
                post(
                        "/openai/v1/responses",
                        claims(1, null, null),
                        "{\"model\":\"m\",\"input\":\"x\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(ledger.usage(new RunRef("team-a", "todo-g1", "uid-1")).attempt(1).tokens())
                .isEqualTo(new TokenCount(7, 5));
    }

    @Test
    void theCallPastMaxTokensIsRefusedWithAnErrorTheAgentCanRead() throws Exception {
        provider.on("/v1/chat/completions", FakeProvider.Answer.json(CHAT));
        AttemptClaims budget = claims(1, 100L, null);

        HttpResponse<String> first =
                post(
                        "/openai/v1/chat/completions",
                        budget,
                        "{\"model\":\"m\",\"max_tokens\":4000}");
        HttpResponse<String> second =
                post("/openai/v1/chat/completions", budget, "{\"model\":\"m\"}");

        assertThat(first.statusCode()).isEqualTo(200);
        // 100 tokens left, minus about 10 of input: the provider was asked for no more than that.
        assertThat(MAPPER.readTree(provider.received.get(0).body()).get("max_tokens").asLong())
                .isBetween(1L, 100L);
        assertThat(second.statusCode()).isEqualTo(402);
        JsonNode error = MAPPER.readTree(second.body()).get("error");
        assertThat(error.get("type").asText()).isEqualTo("budget_exceeded");
        assertThat(error.get("message").asText()).contains("spec.budget.maxTokens 100");
        assertThat(provider.received).hasSize(1);
        // Noted for the operator, which ends the run naming the budget.
        assertThat(ledger.refusal(new RunRef("team-a", "todo-g1", "uid-1")))
                .hasValueSatisfying(
                        r -> {
                            assertThat(r.attempt()).isEqualTo(1);
                            assertThat(r.budget()).isEqualTo(BudgetRefusal.MAX_TOKENS);
                            assertThat(r.message()).contains("spec.budget.maxTokens 100");
                        });
        assertThat(metrics.scrape())
                .contains("darkfactory_gateway_refused_total{reason=\"budget\"} 1");
    }

    @Test
    void theCallPastMaxCostIsRefusedInAnthropicsErrorShape() throws Exception {
        pricing = Optional.of(new Pricing(new BigDecimal("3"), new BigDecimal("15"), "USD"));
        provider.on(
                "/v1/messages",
                FakeProvider.Answer.json(
                        "{\"type\":\"message\",\"usage\":{\"input_tokens\":1000,\"output_tokens\":70000}}"));
        AttemptClaims budget = claims(1, null, "1.00");
        String body = "{\"model\":\"claude\",\"max_tokens\":100000,\"messages\":[]}";

        HttpResponse<String> first =
                post("/anthropic/v1/messages", "x-api-key", tokens.mint(budget), body);
        HttpResponse<String> second =
                post("/anthropic/v1/messages", "x-api-key", tokens.mint(budget), body);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(MAPPER.readTree(provider.last().body()).get("max_tokens").asLong())
                .isLessThan(100000);
        assertThat(second.statusCode()).isEqualTo(402);
        JsonNode error = MAPPER.readTree(second.body());
        assertThat(error.get("type").asText()).isEqualTo("error");
        assertThat(error.at("/error/message").asText()).contains("spec.budget.maxCost 1.00 USD");
        assertThat(provider.received).hasSize(1);
        assertThat(metrics.scrape())
                .contains(
                        "darkfactory_gateway_cost_total{namespace=\"team-a\",class=\"builtin\",currency=\"USD\"} 1.053000");
    }

    @Test
    void expiredForeignAndMissingTokensAreRefusedBeforeTheProvider() throws Exception {
        AttemptClaims expired = new AttemptClaims("team-a", "todo-g1", "uid-1", 1, NOW, null, null);
        String foreign =
                new GatewayTokens(
                                "a-key-of-another-installation-0000"
                                        .getBytes(StandardCharsets.US_ASCII))
                        .mint(claims(1, null, null));

        HttpResponse<String> expiredAnswer = post("/openai/v1/chat/completions", expired, "{}");
        HttpResponse<String> foreignAnswer =
                post("/openai/v1/chat/completions", "Authorization", "Bearer " + foreign, "{}");
        HttpResponse<String> providerKey =
                post("/openai/v1/chat/completions", "Authorization", "Bearer " + OPENAI_KEY, "{}");

        assertThat(expiredAnswer.statusCode()).isEqualTo(401);
        assertThat(expiredAnswer.body()).contains("expired");
        assertThat(foreignAnswer.statusCode()).isEqualTo(401);
        assertThat(foreignAnswer.body()).contains("signature");
        assertThat(providerKey.statusCode()).isEqualTo(401);
        assertThat(provider.received).isEmpty();
        assertThat(metrics.scrape())
                .contains("darkfactory_gateway_refused_total{reason=\"token\"} 3");
    }

    @Test
    void aTokenOfAReplacedOrFinishedRunIsRefused() throws Exception {
        runGone = new TokenRejected("run team-a/todo-g1 has finished");

        HttpResponse<String> response =
                post("/openai/v1/chat/completions", claims(1, null, null), "{}");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("finished");
        assertThat(provider.received).isEmpty();
    }

    @Test
    void rateLimitsArePassedOnWithRetryAfterAndNotCharged() throws Exception {
        provider.on(
                "/v1/chat/completions",
                new FakeProvider.Answer(
                        429,
                        "application/json",
                        java.util.List.of("{\"error\":{\"message\":\"slow down\"}}"),
                        Map.of("Retry-After", "7")));

        HttpResponse<String> response =
                post("/openai/v1/chat/completions", claims(1, null, null), "{\"model\":\"m\"}");

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("retry-after")).hasValue("7");
        assertThat(response.body()).contains("slow down");
        assertThat(ledger.usage(new RunRef("team-a", "todo-g1", "uid-1")).total().calls()).isZero();
    }

    @Test
    void anUnreachableProviderIsA502WithRetryAfter() throws Exception {
        provider.close();

        HttpResponse<String> response =
                post("/openai/v1/chat/completions", claims(1, null, null), "{\"model\":\"m\"}");

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.headers().firstValue("retry-after")).isPresent();
    }

    @Test
    void oversizedAndMalformedRequestsAreRefused() throws Exception {
        String big =
                "{\"model\":\"" + "x".repeat(GatewayLimits.defaults().maxRequestBytes()) + "\"}";

        assertThat(post("/openai/v1/chat/completions", claims(1, null, null), big).statusCode())
                .isEqualTo(413);
        assertThat(post("/openai/v1/chat/completions", claims(1, null, null), "[1,2]").statusCode())
                .isEqualTo(400);
        assertThat(post("/openai/v1/embeddings", claims(1, null, null), "{}").statusCode())
                .isEqualTo(404);
        assertThat(provider.received).isEmpty();
    }

    @Test
    void healthAndMetricsAnswer() throws Exception {
        HttpResponse<String> health =
                client.send(
                        HttpRequest.newBuilder(URI.create(gateway.url() + "/healthz")).build(),
                        HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> scrape =
                client.send(
                        HttpRequest.newBuilder(URI.create(gateway.url() + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(scrape.body()).contains("# TYPE darkfactory_gateway_tokens_total counter");
    }
}
