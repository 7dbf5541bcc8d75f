package dev.darkfactory.operator.chart;

import dev.darkfactory.operator.testing.ServiceAccountClients;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
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
        return new InstalledRbac(
                admin,
                objects,
                ServiceAccountClients.signedInAs(
                        admin, namespace, serviceAccount, Duration.ofHours(1)));
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
