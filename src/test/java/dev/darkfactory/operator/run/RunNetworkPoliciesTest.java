package dev.darkfactory.operator.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.darkfactory.operator.testing.TestApiServer;
import dev.darkfactory.operator.workload.NetworkPolicies;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;

/** Putting a namespace's station NetworkPolicies in place, on a real API server. */
class RunNetworkPoliciesTest {

    private static final KubernetesClient client = TestApiServer.client();

    @Test
    void writesOnceThenOnlyReadsAndPutsBackADriftedSpec() {
        String namespace = TestApiServer.newNamespace("netpol");
        NetworkPolicy desired = NetworkPolicies.tester(namespace);

        RunNetworkPolicies.ensure(client, desired);
        String version = get(namespace).getMetadata().getResourceVersion();
        RunNetworkPolicies.ensure(client, desired);
        assertThat(get(namespace).getMetadata().getResourceVersion())
                .as("an unchanged policy is not written again")
                .isEqualTo(version);

        client.network()
                .v1()
                .networkPolicies()
                .inNamespace(namespace)
                .withName(NetworkPolicies.TESTER)
                .edit(
                        p -> {
                            p.getSpec().setPolicyTypes(java.util.List.of("Ingress"));
                            return p;
                        });
        RunNetworkPolicies.ensure(client, desired);
        assertThat(get(namespace).getSpec()).isEqualTo(desired.getSpec());
    }

    @Test
    void aPolicyOfThatNameTheOperatorDidNotMakeIsNeitherUsedNorOverwritten() {
        String namespace = TestApiServer.newNamespace("netpol");
        NetworkPolicy planted =
                new NetworkPolicyBuilder()
                        .withNewMetadata()
                        .withName(NetworkPolicies.TESTER)
                        .withNamespace(namespace)
                        .endMetadata()
                        .withNewSpec()
                        .withNewPodSelector()
                        .addToMatchLabels("nothing", "here")
                        .endPodSelector()
                        .withPolicyTypes("Ingress")
                        .endSpec()
                        .build();
        client.resource(planted).create();

        assertThatThrownBy(
                        () -> RunNetworkPolicies.ensure(client, NetworkPolicies.tester(namespace)))
                .hasMessageContaining("NetworkPolicy " + namespace + "/darkfactory-tester")
                .hasMessageContaining("not made by the operator");
        assertThat(get(namespace).getSpec().getPodSelector().getMatchLabels())
                .containsEntry("nothing", "here");
    }

    private static NetworkPolicy get(String namespace) {
        return client.network()
                .v1()
                .networkPolicies()
                .inNamespace(namespace)
                .withName(NetworkPolicies.TESTER)
                .get();
    }
}
