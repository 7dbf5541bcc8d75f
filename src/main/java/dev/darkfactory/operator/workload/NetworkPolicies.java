package dev.darkfactory.operator.workload;

import dev.darkfactory.operator.api.v1alpha1.EgressRule;
import dev.darkfactory.operator.api.v1alpha1.IngressFrom;
import dev.darkfactory.operator.api.v1alpha1.Labels;
import dev.darkfactory.operator.api.v1alpha1.NetworkPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The NetworkPolicies of the pods the operator makes (docs/security.md), as pure builders. A pod
 * that a NetworkPolicy selects for a direction gets only what some policy allows, so each policy
 * names both directions and allows only what its pods need:
 *
 * <ul>
 *   <li>{@value #TESTER}: tester pods (the app under test beside its tester, talking over loopback)
 *       get no ingress and no egress, so the app cannot send held-out requests anywhere;
 *   <li>{@value #GENERATOR}: generator pods get no ingress, and egress to DNS and what the operator
 *       is configured with (the registry, the gateway);
 *   <li>{@code darkfactory-generator-egress-<digest>}: generator pods of a GeneratorClass that
 *       declares {@code spec.egress} also reach those ranges (policies add up);
 *   <li>the intent's name: its served app gets ingress on its port and egress only as {@code
 *       spec.serve.egress} allows.
 * </ul>
 *
 * The first three are the same for every run of a namespace, so each is written once per namespace
 * (not per intent or attempt) and selected by the labels the pods carry.
 */
public final class NetworkPolicies {

    /** Name of the policy of every tester pod in a namespace. */
    public static final String TESTER = "darkfactory-tester";

    /** Name of the policy of every generator pod in a namespace. */
    public static final String GENERATOR = "darkfactory-generator";

    private static final String INGRESS = "Ingress";
    private static final String EGRESS = "Egress";

    /**
     * DNS of the cluster: port 53 of the pods labelled k8s-app=kube-dns (CoreDNS and kube-dns use
     * the label) in any namespace. Clusters whose DNS differs add theirs to the operator's
     * generator egress.
     */
    public static final NetworkPolicyEgressRule DNS =
            new NetworkPolicyEgressRuleBuilder()
                    .addNewTo()
                    .withNamespaceSelector(new LabelSelector())
                    .withPodSelector(
                            new LabelSelectorBuilder()
                                    .withMatchLabels(Map.of("k8s-app", "kube-dns"))
                                    .build())
                    .endTo()
                    .withPorts(port(53, "UDP"), port(53, "TCP"))
                    .build();

    private NetworkPolicies() {}

    /**
     * The operator's darkfactory.generator-egress setting: a JSON array of NetworkPolicy egress
     * rules (the chart builds it from networkPolicy.*); blank means none. A bad value stops the
     * operator at start with the setting named.
     */
    public static List<NetworkPolicyEgressRule> parseEgressSetting(String json) {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        try {
            NetworkPolicyEgressRule[] rules =
                    Serialization.unmarshal(json, NetworkPolicyEgressRule[].class);
            return rules == null ? List.of() : List.of(rules);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "darkfactory.generator-egress must be a JSON array of NetworkPolicy egress"
                            + " rules: "
                            + e.getMessage(),
                    e);
        }
    }

    /** No ingress, no egress for the tester pods of {@code namespace}. */
    public static NetworkPolicy tester(String namespace) {
        return policy(
                namespace,
                TESTER,
                role(Labels.TESTER),
                List.of(INGRESS, EGRESS),
                List.of(),
                List.of());
    }

    /**
     * No ingress; egress to DNS and to {@code operatorEgress} (the registry, the gateway: the
     * operator's setting) for the generator pods of {@code namespace}.
     */
    public static NetworkPolicy generator(
            String namespace, List<NetworkPolicyEgressRule> operatorEgress) {
        List<NetworkPolicyEgressRule> egress = new ArrayList<>();
        egress.add(DNS);
        egress.addAll(operatorEgress);
        return policy(
                namespace,
                GENERATOR,
                role(Labels.GENERATOR),
                List.of(INGRESS, EGRESS),
                List.of(),
                egress);
    }

    /**
     * The egress a GeneratorClass declares, for the generator pods labelled with its digest ({@link
     * #egressDigest}); null when it declares none.
     */
    public static NetworkPolicy generatorClassEgress(String namespace, List<EgressRule> egress) {
        String digest = egressDigest(egress);
        if (digest == null) {
            return null;
        }
        Map<String, String> selector = role(Labels.GENERATOR);
        selector.put(Labels.EGRESS, digest);
        return policy(
                namespace,
                GENERATOR + "-egress-" + digest,
                selector,
                List.of(EGRESS),
                List.of(),
                egressRules(egress));
    }

    /**
     * A digest of egress rules, for the label that ties a generator pod to the policy allowing
     * them: pods of one class version share a policy, and a changed class gets a new one while pods
     * of the old version keep theirs. Null for no rules.
     */
    public static String egressDigest(List<EgressRule> egress) {
        if (egress == null || egress.isEmpty()) {
            return null;
        }
        try {
            byte[] hash =
                    MessageDigest.getInstance("SHA-256")
                            .digest(Serialization.asJson(egress).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /**
     * The policy of a served app: ingress on {@code port} from {@code from}, egress to DNS and
     * {@code egress} when it names any, else none.
     */
    public static NetworkPolicy app(
            ObjectMeta metadata,
            Map<String, String> podSelector,
            int port,
            IngressFrom from,
            List<EgressRule> egress) {
        NetworkPolicyIngressRuleBuilder ingress =
                new NetworkPolicyIngressRuleBuilder().withPorts(port(port, "TCP"));
        switch (from == null ? IngressFrom.Namespace : from) {
            case Namespace -> ingress.addNewFrom().withPodSelector(new LabelSelector()).endFrom();
            case Cluster ->
                    ingress.addNewFrom().withNamespaceSelector(new LabelSelector()).endFrom();
            case Anywhere -> {
                // No peers: any source.
            }
        }
        List<NetworkPolicyEgressRule> egressRules = new ArrayList<>();
        if (egress != null && !egress.isEmpty()) {
            egressRules.add(DNS);
            egressRules.addAll(egressRules(egress));
        }
        return new NetworkPolicyBuilder()
                .withMetadata(metadata)
                .withNewSpec()
                .withPodSelector(new LabelSelectorBuilder().withMatchLabels(podSelector).build())
                .withPolicyTypes(INGRESS, EGRESS)
                .withIngress(ingress.build())
                .withEgress(egressRules)
                .endSpec()
                .build();
    }

    /**
     * The policy of the pods that verify an intent's candidate revision: no ingress; egress only to
     * the pods of {@code appSelector} on {@code port} (a Service's cluster IP is translated to
     * those pods before the policy applies), so the held-out checks the verifier holds reach
     * nothing but the candidate, and only as requests.
     */
    public static NetworkPolicy verifier(
            ObjectMeta metadata,
            Map<String, String> verifierSelector,
            Map<String, String> appSelector,
            int port) {
        return new NetworkPolicyBuilder()
                .withMetadata(metadata)
                .withNewSpec()
                .withPodSelector(
                        new LabelSelectorBuilder().withMatchLabels(verifierSelector).build())
                .withPolicyTypes(INGRESS, EGRESS)
                .addNewEgress()
                .withPorts(port(port, "TCP"))
                .addNewTo()
                .withPodSelector(new LabelSelectorBuilder().withMatchLabels(appSelector).build())
                .endTo()
                .endEgress()
                .endSpec()
                .build();
    }

    /** Whether the operator made this policy (it carries the managed-by label). */
    public static boolean managed(NetworkPolicy policy) {
        Map<String, String> labels = policy.getMetadata().getLabels();
        return labels != null && Labels.MANAGER.equals(labels.get(Labels.MANAGED_BY));
    }

    /** The NetworkPolicy egress rules of declared {@link EgressRule}s: one IP block each. */
    public static List<NetworkPolicyEgressRule> egressRules(List<EgressRule> egress) {
        if (egress == null) {
            return List.of();
        }
        return egress.stream()
                .map(
                        rule ->
                                new NetworkPolicyEgressRuleBuilder()
                                        .withTo(
                                                new NetworkPolicyPeerBuilder()
                                                        .withNewIpBlock()
                                                        .withCidr(rule.cidr)
                                                        .withExcept(
                                                                rule.except == null
                                                                        ? List.of()
                                                                        : rule.except)
                                                        .endIpBlock()
                                                        .build())
                                        .withPorts(ports(rule.ports))
                                        .build())
                .toList();
    }

    private static List<NetworkPolicyPort> ports(List<NetworkPort> ports) {
        if (ports == null) {
            return List.of();
        }
        return ports.stream()
                .map(p -> port(p.port, p.protocol == null ? "TCP" : p.protocol))
                .toList();
    }

    private static NetworkPolicyPort port(int number, String protocol) {
        return new NetworkPolicyPortBuilder()
                .withPort(new IntOrString(number))
                .withProtocol(protocol)
                .build();
    }

    private static Map<String, String> role(String role) {
        Map<String, String> selector = new LinkedHashMap<>();
        selector.put(Labels.MANAGED_BY, Labels.MANAGER);
        selector.put(Labels.ROLE, role);
        return selector;
    }

    private static NetworkPolicy policy(
            String namespace,
            String name,
            Map<String, String> podSelector,
            List<String> policyTypes,
            List<NetworkPolicyIngressRule> ingress,
            List<NetworkPolicyEgressRule> egress) {
        return new NetworkPolicyBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .withLabels(Labels.managed())
                .endMetadata()
                .withNewSpec()
                .withPodSelector(new LabelSelectorBuilder().withMatchLabels(podSelector).build())
                .withPolicyTypes(policyTypes)
                .withIngress(ingress)
                .withEgress(egress)
                .endSpec()
                .build();
    }
}
