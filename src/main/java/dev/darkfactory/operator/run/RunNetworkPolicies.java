package dev.darkfactory.operator.run;

import dev.darkfactory.operator.api.v1alpha1.GeneratorClassSpec;
import dev.darkfactory.operator.workload.NetworkPolicies;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.List;
import java.util.Objects;

/**
 * Puts the NetworkPolicies of a run's pods in place before the pod is created, so no generator or
 * tester pod ever runs unguarded (docs/security.md). The policies are shared by every run of a
 * namespace: this costs a read per pod, and a write only the first time in a namespace or when the
 * operator's settings or a class's egress change.
 */
final class RunNetworkPolicies {

    private final List<NetworkPolicyEgressRule> operatorEgress;

    RunNetworkPolicies(List<NetworkPolicyEgressRule> operatorEgress) {
        this.operatorEgress = operatorEgress;
    }

    void beforeGeneratorPod(KubernetesClient client, String namespace, GeneratorClassSpec spec) {
        ensure(client, NetworkPolicies.generator(namespace, operatorEgress));
        NetworkPolicy ofClass = NetworkPolicies.generatorClassEgress(namespace, spec.egress);
        if (ofClass != null) {
            ensure(client, ofClass);
        }
    }

    void beforeTesterPod(KubernetesClient client, String namespace) {
        ensure(client, NetworkPolicies.tester(namespace));
    }

    /**
     * Creates the policy, or puts back its spec when it drifted. A policy of that name that the
     * operator did not make is never overwritten: the pod waits, and the error names it.
     */
    static void ensure(KubernetesClient client, NetworkPolicy desired) {
        Resource<NetworkPolicy> named =
                client.network()
                        .v1()
                        .networkPolicies()
                        .inNamespace(desired.getMetadata().getNamespace())
                        .withName(desired.getMetadata().getName());
        NetworkPolicy actual = named.get();
        if (actual == null) {
            try {
                client.resource(desired).create();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
                actual = named.get();
            }
        }
        if (!NetworkPolicies.managed(actual)) {
            throw new IllegalStateException(
                    "NetworkPolicy "
                            + desired.getMetadata().getNamespace()
                            + "/"
                            + desired.getMetadata().getName()
                            + " exists but was not made by the operator (no label "
                            + dev.darkfactory.operator.api.v1alpha1.Labels.MANAGED_SELECTOR
                            + "); the operator neither uses nor overwrites it, and starts no pod"
                            + " it would guard until it is removed");
        }
        if (!Objects.equals(actual.getSpec(), desired.getSpec())) {
            named.edit(
                    p -> {
                        p.setSpec(desired.getSpec());
                        return p;
                    });
        }
    }
}
