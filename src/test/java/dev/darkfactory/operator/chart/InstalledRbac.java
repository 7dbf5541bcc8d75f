package dev.darkfactory.operator.chart;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.List;
import java.util.Set;

/**
 * The chart's ServiceAccount and RBAC, created for real on the test API server, and a client that
 * authenticates as that ServiceAccount with a token the API server issued: what the operator's pod
 * would be. Closing it deletes the cluster-scoped objects, which outlive test namespaces.
 */
final class InstalledRbac implements AutoCloseable {

    private static final Set<String> KINDS =
            Set.of("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding");
    private static final Set<String> CLUSTER_SCOPED = Set.of("ClusterRole", "ClusterRoleBinding");

    private final KubernetesClient admin;
    private final List<GenericKubernetesResource> created;
    private final KubernetesClient serviceAccountClient;

    private InstalledRbac(
            KubernetesClient admin,
            List<GenericKubernetesResource> created,
            KubernetesClient serviceAccountClient) {
        this.admin = admin;
        this.created = created;
        this.serviceAccountClient = serviceAccountClient;
    }

    static InstalledRbac install(
            KubernetesClient admin, RenderedChart chart, String namespace, String serviceAccount) {
        List<GenericKubernetesResource> objects =
                chart.objects().stream().filter(o -> KINDS.contains(o.getKind())).toList();
        objects.forEach(o -> admin.resource(o).create());
        String token =
                admin.serviceAccounts()
                        .inNamespace(namespace)
                        .withName(serviceAccount)
                        .tokenRequest(
                                new TokenRequestBuilder()
                                        .withNewSpec()
                                        .withExpirationSeconds(3600L)
                                        .endSpec()
                                        .build())
                        .getStatus()
                        .getToken();
        Config base = admin.getConfiguration();
        Config asServiceAccount =
                new ConfigBuilder(Config.empty())
                        .withMasterUrl(base.getMasterUrl())
                        .withCaCertData(base.getCaCertData())
                        .withCaCertFile(base.getCaCertFile())
                        .withOauthToken(token)
                        .build();
        return new InstalledRbac(
                admin, objects, new KubernetesClientBuilder().withConfig(asServiceAccount).build());
    }

    KubernetesClient serviceAccountClient() {
        return serviceAccountClient;
    }

    @Override
    public void close() {
        serviceAccountClient.close();
        created.stream()
                .filter(o -> CLUSTER_SCOPED.contains(o.getKind()))
                .forEach(o -> admin.resource(o).delete());
    }
}
