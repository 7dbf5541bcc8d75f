package dev.darkfactory.operator.apiserver;

import static dev.darkfactory.operator.testing.FactoryHarness.WAIT;
import static dev.darkfactory.operator.testing.FactoryHarness.genPod;
import static dev.darkfactory.operator.testing.FactoryHarness.testPod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.darkfactory.operator.api.v1alpha1.EgressRule;
import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.GeneratorClass;
import dev.darkfactory.operator.api.v1alpha1.IngressFrom;
import dev.darkfactory.operator.api.v1alpha1.NetworkPort;
import dev.darkfactory.operator.api.v1alpha1.ServeSpec;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntent;
import dev.darkfactory.operator.testing.FactoryConfigs;
import dev.darkfactory.operator.testing.FactoryHarness;
import dev.darkfactory.operator.testing.FakeDeploymentController;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRuleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The NetworkPolicies of every pod kind on a real API server, as the operator writes them: exact
 * selectors, policy types and rules, and pods that carry the labels the selectors use.
 */
// Its namespaces and operators are its own: in the parallel lane, its tests one by one.
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock("NetworkPolicyTest")
class NetworkPolicyTest {

    private static final String IMAGE = "registry.test/ns/todo@sha256:" + "a".repeat(64);
    private static final NetworkPolicyEgressRule REGISTRY =
            new NetworkPolicyEgressRuleBuilder()
                    .addNewTo()
                    .withNewIpBlock()
                    .withCidr("172.18.0.2/32")
                    .endIpBlock()
                    .endTo()
                    .addNewPort()
                    .withNewPort(5000)
                    .withProtocol("TCP")
                    .endPort()
                    .build();
    private static final EgressRule VENDOR_API =
            new EgressRule(
                    "0.0.0.0/0",
                    List.of("10.0.0.0/8", "172.16.0.0/12"),
                    List.of(new NetworkPort(443, "TCP")));

    private FactoryHarness factory;
    private KubernetesClient client;

    @BeforeEach
    void setUp() {
        factory =
                new FactoryHarness(
                        FactoryConfigs.with(
                                "darkfactory.generator-egress",
                                Serialization.asJson(List.of(REGISTRY))));
        client = factory.client;
    }

    @AfterEach
    void tearDown() {
        factory.close();
    }

    @Test
    void generatorTesterAndServedAppEachGetExactlyTheirPolicy() {
        client.resources(GeneratorClass.class)
                .withName(factory.className)
                .edit(
                        c -> {
                            c.getSpec().egress = List.of(VENDOR_API);
                            return c;
                        });
        factory.createIntent("todo", 3, null);

        // Generator pod: no ingress; DNS and the registry from the settings; the class's egress.
        FactoryRun run = factory.awaitRun("todo", r -> factory.hasPod(r, 1, false));
        Pod generator = pod(genPod(run, 1));
        NetworkPolicy base = policy("darkfactory-generator");
        assertThat(base.getSpec().getPodSelector().getMatchLabels())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of(
                                "app.kubernetes.io/managed-by", "darkfactory-operator",
                                "darkfactory.dev/role", "generator"));
        assertThat(base.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
        assertThat(base.getSpec().getIngress()).isEmpty();
        assertThat(base.getSpec().getEgress()).hasSize(2);
        NetworkPolicyEgressRule dns = base.getSpec().getEgress().get(0);
        assertThat(dns.getTo().get(0).getPodSelector().getMatchLabels())
                .containsExactly(Map.entry("k8s-app", "kube-dns"));
        assertThat(dns.getPorts())
                .extracting(p -> p.getPort().getIntVal() + "/" + p.getProtocol())
                .containsExactly("53/UDP", "53/TCP");
        assertThat(base.getSpec().getEgress().get(1).getTo().get(0).getIpBlock().getCidr())
                .isEqualTo("172.18.0.2/32");
        assertThat(base.getSpec().getEgress().get(1).getPorts().get(0).getPort().getIntVal())
                .isEqualTo(5000);
        assertThat(selects(base, generator)).isTrue();

        String digest = generator.getMetadata().getLabels().get("darkfactory.dev/egress");
        assertThat(digest).isNotBlank();
        NetworkPolicy ofClass = policy("darkfactory-generator-egress-" + digest);
        assertThat(ofClass.getSpec().getPolicyTypes()).containsExactly("Egress");
        assertThat(ofClass.getSpec().getEgress()).singleElement();
        var block = ofClass.getSpec().getEgress().get(0).getTo().get(0).getIpBlock();
        assertThat(block.getCidr()).isEqualTo("0.0.0.0/0");
        assertThat(block.getExcept()).containsExactly("10.0.0.0/8", "172.16.0.0/12");
        assertThat(ofClass.getSpec().getEgress().get(0).getPorts().get(0).getPort().getIntVal())
                .isEqualTo(443);
        assertThat(selects(ofClass, generator)).isTrue();
        assertThat(generator.getSpec().getEnableServiceLinks()).isFalse();
        assertThat(generator.getSpec().getAutomountServiceAccountToken()).isFalse();

        // Tester pod (the app under test beside its tester): nothing in, nothing out.
        factory.kubelet.generatorSucceeds(genPod(run, 1), FactoryHarness.built(IMAGE, 10L));
        run = factory.awaitRun("todo", r -> factory.hasPod(r, 1, true));
        Pod tester = pod(testPod(run, 1));
        NetworkPolicy testers = policy("darkfactory-tester");
        assertThat(testers.getSpec().getPodSelector().getMatchLabels())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of(
                                "app.kubernetes.io/managed-by", "darkfactory-operator",
                                "darkfactory.dev/role", "tester"));
        assertThat(testers.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
        assertThat(testers.getSpec().getIngress()).isEmpty();
        assertThat(testers.getSpec().getEgress()).isEmpty();
        assertThat(selects(testers, tester)).isTrue();
        assertThat(selects(base, tester)).isFalse();
        assertThat(selects(ofClass, tester)).isFalse();
        assertThat(tester.getSpec().getEnableServiceLinks()).isFalse();
        assertThat(tester.getSpec().getAutomountServiceAccountToken()).isFalse();

        // The served app: ingress on its port from its namespace, no egress, owned by the intent.
        factory.kubelet.testerFinishes(
                testPod(run, 1),
                FactoryHarness.report(List.of("health", "list-todos", "create-todo"), List.of()),
                0);
        FakeDeploymentController deployments =
                new FakeDeploymentController(client, factory.namespace);
        String revision = factory.awaitCandidate("todo");
        NetworkPolicy app = policy("todo");
        SoftwareIntent intent = factory.intent("todo");
        assertThat(app.getMetadata().getOwnerReferences())
                .singleElement()
                .satisfies(o -> assertThat(o.getUid()).isEqualTo(intent.getMetadata().getUid()));
        assertThat(app.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
        assertThat(app.getSpec().getIngress()).singleElement();
        var ingress = app.getSpec().getIngress().get(0);
        assertThat(ingress.getPorts().get(0).getPort().getIntVal()).isEqualTo(8080);
        assertThat(ingress.getFrom()).singleElement();
        assertThat(ingress.getFrom().get(0).getPodSelector().getMatchLabels()).isEmpty();
        assertThat(ingress.getFrom().get(0).getNamespaceSelector()).isNull();
        assertThat(app.getSpec().getEgress()).isEmpty();
        Deployment deployment = deployments.get("todo-" + revision);
        Map<String, String> appLabels =
                deployment.getSpec().getTemplate().getMetadata().getLabels();
        assertThat(matches(app.getSpec().getPodSelector(), appLabels)).isTrue();
        assertThat(matches(testers.getSpec().getPodSelector(), appLabels)).isFalse();
        assertThat(matches(base.getSpec().getPodSelector(), appLabels)).isFalse();
        assertThat(matches(app.getSpec().getPodSelector(), tester.getMetadata().getLabels()))
                .as("the app under test is not reachable through the served app's policy")
                .isFalse();

        // spec.serve decides who reaches the app and what it reaches.
        factory.editIntent(
                "todo",
                i -> {
                    if (i.getSpec().serve == null) {
                        i.getSpec().serve = new ServeSpec();
                    }
                    i.getSpec().serve.ingressFrom = IngressFrom.Cluster;
                    i.getSpec().serve.egress = List.of(VENDOR_API);
                    return i;
                });
        String first = run.getMetadata().getName();
        factory.awaitRun("todo", r -> !r.getMetadata().getName().equals(first));
        deployments.rolledOut("todo-" + revision);
        factory.passAttempt("todo", 1, IMAGE.replace('a', 'b'));
        NetworkPolicy changed =
                await().atMost(WAIT)
                        .until(() -> policy("todo"), p -> p.getSpec().getEgress().size() == 2);
        assertThat(changed.getSpec().getIngress().get(0).getFrom().get(0).getNamespaceSelector())
                .isNotNull();
        assertThat(changed.getSpec().getEgress().get(1).getTo().get(0).getIpBlock().getCidr())
                .isEqualTo("0.0.0.0/0");
    }

    private Pod pod(String name) {
        return client.pods().inNamespace(factory.namespace).withName(name).get();
    }

    private NetworkPolicy policy(String name) {
        NetworkPolicy policy =
                client.network()
                        .v1()
                        .networkPolicies()
                        .inNamespace(factory.namespace)
                        .withName(name)
                        .get();
        assertThat(policy).as("NetworkPolicy " + name).isNotNull();
        return policy;
    }

    private static boolean selects(NetworkPolicy policy, Pod pod) {
        return matches(policy.getSpec().getPodSelector(), pod.getMetadata().getLabels());
    }

    /** matchLabels only: the operator's selectors use no expressions. */
    static boolean matches(LabelSelector selector, Map<String, String> labels) {
        assertThat(selector.getMatchExpressions()).isEmpty();
        return labels.entrySet().containsAll(selector.getMatchLabels().entrySet());
    }
}
