package dev.darkfactory.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.darkfactory.operator.api.v1alpha1.AttemptStatus;
import dev.darkfactory.operator.api.v1alpha1.BudgetSpec;
import dev.darkfactory.operator.api.v1alpha1.EnvVar;
import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.FactoryRunSpec;
import dev.darkfactory.operator.api.v1alpha1.FactoryRunStatus;
import dev.darkfactory.operator.api.v1alpha1.GeneratorSnapshot;
import dev.darkfactory.operator.api.v1alpha1.ModelProvider;
import dev.darkfactory.operator.api.v1alpha1.ProviderEndpoint;
import dev.darkfactory.operator.api.v1alpha1.RunTrigger;
import dev.darkfactory.operator.api.v1alpha1.SecretKeySelector;
import dev.darkfactory.operator.run.StationPods;
import dev.darkfactory.operator.testing.FactoryConfigs;
import dev.darkfactory.operator.testing.Fixtures;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class GatewayCredentialsTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final String SIGNING_KEY = "0123456789abcdef0123456789abcdef";
    private static final String KEY_SECRET = "model-provider-keys";

    private final GatewayCredentials credentials =
            GatewayCredentials.of(
                    "http://darkfactory-gateway.df.svc:8080/",
                    SIGNING_KEY,
                    Clock.fixed(NOW, ZoneOffset.UTC));

    static FactoryRun run(boolean withProvider) {
        FactoryRunSpec spec = new FactoryRunSpec();
        spec.intentName = "todo";
        spec.intentGeneration = 1L;
        spec.trigger = RunTrigger.SpecChanged;
        spec.intent = Fixtures.intent("team-a", "todo", "agent").getSpec();
        spec.intent.budget = new BudgetSpec();
        spec.intent.budget.maxTokens = 50_000L;
        spec.intent.budget.maxCost = "2.50";
        spec.intent.budget.attemptTimeout = "10m";
        spec.generator =
                new GeneratorSnapshot(
                        "agent", 1L, Fixtures.generatorClass("agent", true).getSpec());
        // The class's own env still names a key, as classes written before the gateway do.
        spec.generator.spec.env =
                new ArrayList<>(
                        List.of(
                                new EnvVar("OPENAI_MODEL", "gpt-test"),
                                keyRef("OPENAI_API_KEY", "openai"),
                                keyRef("ANTHROPIC_API_KEY", "anthropic")));
        if (withProvider) {
            spec.generator.spec.provider = new ModelProvider();
            spec.generator.spec.provider.openai =
                    new ProviderEndpoint(
                            "https://api.openai.com/v1",
                            new SecretKeySelector(KEY_SECRET, "openai"));
            spec.generator.spec.provider.anthropic =
                    new ProviderEndpoint(
                            "https://api.anthropic.com",
                            new SecretKeySelector(KEY_SECRET, "anthropic"));
        }
        FactoryRun run = new FactoryRun();
        run.setMetadata(
                new ObjectMetaBuilder()
                        .withName("todo-g1-abcdef")
                        .withNamespace("team-a")
                        .withUid("uid-1")
                        .withGeneration(1L)
                        .build());
        run.setSpec(spec);
        run.setStatus(new FactoryRunStatus());
        AttemptStatus attempt = new AttemptStatus();
        attempt.number = 2;
        attempt.startTime = "2026-12-01T11:58:00Z";
        run.getStatus().attempts.add(attempt);
        return run;
    }

    private static AttemptClaims verify(String token) throws TokenRejected {
        return new GatewayTokens(SIGNING_KEY.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .verify(token, NOW);
    }

    private static EnvVar keyRef(String name, String key) {
        EnvVar env = new EnvVar();
        env.name = name;
        env.secretKeyRef = new SecretKeySelector(KEY_SECRET, key);
        return env;
    }

    private static Map<String, String> env(Container container) {
        return container.getEnv().stream()
                .filter(e -> e.getValue() != null)
                .collect(
                        Collectors.toMap(
                                io.fabric8.kubernetes.api.model.EnvVar::getName,
                                io.fabric8.kubernetes.api.model.EnvVar::getValue));
    }

    @Test
    void theGenerateContainerGetsTheGatewayAndAnAttemptTokenInsteadOfTheKeys()
            throws TokenRejected {
        Pod pod =
                new StationPods(FactoryConfigs.defaults(), credentials).generatorPod(run(true), 2);
        Container generate = pod.getSpec().getInitContainers().get(1);
        Map<String, String> env = env(generate);

        assertThat(env)
                .containsEntry(
                        "OPENAI_BASE_URL", "http://darkfactory-gateway.df.svc:8080/openai/v1")
                .containsEntry(
                        "ANTHROPIC_BASE_URL", "http://darkfactory-gateway.df.svc:8080/anthropic")
                .containsEntry("DF_GATEWAY_URL", "http://darkfactory-gateway.df.svc:8080")
                .containsEntry("OPENAI_MODEL", "gpt-test");
        String token = env.get("DF_GATEWAY_TOKEN");
        assertThat(env)
                .containsEntry("OPENAI_API_KEY", token)
                .containsEntry("ANTHROPIC_API_KEY", token);
        assertThat(generate.getEnv())
                .extracting(io.fabric8.kubernetes.api.model.EnvVar::getName)
                .doesNotHaveDuplicates();

        AttemptClaims claims = verify(token);
        assertThat(claims.namespace()).isEqualTo("team-a");
        assertThat(claims.run()).isEqualTo("todo-g1-abcdef");
        assertThat(claims.runUid()).isEqualTo("uid-1");
        assertThat(claims.attempt()).isEqualTo(2);
        assertThat(claims.maxTokens()).isEqualTo(50_000L);
        assertThat(claims.maxCost()).isEqualByComparingTo("2.50");
        // Started 11:58, ten minutes per attempt, one minute of grace.
        assertThat(claims.expiresAt()).isEqualTo(Instant.parse("2026-12-01T12:09:00Z"));
    }

    @Test
    void noPodTheOperatorMakesForAGatewayRunReferencesTheProviderKeys() throws Exception {
        FactoryRun run = run(true);
        StationPods pods = new StationPods(FactoryConfigs.defaults(), credentials);
        AttemptStatus tested = new AttemptStatus();
        tested.number = 2;
        tested.image = "r/todo@sha256:1";
        ObjectMapper mapper = new ObjectMapper();

        for (Pod pod : List.of(pods.generatorPod(run, 2), pods.testerPod(run, tested))) {
            String spec = mapper.writeValueAsString(pod);
            assertThat(spec).as(pod.getMetadata().getName()).doesNotContain(KEY_SECRET);
            Stream.concat(
                            pod.getSpec().getInitContainers().stream(),
                            pod.getSpec().getContainers().stream())
                    .flatMap(c -> c.getEnv().stream())
                    .forEach(e -> assertThat(e.getValueFrom()).as(e.getName()).isNull());
        }
    }

    @Test
    void theSameAttemptGetsTheSameTokenWhenItsPodIsBuiltAgain() {
        FactoryRun run = run(true);
        assertThat(credentials.applyTo(List.of(), run, 2))
                .isEqualTo(credentials.applyTo(List.of(), run, 2));
    }

    @Test
    void classesWithoutAProviderAndOperatorsWithoutAGatewayKeepTheClassEnv() {
        Container withoutProvider =
                new StationPods(FactoryConfigs.defaults(), credentials)
                        .generatorPod(run(false), 2)
                        .getSpec()
                        .getInitContainers()
                        .get(1);
        Container withoutGateway =
                new StationPods(FactoryConfigs.defaults())
                        .generatorPod(run(true), 2)
                        .getSpec()
                        .getInitContainers()
                        .get(1);

        for (Container generate : List.of(withoutProvider, withoutGateway)) {
            assertThat(generate.getEnv())
                    .extracting(io.fabric8.kubernetes.api.model.EnvVar::getName)
                    .contains("OPENAI_API_KEY")
                    .doesNotContain("DF_GATEWAY_TOKEN");
        }
    }

    @Test
    void anAttemptNotYetInStatusExpiresAfterItsTimeoutFromNow() throws TokenRejected {
        FactoryRun run = run(true);
        String token =
                env(new io.fabric8.kubernetes.api.model.ContainerBuilder()
                                .withEnv(credentials.applyTo(List.of(), run, 3))
                                .build())
                        .get("DF_GATEWAY_TOKEN");
        assertThat(verify(token).expiresAt()).isEqualTo(NOW.plusSeconds(660));
    }
}
