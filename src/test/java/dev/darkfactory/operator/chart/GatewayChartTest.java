package dev.darkfactory.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.darkfactory.operator.api.v1alpha1.GeneratorClass;
import dev.darkfactory.operator.gateway.GatewayConfig;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The chart with the model gateway enabled (templates/gateway.yaml). */
class GatewayChartTest {

    private static final String GATEWAY = "df-darkfactory-gateway";
    private static final Map<String, Object> ENABLED =
            Map.of(
                    "gateway", Map.of("enabled", true),
                    "generatorClasses",
                            Map.of(
                                    "builtin",
                                            Map.of(
                                                    "pricing",
                                                    Map.of(
                                                            "inputPerMillion",
                                                            "0.15",
                                                            "outputPerMillion",
                                                            "0.60")),
                                    "claudeCode",
                                            Map.of(
                                                    "enabled",
                                                    true,
                                                    "image",
                                                    "registry.local/agents/claude:1"),
                                    "openHands",
                                            Map.of(
                                                    "enabled",
                                                    true,
                                                    "image",
                                                    "registry.local/agents/openhands:1")));

    private static Deployment deployment(RenderedChart chart, String name) {
        return chart.all(Deployment.class).stream()
                .filter(d -> d.getMetadata().getName().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static GeneratorClass generatorClass(RenderedChart chart, String name) {
        return chart.all(GeneratorClass.class).stream()
                .filter(c -> c.getMetadata().getName().equals(name))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void offByDefault() {
        RenderedChart chart = HelmChart.template("df", "df-system", Map.of());
        assertThat(chart.all(Deployment.class)).hasSize(1);
        assertThat(chart.operatorEnvironment()).doesNotContainKey("DARKFACTORY_GATEWAY_URL");
        assertThat(chart.one(GeneratorClass.class).getSpec().provider).isNull();
    }

    @Test
    void twoGatewayReplicasFromTheOperatorImageBehindAService() {
        RenderedChart chart = HelmChart.template("df", "df-system", ENABLED);
        Deployment gateway = deployment(chart, GATEWAY);
        var pod = gateway.getSpec().getTemplate().getSpec();
        Container container = pod.getContainers().get(0);

        assertThat(gateway.getSpec().getReplicas()).isEqualTo(2);
        assertThat(container.getImage()).isEqualTo(ChartTemplateTest.IMAGE);
        assertThat(container.getCommand()).containsExactly("/deployments/gateway");
        assertThat(pod.getServiceAccountName()).isEqualTo(GATEWAY);
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(container.getEnv())
                .extracting(EnvVar::getName)
                .contains(
                        "POD_NAME",
                        "POD_NAMESPACE",
                        "DF_GATEWAY_SIGNING_KEY_FILE",
                        "DF_GATEWAY_MAX_REQUEST_BYTES",
                        "DF_GATEWAY_CALL_TIMEOUT_SECONDS");
        // Whole numbers, as GatewayMain parses them: Helm reads YAML numbers as floats, and
        // quote alone would render 8388608 as 8.388608e+06 (the gateway then refuses to start).
        assertThat(container.getEnv())
                .contains(
                        new EnvVar("DF_GATEWAY_MAX_REQUEST_BYTES", "8388608", null),
                        new EnvVar("DF_GATEWAY_MAX_RESPONSE_BYTES", "67108864", null),
                        new EnvVar("DF_GATEWAY_IDLE_TIMEOUT_SECONDS", "300", null),
                        new EnvVar("DF_GATEWAY_CALL_TIMEOUT_SECONDS", "1800", null));
        assertThat(pod.getVolumes())
                .anySatisfy(
                        v ->
                                assertThat(v.getSecret().getSecretName())
                                        .isEqualTo(GATEWAY + "-signing-key"));

        Service service =
                chart.all(Service.class).stream()
                        .filter(s -> s.getMetadata().getName().equals(GATEWAY))
                        .findFirst()
                        .orElseThrow();
        assertThat(service.getSpec().getSelector())
                .isEqualTo(gateway.getSpec().getSelector().getMatchLabels());
        assertThat(service.getSpec().getSelector())
                .isNotEqualTo(
                        deployment(chart, "df-darkfactory")
                                .getSpec()
                                .getSelector()
                                .getMatchLabels());
        assertThat(service.getSpec().getPorts())
                .singleElement()
                .satisfies(p -> assertThat(p.getPort()).isEqualTo(8080));
    }

    @Test
    void theOperatorGetsTheGatewayUrlAndTheSharedSigningKey() {
        RenderedChart chart = HelmChart.template("df", "df-system", ENABLED);
        List<EnvVar> env =
                deployment(chart, "df-darkfactory")
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getEnv();
        Map<String, EnvVar> byName =
                env.stream().collect(Collectors.toMap(EnvVar::getName, e -> e));

        assertThat(byName.get(EnvironmentNames.of("darkfactory.gateway.url")).getValue())
                .isEqualTo("http://" + GATEWAY + ".df-system.svc:8080");
        var key =
                byName.get(EnvironmentNames.of("darkfactory.gateway.signing-key"))
                        .getValueFrom()
                        .getSecretKeyRef();
        assertThat(key.getName()).isEqualTo(GATEWAY + "-signing-key");
        assertThat(key.getKey()).isEqualTo("signing-key");
        // Both names are the properties GatewayConfig reads.
        assertThat(GatewayConfig.class.getDeclaredMethods())
                .extracting(m -> m.getName())
                .contains("url", "signingKey");

        Secret signingKey =
                chart.all(Secret.class).stream()
                        .filter(s -> s.getMetadata().getName().equals(key.getName()))
                        .findFirst()
                        .orElseThrow();
        assertThat(java.util.Base64.getDecoder().decode(signingKey.getData().get("signing-key")))
                .hasSizeGreaterThanOrEqualTo(32);
    }

    @Test
    void theGatewayReadsOnlyTheProviderKeySecretsOfEnabledClasses() {
        RenderedChart chart = HelmChart.template("df", "df-system", ENABLED);
        Role role =
                chart.all(Role.class).stream()
                        .filter(r -> r.getMetadata().getName().equals(GATEWAY))
                        .findFirst()
                        .orElseThrow();
        ClusterRole clusterRole =
                chart.all(ClusterRole.class).stream()
                        .filter(r -> r.getMetadata().getName().equals(GATEWAY))
                        .findFirst()
                        .orElseThrow();

        assertThat(role.getMetadata().getNamespace()).isEqualTo("df-system");
        assertThat(role.getRules())
                .anySatisfy(
                        rule -> {
                            assertThat(rule.getResources()).containsExactly("secrets");
                            assertThat(rule.getVerbs()).containsExactly("get");
                            assertThat(rule.getResourceNames())
                                    .containsExactly("darkfactory-anthropic", "darkfactory-openai");
                        });
        assertThat(role.getRules())
                .anySatisfy(
                        rule -> {
                            assertThat(rule.getResources()).containsExactly("configmaps");
                            assertThat(rule.getVerbs())
                                    .containsExactlyInAnyOrder("get", "create", "patch");
                        });
        assertThat(clusterRole.getRules())
                .singleElement()
                .satisfies(
                        rule -> {
                            assertThat(rule.getResources()).containsExactly("factoryruns");
                            assertThat(rule.getVerbs()).containsExactly("get");
                        });
    }

    @Test
    void onAClusterWithoutDnsGeneratorPodsReachTheGatewayByAFixedClusterIp() {
        RenderedChart chart =
                HelmChart.template(
                        "df",
                        "df-system",
                        Map.of("gateway", Map.of("enabled", true, "clusterIP", "10.96.250.250")));

        Service service =
                chart.all(Service.class).stream()
                        .filter(s -> s.getMetadata().getName().equals(GATEWAY))
                        .findFirst()
                        .orElseThrow();
        assertThat(service.getSpec().getClusterIP()).isEqualTo("10.96.250.250");
        assertThat(
                        deployment(chart, "df-darkfactory")
                                .getSpec()
                                .getTemplate()
                                .getSpec()
                                .getContainers()
                                .get(0)
                                .getEnv())
                .contains(
                        new EnvVar(
                                EnvironmentNames.of("darkfactory.gateway.url"),
                                "http://10.96.250.250:8080",
                                null));
        assertThatThrownBy(
                        () ->
                                HelmChart.template(
                                        "df",
                                        "df-system",
                                        Map.of(
                                                "gateway",
                                                Map.of("enabled", true, "clusterIP", "gateway"))))
                .hasMessageContaining("clusterIP");
    }

    @Test
    void theOperatorWatchesAndDeletesUsageRecordsInTheGatewayNamespaceOnly() {
        RenderedChart chart = HelmChart.template("df", "df-system", ENABLED);
        Role role =
                chart.all(Role.class).stream()
                        .filter(
                                r ->
                                        r.getMetadata()
                                                .getName()
                                                .equals("df-darkfactory-usage-records"))
                        .findFirst()
                        .orElseThrow();
        RoleBinding binding =
                chart.all(RoleBinding.class).stream()
                        .filter(b -> b.getRoleRef().getName().equals(role.getMetadata().getName()))
                        .findFirst()
                        .orElseThrow();

        assertThat(role.getMetadata().getNamespace()).isEqualTo("df-system");
        assertThat(role.getRules())
                .singleElement()
                .satisfies(
                        rule -> {
                            assertThat(rule.getResources()).containsExactly("configmaps");
                            assertThat(rule.getVerbs())
                                    .containsExactlyInAnyOrder("list", "watch", "delete");
                        });
        assertThat(binding.getSubjects())
                .singleElement()
                .satisfies(s -> assertThat(s.getName()).isEqualTo("df-darkfactory"));
        EnvVar namespace =
                deployment(chart, "df-darkfactory")
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getEnv()
                        .stream()
                        .filter(
                                e ->
                                        e.getName()
                                                .equals(
                                                        EnvironmentNames.of(
                                                                "darkfactory.gateway.namespace")))
                        .findFirst()
                        .orElseThrow();
        assertThat(namespace.getValueFrom().getFieldRef().getFieldPath())
                .isEqualTo("metadata.namespace");
        assertThat(GatewayConfig.class.getDeclaredMethods())
                .extracting(m -> m.getName())
                .contains("namespace");
        assertThat(HelmChart.template("df", "df-system", Map.of()).all(Role.class))
                .noneMatch(r -> r.getMetadata().getName().endsWith("-usage-records"));
    }

    @Test
    void classesNameTheirProviderAndPointTheAgentsAtTheGatewayWithoutAKeyReference() {
        RenderedChart chart = HelmChart.template("df", "df-system", ENABLED);

        for (GenericKubernetesResource object : chart.ofKind("GeneratorClass")) {
            assertThat(
                            io.fabric8.kubernetes.client.utils.Serialization.asJson(
                                    object.getAdditionalProperties().get("spec")))
                    .as(object.getMetadata().getName())
                    .doesNotContain("secretKeyRef");
        }
        GeneratorClass builtin = generatorClass(chart, "builtin");
        assertThat(builtin.getSpec().provider.openai.url).isEqualTo("https://api.openai.com/v1");
        assertThat(builtin.getSpec().provider.openai.apiKeySecretRef.name)
                .isEqualTo("darkfactory-openai");
        assertThat(builtin.getSpec().pricing.inputPerMillion).isEqualTo("0.15");
        assertThat(builtin.getSpec().env).extracting(e -> e.name).containsExactly("OPENAI_MODEL");

        GeneratorClass claude = generatorClass(chart, "claude-code");
        assertThat(claude.getSpec().provider.anthropic.url).isEqualTo("https://api.anthropic.com");
        assertThat(claude.getSpec().provider.openai).isNull();

        GeneratorClass openHands = generatorClass(chart, "openhands");
        assertThat(openHands.getSpec().env)
                .anySatisfy(
                        e -> {
                            assertThat(e.name).isEqualTo("LLM_API_KEY");
                            assertThat(e.value).isEqualTo("$(DF_GATEWAY_TOKEN)");
                        });
        assertThat(openHands.getSpec().env)
                .anySatisfy(
                        e -> {
                            assertThat(e.name).isEqualTo("LLM_BASE_URL");
                            assertThat(e.value).isEqualTo("$(OPENAI_BASE_URL)");
                        });
    }

    @Test
    void wrongGatewayValuesAreRejected() {
        assertThatThrownBy(
                        () ->
                                HelmChart.template(
                                        "df",
                                        "df-system",
                                        Map.of("gateway", Map.of("enabled", true, "replicas", 0))))
                .hasMessageContaining("replicas");
        assertThatThrownBy(
                        () ->
                                HelmChart.template(
                                        "df",
                                        "df-system",
                                        Map.of(
                                                "generatorClasses",
                                                Map.of(
                                                        "builtin",
                                                        Map.of(
                                                                "pricing",
                                                                Map.of(
                                                                        "inputPerMillion",
                                                                        "1,5",
                                                                        "outputPerMillion",
                                                                        "2"))))))
                .hasMessageContaining("inputPerMillion");
    }
}
