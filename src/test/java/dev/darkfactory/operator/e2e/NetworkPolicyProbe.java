package dev.darkfactory.operator.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.abort;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Checks NetworkPolicy enforcement on a real cluster with one-shot probe pods: a probe carries
 * labels some policy selects and tries to fetch a URL; it succeeds only when it reached it. Whether
 * the cluster enforces policies at all is found the same way, with a deny-all policy of the test's
 * own: the lab cluster's CNI ignores policies, a Kind cluster from make kind enforces them.
 */
final class NetworkPolicyProbe {

    private static final String DENIED = "darkfactory-e2e/probe";

    private final KubernetesClient client;
    private final String namespace;

    NetworkPolicyProbe(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /**
     * The suite's networkPolicy values for the chart: generator pods reach the registry (by
     * E2E_REGISTRY_CIDR, else the registry's address when it is an IP, else any address on its
     * port) and the fake model in the suite's namespace.
     */
    static Map<String, Object> chartValues() {
        String registry = E2eEnvironment.REGISTRY;
        String host = registry.substring(0, registry.lastIndexOf(':'));
        int port = Integer.parseInt(registry.substring(registry.lastIndexOf(':') + 1));
        String cidr = System.getenv("E2E_REGISTRY_CIDR");
        if (cidr == null || cidr.isBlank()) {
            cidr =
                    Pattern.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}", host)
                            ? host + "/32"
                            : "0.0.0.0/0";
        }
        return Map.of(
                "registryEgress",
                List.of(
                        Map.of(
                                "to", List.of(Map.of("ipBlock", Map.of("cidr", cidr))),
                                "ports", List.of(Map.of("port", port, "protocol", "TCP")))),
                "generatorEgress",
                List.of(
                        Map.of(
                                "to",
                                List.of(
                                        Map.of(
                                                "podSelector",
                                                Map.of(
                                                        "matchLabels",
                                                        Map.of("app", "fake-model")))))));
    }

    /** The fake model's pod, by its IP, so that no probe depends on DNS. */
    String fakeModelUrl() {
        Pod model = client.pods().inNamespace(namespace).withName("fake-model").get();
        return "http://" + model.getStatus().getPodIP() + ":8080/";
    }

    /**
     * Skips the calling test, saying why, unless the cluster is seen to enforce NetworkPolicies: a
     * probe pod under no policy reaches the fake model (the probe works), and one that a deny-all
     * egress policy selects does not (the CNI enforces it).
     */
    void abortUnlessEnforced() {
        client.resource(
                        new NetworkPolicyBuilder()
                                .withNewMetadata()
                                .withName("e2e-deny-probe")
                                .withNamespace(namespace)
                                .endMetadata()
                                .withNewSpec()
                                .withNewPodSelector()
                                .addToMatchLabels(DENIED, "true")
                                .endPodSelector()
                                .withPolicyTypes("Egress")
                                .endSpec()
                                .build())
                .serverSideApply();
        if (!reaches(Map.of(), fakeModelUrl())) {
            abort(
                    "NetworkPolicy enforcement was not checked: a probe pod under no policy did not"
                            + " reach the fake model either, so the probe cannot tell what a policy"
                            + " blocks here.");
        }
        if (reaches(Map.of(DENIED, "true"), fakeModelUrl())) {
            abort(
                    "NetworkPolicy enforcement was not checked: this cluster's CNI ignores"
                            + " NetworkPolicies (a pod under a deny-all egress policy reached another"
                            + " pod). make kind creates a cluster whose CNI enforces them.");
        }
    }

    /** Whether a pod with {@code labels} fetches {@code url} (within a few seconds). */
    boolean reaches(Map<String, String> labels, String url) {
        String name = "probe-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> all = new HashMap<>(labels);
        all.put("darkfactory-e2e/probe-pod", "true");
        client.pods()
                .inNamespace(namespace)
                .resource(
                        new PodBuilder()
                                .withNewMetadata()
                                .withName(name)
                                .withLabels(all)
                                .endMetadata()
                                .withNewSpec()
                                .withRestartPolicy("Never")
                                .withAutomountServiceAccountToken(false)
                                .withNewSecurityContext()
                                .withRunAsNonRoot(true)
                                .withRunAsUser(65532L)
                                .endSecurityContext()
                                .addNewContainer()
                                .withName("probe")
                                .withImage(E2eEnvironment.CURL_IMAGE)
                                .withImagePullPolicy("IfNotPresent")
                                // Reached means an HTTP answer of any status: without --fail,
                                // curl exits 0 on every answer, and non-zero when it connects
                                // to nothing or times out. (Debian's busybox wget segfaults.)
                                .withCommand(
                                        "/usr/bin/curl", "-s", "-m", "5", "-o", "/dev/null", url)
                                .endContainer()
                                .endSpec()
                                .build())
                .create();
        try {
            Pod done =
                    await().atMost(Duration.ofMinutes(1))
                            .pollInterval(Duration.ofSeconds(1))
                            .until(
                                    () -> client.pods().inNamespace(namespace).withName(name).get(),
                                    p ->
                                            p.getStatus() != null
                                                    && List.of("Succeeded", "Failed")
                                                            .contains(p.getStatus().getPhase()));
            return "Succeeded".equals(done.getStatus().getPhase());
        } finally {
            client.pods().inNamespace(namespace).withName(name).delete();
        }
    }
}
