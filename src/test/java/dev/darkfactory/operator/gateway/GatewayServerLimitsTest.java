package dev.darkfactory.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.darkfactory.operator.api.v1alpha1.ModelProvider;
import dev.darkfactory.operator.api.v1alpha1.ProviderEndpoint;
import dev.darkfactory.operator.api.v1alpha1.SecretKeySelector;
import io.vertx.core.Context;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway's bounds with small limits (answers of 400 bytes, 1 s of silence), and its threading:
 * the Kubernetes API work (run, key, usage records) never runs on a Vert.x event loop.
 */
class GatewayServerLimitsTest {

    private static final int MAX_ANSWER = 400;
    private static final RunRef RUN = new RunRef("team-a", "todo-g1", "uid-1");

    private final GatewayTokens tokens = new GatewayTokens(GatewayTokensTest.KEY);
    private final InMemoryUsageLedger memory = new InMemoryUsageLedger();

    /** For each Kubernetes-side call: whether it ran on an event loop thread. */
    private final List<Boolean> onEventLoop = new CopyOnWriteArrayList<>();

    private final HttpClient client =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private FakeProvider provider;
    private GatewayServer gateway;

    @BeforeEach
    void start() throws IOException {
        provider = new FakeProvider();
        ModelProvider models = new ModelProvider();
        models.openai =
                new ProviderEndpoint(provider.url("/v1"), new SecretKeySelector("keys", "openai"));
        RunDirectory runs =
                claims -> {
                    noteThread();
                    return new RunRoute("builtin", models, Optional.empty());
                };
        ProviderKeys keys =
                ref -> {
                    noteThread();
                    return "sk-limits";
                };
        UsageLedger ledger =
                new UsageLedger() {
                    @Override
                    public RunUsage usage(RunRef run) {
                        noteThread();
                        return memory.usage(run);
                    }

                    @Override
                    public void record(RunRef run, int attempt, TokenCount counted) {
                        noteThread();
                        memory.record(run, attempt, counted);
                    }

                    @Override
                    public void refused(RunRef run, BudgetRefusal refusal) {
                        noteThread();
                        memory.refused(run, refusal);
                    }
                };
        GatewayLimits defaults = GatewayLimits.defaults();
        gateway =
                GatewayServer.start(
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                        tokens,
                        runs,
                        keys,
                        ledger,
                        new GatewayMetrics(),
                        Clock.fixed(GatewayServerTest.NOW, ZoneOffset.UTC),
                        new GatewayLimits(
                                defaults.maxRequestBytes(),
                                MAX_ANSWER,
                                defaults.connectTimeout(),
                                Duration.ofSeconds(1),
                                defaults.callTimeout(),
                                defaults.blockingThreads(),
                                defaults.maxConnectionsPerProvider()));
    }

    @AfterEach
    void stop() {
        gateway.close();
        provider.close();
    }

    private void noteThread() {
        onEventLoop.add(Context.isOnEventLoopThread());
    }

    private HttpResponse<String> chat(String body) throws Exception {
        AttemptClaims claims =
                new AttemptClaims(
                        RUN.namespace(),
                        RUN.name(),
                        RUN.uid(),
                        1,
                        GatewayServerTest.NOW.plusSeconds(600),
                        1_000_000L,
                        null);
        return client.send(
                HttpRequest.newBuilder(URI.create(gateway.url() + "/openai/v1/chat/completions"))
                        .header("Authorization", "Bearer " + tokens.mint(claims))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aWholeAnswerOverTheLimitIsA502AndNotCharged() throws Exception {
        provider.on(
                "/v1/chat/completions",
                FakeProvider.Answer.json(
                        "{\"pad\":\""
                                + "x".repeat(MAX_ANSWER)
                                + "\",\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1}}"));

        HttpResponse<String> response = chat("{\"model\":\"m\"}");

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.headers().firstValue("retry-after")).isPresent();
        assertThat(response.body()).contains("larger than the gateway's limit of 400 bytes");
        assertThat(memory.usage(RUN).total().calls()).isZero();
    }

    @Test
    void aStreamOverTheLimitIsCutAndChargedBySize() throws Exception {
        String event =
                "data: {\"choices\":[{\"delta\":{\"content\":\"" + "y".repeat(80) + "\"}}]}\n\n";
        String usage =
                "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2}}\n\n";
        provider.on(
                "/v1/chat/completions",
                FakeProvider.Answer.events(event, event, event, event, event, event, usage));

        HttpResponse<String> response = chat("{\"model\":\"m\",\"stream\":true}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).doesNotContain("usage");
        assertThat(response.body().length()).isLessThanOrEqualTo(MAX_ANSWER);
        // The usage chunk never came, so the call is charged by size, not for free.
        RunUsage.AttemptUsage charged = memory.usage(RUN).attempt(1);
        assertThat(charged.calls()).isEqualTo(1);
        assertThat(charged.tokens()).isNotEqualTo(new TokenCount(9, 2));
        assertThat(charged.tokens().total()).isPositive();
    }

    @Test
    void aSilentProviderEndsTheCallWith504() throws Exception {
        provider.silentOn("/v1/chat/completions");

        HttpResponse<String> response = chat("{\"model\":\"m\"}");

        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(response.headers().firstValue("retry-after")).isPresent();
        assertThat(response.body()).contains("sent nothing for 1s");
        assertThat(memory.usage(RUN).total().calls()).isZero();
    }

    @Test
    void kubernetesWorkNeverRunsOnAnEventLoop() throws Exception {
        provider.on(
                "/v1/chat/completions",
                FakeProvider.Answer.json(
                        "{\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":5}}"));

        assertThat(chat("{\"model\":\"m\"}").statusCode()).isEqualTo(200);

        // Run, usage, key, record: every one of them on a worker thread.
        assertThat(onEventLoop).hasSizeGreaterThanOrEqualTo(4).containsOnly(false);
        assertThat(memory.usage(RUN).attempt(1).tokens()).isEqualTo(new TokenCount(4, 5));
    }
}
