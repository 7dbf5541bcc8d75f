package dev.darkfactory.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.darkfactory.operator.testing.TestApiServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every object the chart renders goes to a real API server as a server-side dry-run create, with
 * default values and with every optional part switched on, so that a manifest the API server would
 * refuse fails the build. The chart's CRDs are the committed ones TestApiServer installs
 * (ChartCrdsTest); the ServiceMonitor kind comes from {@link ServiceMonitorCrd}.
 */
class ChartDryRunTest {

    private static KubernetesClient client;

    @BeforeAll
    static void start() {
        client = TestApiServer.client();
        ServiceMonitorCrd.install(client);
    }

    @Test
    void defaultObjectsAreAccepted() {
        String namespace = TestApiServer.newNamespace("chart");
        String suffix = suffix();

        assertAllAccepted(
                HelmChart.template(
                        "df-" + suffix,
                        namespace,
                        Map.of(
                                "generatorClasses",
                                Map.of("builtin", Map.of("name", "builtin-" + suffix)))));
    }

    @Test
    void everyOptionalObjectIsAcceptedToo() {
        String namespace = TestApiServer.newNamespace("chart");
        List<String> watched =
                List.of(TestApiServer.newNamespace("team"), TestApiServer.newNamespace("team"));
        String suffix = suffix();

        RenderedChart chart =
                HelmChart.template(
                        "df-" + suffix,
                        namespace,
                        Map.of(
                                "replicaCount", 2,
                                "watchNamespaces", watched,
                                "serviceMonitor", Map.of("enabled", true),
                                "registry", Map.of("pushSecret", "registry-push", "insecure", true),
                                "generatorClasses",
                                        Map.of(
                                                "builtin",
                                                        Map.of(
                                                                "name",
                                                                "builtin-" + suffix,
                                                                "resources",
                                                                Map.of(
                                                                        "limits",
                                                                        Map.of("memory", "1Gi")),
                                                                "allowedBaseImages",
                                                                List.of(
                                                                        "registry.local:5000/base/*")),
                                                "claudeCode",
                                                        agent(
                                                                "claude-code-" + suffix,
                                                                "registry.local/agents/claude-code:1"),
                                                "codex",
                                                        agent(
                                                                "codex-" + suffix,
                                                                "registry.local/agents/codex:1"),
                                                "aider",
                                                        agent(
                                                                "aider-" + suffix,
                                                                "registry.local/agents/aider:1"),
                                                "openHands",
                                                        agent(
                                                                "openhands-" + suffix,
                                                                "registry.local/agents/openhands:1"))));

        assertThat(chart.ofKind("Role")).hasSize(3);
        assertThat(chart.ofKind("GeneratorClass")).hasSize(5);
        assertThat(chart.ofKind("ServiceMonitor")).hasSize(1);
        assertAllAccepted(chart);
    }

    private static void assertAllAccepted(RenderedChart chart) {
        assertThat(chart.objects()).isNotEmpty();
        for (GenericKubernetesResource object : chart.objects()) {
            try {
                client.resource(object).dryRun().create();
            } catch (KubernetesClientException e) {
                fail(
                        "the API server refused %s %s: %s",
                        object.getKind(), object.getMetadata().getName(), e.getMessage());
            }
        }
    }

    private static Map<String, Object> agent(String name, String image) {
        return Map.of(
                "enabled",
                true,
                "name",
                name,
                "image",
                image,
                "endpoint",
                "http://litellm.ai.svc:4000");
    }

    /**
     * Cluster-scoped names (ClusterRoles, GeneratorClasses) are unique per test: all tests share
     * one API server.
     */
    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
