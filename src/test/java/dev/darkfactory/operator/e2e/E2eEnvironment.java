package dev.darkfactory.operator.e2e;

import static org.junit.jupiter.api.Assumptions.abort;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The cluster the current kube context names, and the images and registry the suite was prepared
 * with (hack/e2e-prepare.sh); every value can be overridden by an environment variable.
 */
final class E2eEnvironment {

    /** The registry as the build station (in a pod) and the kubelet both reach it. */
    static final String REGISTRY = env("E2E_REGISTRY", "10.244.0.1:5000");

    static final String OPERATOR_IMAGE = env("E2E_OPERATOR_IMAGE", "darkfactory/operator:e2e");
    static final String TOOLS_IMAGE = env("E2E_TOOLS_IMAGE", "darkfactory-e2e/busybox:1");

    /** The tools image with curl: a script-based coding agent calls the gateway with it. */
    static final String CURL_IMAGE = env("E2E_CURL_IMAGE", "darkfactory-e2e/curl:1");

    /**
     * A free address of the Service range for the gateway's Service: generator pods reach it by IP
     * where the cluster has no DNS (the lab).
     */
    static final String GATEWAY_CLUSTER_IP = env("E2E_GATEWAY_CLUSTER_IP", "10.96.250.250");

    static final String APP_BASE_IMAGE = REGISTRY + "/base/busybox:1";

    /** Python 3 from Debian's packages (hack/python-base-image.sh), for the REST service. */
    static final String PYTHON_BASE_IMAGE = REGISTRY + "/base/python:3.11";

    static final String OPERATOR_NAMESPACE = "darkfactory-system";

    private E2eEnvironment() {}

    /** A client for the current context, or the suite is skipped with a message saying why. */
    static KubernetesClient clusterOrSkip() {
        KubernetesClient client = new KubernetesClientBuilder().build();
        try {
            client.getKubernetesVersion();
        } catch (RuntimeException unreachable) {
            client.close();
            abort(
                    "no Kubernetes cluster is reachable through the current kube context ("
                            + unreachable.getMessage()
                            + "); start one (make kind, or ../shared/k8s/lab up) and run make e2e again");
        }
        return client;
    }

    /** The kubeconfig file of the current context, for Helm. */
    static Path kubeconfig() {
        return Optional.ofNullable(System.getenv("KUBECONFIG"))
                .map(Path::of)
                .orElse(Path.of(System.getProperty("user.home"), ".kube", "config"));
    }

    static boolean kubeconfigExists() {
        return Files.exists(kubeconfig());
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
