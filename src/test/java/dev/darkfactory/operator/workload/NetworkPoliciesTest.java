package dev.darkfactory.operator.workload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.darkfactory.operator.api.v1alpha1.EgressRule;
import dev.darkfactory.operator.api.v1alpha1.IngressFrom;
import dev.darkfactory.operator.api.v1alpha1.NetworkPort;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRuleBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NetworkPoliciesTest {

    private static final EgressRule VENDOR_API =
            new EgressRule(
                    "0.0.0.0/0", List.of("10.0.0.0/8"), List.of(new NetworkPort(443, "TCP")));

    @Test
    void testerPodsGetNoIngressAndNoEgress() {
        NetworkPolicy policy = NetworkPolicies.tester("team-a");

        assertThat(policy.getMetadata().getName()).isEqualTo("darkfactory-tester");
        assertThat(policy.getMetadata().getNamespace()).isEqualTo("team-a");
        assertThat(policy.getMetadata().getLabels())
                .containsEntry("app.kubernetes.io/managed-by", "darkfactory-operator");
        assertThat(policy.getSpec().getPodSelector().getMatchLabels())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of(
                                "app.kubernetes.io/managed-by",
                                "darkfactory-operator",
                                "darkfactory.dev/role",
                                "tester"));
        assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
        assertThat(policy.getSpec().getIngress()).isEmpty();
        assertThat(policy.getSpec().getEgress()).isEmpty();
    }

    @Test
    void generatorPodsGetNoIngressAndEgressToDnsAndWhatTheOperatorIsConfiguredWith() {
        NetworkPolicyEgressRule registry =
                new NetworkPolicyEgressRuleBuilder()
                        .addNewTo()
                        .withNewIpBlock()
                        .withCidr("172.18.0.2/32")
                        .endIpBlock()
                        .endTo()
                        .build();
        NetworkPolicy policy = NetworkPolicies.generator("team-a", List.of(registry));

        assertThat(policy.getMetadata().getName()).isEqualTo("darkfactory-generator");
        assertThat(policy.getSpec().getPodSelector().getMatchLabels())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of(
                                "app.kubernetes.io/managed-by",
                                "darkfactory-operator",
                                "darkfactory.dev/role",
                                "generator"));
        assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
        assertThat(policy.getSpec().getIngress()).isEmpty();
        assertThat(policy.getSpec().getEgress()).containsExactly(NetworkPolicies.DNS, registry);
        NetworkPolicyEgressRule dns = policy.getSpec().getEgress().get(0);
        assertThat(dns.getPorts())
                .extracting(p -> p.getPort().getIntVal() + "/" + p.getProtocol())
                .containsExactly("53/UDP", "53/TCP");
        assertThat(dns.getTo().get(0).getPodSelector().getMatchLabels())
                .containsExactly(Map.entry("k8s-app", "kube-dns"));
    }

    @Test
    void aClassEgressBecomesIpBlocksForThePodsLabelledWithItsDigest() {
        NetworkPolicy policy = NetworkPolicies.generatorClassEgress("team-a", List.of(VENDOR_API));
        String digest = NetworkPolicies.egressDigest(List.of(VENDOR_API));

        assertThat(digest).hasSize(12);
        assertThat(policy.getMetadata().getName())
                .isEqualTo("darkfactory-generator-egress-" + digest);
        assertThat(policy.getSpec().getPodSelector().getMatchLabels())
                .containsEntry("darkfactory.dev/role", "generator")
                .containsEntry("darkfactory.dev/egress", digest);
        assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Egress");
        NetworkPolicyEgressRule rule = policy.getSpec().getEgress().get(0);
        assertThat(rule.getTo().get(0).getIpBlock().getCidr()).isEqualTo("0.0.0.0/0");
        assertThat(rule.getTo().get(0).getIpBlock().getExcept()).containsExactly("10.0.0.0/8");
        assertThat(rule.getPorts().get(0).getPort().getIntVal()).isEqualTo(443);
        assertThat(rule.getPorts().get(0).getProtocol()).isEqualTo("TCP");
    }

    @Test
    void noClassEgressNoPolicyAndAChangedEgressANewDigest() {
        assertThat(NetworkPolicies.generatorClassEgress("team-a", null)).isNull();
        assertThat(NetworkPolicies.generatorClassEgress("team-a", List.of())).isNull();
        assertThat(NetworkPolicies.egressDigest(null)).isNull();
        EgressRule other = new EgressRule("0.0.0.0/0", null, List.of(new NetworkPort(80, "TCP")));
        assertThat(NetworkPolicies.egressDigest(List.of(other)))
                .isNotEqualTo(NetworkPolicies.egressDigest(List.of(VENDOR_API)));
        assertThat(NetworkPolicies.egressDigest(List.of(VENDOR_API)))
                .isEqualTo(NetworkPolicies.egressDigest(List.of(VENDOR_API)));
    }

    @Test
    void anAppIsReachedOnItsPortFromItsNamespaceByDefaultAndReachesNothing() {
        NetworkPolicy policy = app(IngressFrom.Namespace, null);

        assertThat(policy.getSpec().getPodSelector().getMatchLabels())
                .containsExactly(Map.entry("app.kubernetes.io/name", "todo"));
        assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
        assertThat(policy.getSpec().getIngress()).singleElement();
        var ingress = policy.getSpec().getIngress().get(0);
        assertThat(ingress.getPorts()).singleElement();
        assertThat(ingress.getPorts().get(0).getPort().getIntVal()).isEqualTo(8080);
        assertThat(ingress.getFrom()).singleElement();
        assertThat(ingress.getFrom().get(0).getPodSelector().getMatchLabels()).isEmpty();
        assertThat(ingress.getFrom().get(0).getNamespaceSelector()).isNull();
        assertThat(policy.getSpec().getEgress()).isEmpty();
    }

    @Test
    void aVerifierReachesOnlyTheCandidatesPodsOnTheAppsPortAndNothingReachesIt() {
        Map<String, String> candidate =
                Map.of("app.kubernetes.io/name", "todo", "darkfactory.dev/revision", "g2-a1");
        NetworkPolicy policy =
                NetworkPolicies.verifier(
                        new ObjectMeta(),
                        Map.of(
                                "darkfactory.dev/role",
                                "verifier",
                                "darkfactory.dev/intent",
                                "todo"),
                        candidate,
                        8080);

        assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
        assertThat(policy.getSpec().getIngress()).isEmpty();
        assertThat(policy.getSpec().getEgress()).singleElement();
        var egress = policy.getSpec().getEgress().get(0);
        assertThat(egress.getPorts()).singleElement();
        assertThat(egress.getPorts().get(0).getPort().getIntVal()).isEqualTo(8080);
        assertThat(egress.getTo()).singleElement();
        assertThat(egress.getTo().get(0).getPodSelector().getMatchLabels()).isEqualTo(candidate);
        assertThat(egress.getTo().get(0).getNamespaceSelector()).isNull();
        assertThat(egress.getTo().get(0).getIpBlock()).isNull();
    }

    @Test
    void ingressFromTheClusterOrAnywhereAndEgressWithDnsWhenAsked() {
        var cluster = app(IngressFrom.Cluster, List.of(VENDOR_API)).getSpec();
        assertThat(cluster.getIngress().get(0).getFrom().get(0).getNamespaceSelector()).isNotNull();
        assertThat(cluster.getIngress().get(0).getFrom().get(0).getPodSelector()).isNull();
        assertThat(cluster.getEgress()).hasSize(2);
        assertThat(cluster.getEgress().get(0)).isEqualTo(NetworkPolicies.DNS);
        assertThat(cluster.getEgress().get(1).getTo().get(0).getIpBlock().getCidr())
                .isEqualTo("0.0.0.0/0");

        var anywhere = app(IngressFrom.Anywhere, null).getSpec();
        assertThat(anywhere.getIngress().get(0).getFrom()).isEmpty();
        assertThat(anywhere.getIngress().get(0).getPorts().get(0).getPort().getIntVal())
                .isEqualTo(8080);
    }

    private static NetworkPolicy app(IngressFrom from, List<EgressRule> egress) {
        ObjectMeta metadata = new ObjectMeta();
        metadata.setName("todo");
        return NetworkPolicies.app(
                metadata, Map.of("app.kubernetes.io/name", "todo"), 8080, from, egress);
    }
}
