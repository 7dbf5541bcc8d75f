package dev.darkfactory.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.darkfactory.operator.api.v1alpha1.GeneratorClass;
import dev.darkfactory.operator.workload.NetworkPolicies;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The chart's NetworkPolicy settings: the egress of every generator pod (the registry, the gateway
 * when enabled) reaches the operator as darkfactory.generator-egress, and without the gateway the
 * chart's classes declare their model provider's ranges in spec.egress.
 */
class ChartNetworkPolicyTest {

    private static List<NetworkPolicyEgressRule> generatorEgress(RenderedChart chart) {
        String json =
                chart.all(Deployment.class).stream()
                        .filter(d -> !d.getMetadata().getName().endsWith("-gateway"))
                        .flatMap(
                                d ->
                                        d
                                                .getSpec()
                                                .getTemplate()
                                                .getSpec()
                                                .getContainers()
                                                .get(0)
                                                .getEnv()
                                                .stream())
                        .filter(e -> e.getName().equals("DARKFACTORY_GENERATOR_EGRESS"))
                        .map(EnvVar::getValue)
                        .findFirst()
                        .orElse(null);
        assertThat(json).as("DARKFACTORY_GENERATOR_EGRESS").isNotNull();
        // Parsed the way the operator parses it at start.
        return NetworkPolicies.parseEgressSetting(json);
    }

    @Test
    void byDefaultGeneratorPodsReachTheDefaultRegistryAndClassesThePublicModelApi() {
        RenderedChart chart = HelmChart.template("df", "df-system", Map.of());

        List<NetworkPolicyEgressRule> egress = generatorEgress(chart);
        assertThat(egress).hasSize(1);
        assertThat(egress.get(0).getTo().get(0).getNamespaceSelector().getMatchLabels())
                .containsExactly(Map.entry("kubernetes.io/metadata.name", "darkfactory"));
        assertThat(egress.get(0).getPorts().get(0).getPort().getIntVal()).isEqualTo(5000);

        GeneratorClass builtin = chart.one(GeneratorClass.class);
        assertThat(builtin.getSpec().egress).singleElement();
        var rule = builtin.getSpec().egress.get(0);
        assertThat(rule.cidr).isEqualTo("0.0.0.0/0");
        assertThat(rule.except).contains("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16");
        assertThat(rule.ports).singleElement().satisfies(p -> assertThat(p.port).isEqualTo(443));
    }

    @Test
    void withTheGatewayGeneratorPodsReachItAndClassesDeclareNoEgressOfTheirOwn() {
        RenderedChart chart =
                HelmChart.template(
                        "df",
                        "df-system",
                        Map.of(
                                "gateway",
                                Map.of("enabled", true),
                                "networkPolicy",
                                Map.of(
                                        "registryEgress",
                                        List.of(
                                                Map.of(
                                                        "to",
                                                        List.of(
                                                                Map.of(
                                                                        "ipBlock",
                                                                        Map.of(
                                                                                "cidr",
                                                                                "172.18.0.2/32"))),
                                                        "ports",
                                                        List.of(Map.of("port", 5000)))))));

        List<NetworkPolicyEgressRule> egress = generatorEgress(chart);
        assertThat(egress).hasSize(2);
        assertThat(egress.get(0).getTo().get(0).getIpBlock().getCidr()).isEqualTo("172.18.0.2/32");
        var gateway = egress.get(1);
        assertThat(gateway.getTo().get(0).getNamespaceSelector().getMatchLabels())
                .containsExactly(Map.entry("kubernetes.io/metadata.name", "df-system"));
        assertThat(gateway.getTo().get(0).getPodSelector().getMatchLabels())
                .containsEntry("app.kubernetes.io/name", "darkfactory-gateway")
                .containsEntry("app.kubernetes.io/instance", "df");
        assertThat(gateway.getPorts().get(0).getPort().getIntVal()).isEqualTo(8080);
        assertThat(chart.one(GeneratorClass.class).getSpec().egress).isNull();
    }
}
