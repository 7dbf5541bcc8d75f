package dev.darkfactory.operator.testing;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.VersionInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * One real kube-apiserver and etcd for the whole test JVM, started on first use through fabric8's
 * kube-api-test (the Java form of envtest) and stopped when the JVM exits. Where the binaries are
 * not cached, kube-api-test downloads the newest; on machines that cannot download, {@code
 * ../shared/k8s/lab kube-api-test} provides them. The committed CRDs are applied once. Tests
 * isolate themselves by namespace ({@link #newNamespace}).
 */
public final class TestApiServer {

    /** The JVM-wide system property that names the running server's kubeconfig file. */
    private static final String SHARED_KUBECONFIG = "kube-api-test.shared-kubeconfig";

    private static KubernetesClient client;
    private static Path kubeconfig;

    private TestApiServer() {}

    public static KubernetesClient client() {
        // The lock is the property's name: string literals are interned, so every class loader's
        // copy of this class locks the same object, and only one of them starts the server.
        synchronized (SHARED_KUBECONFIG) {
            if (client == null) {
                String shared = System.getProperty(SHARED_KUBECONFIG);
                if (shared != null) {
                    kubeconfig = Path.of(shared);
                    client = clientOf(readKubeconfig(kubeconfig));
                } else {
                    start();
                }
            }
            return client;
        }
    }

    /**
     * Starts the server and publishes its kubeconfig in a system property. Quarkus runs its tests
     * (boot/) in a class loader of its own, where this class is loaded again with fresh statics:
     * the property, which is the JVM's, lets that copy use this server instead of starting another.
     */
    private static void start() {
        // OwnerReferencesPermissionEnforcement (on in OpenShift) makes an owner reference with
        // blockOwnerDeletion need update on the owner's finalizers: the chart tests prove it is
        // granted.
        KubeAPIServer server =
                new KubeAPIServer(
                        KubeAPIServerConfigBuilder.anAPIServerConfig()
                                .withUpdateKubeConfig(false)
                                .withApiServerFlag(
                                        "--enable-admission-plugins",
                                        "OwnerReferencesPermissionEnforcement")
                                .build());
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "kube-api-test-stop"));
        KubernetesClient admin = clientOf(server.getKubeConfigYaml());
        applyCrds(admin);
        client = withTokenOf(admin);
        kubeconfig = writeKubeconfig(server.getKubeConfigYaml());
        System.setProperty(SHARED_KUBECONFIG, kubeconfig.toString());
    }

    /**
     * A client of cluster-admin's powers that signs in with a ServiceAccount token rather than
     * kube-api-test's client certificate: each new TLS connection (every watch of every operator a
     * test starts makes one) then costs no RSA signature, which was a sixth of the test JVM's CPU.
     */
    private static KubernetesClient withTokenOf(KubernetesClient admin) {
        String name = "darkfactory-test-admin";
        admin.serviceAccounts()
                .inNamespace("default")
                .resource(
                        new ServiceAccountBuilder()
                                .withNewMetadata()
                                .withName(name)
                                .endMetadata()
                                .build())
                .create();
        admin.rbac()
                .clusterRoleBindings()
                .resource(
                        new ClusterRoleBindingBuilder()
                                .withNewMetadata()
                                .withName(name)
                                .endMetadata()
                                .withNewRoleRef(
                                        "rbac.authorization.k8s.io", "ClusterRole", "cluster-admin")
                                .addNewSubject()
                                .withKind("ServiceAccount")
                                .withName(name)
                                .withNamespace("default")
                                .endSubject()
                                .build())
                .create();
        KubernetesClient withToken =
                ServiceAccountClients.signedInAs(admin, "default", name, Duration.ofDays(1));
        admin.close();
        return withToken;
    }

    private static KubernetesClient clientOf(String kubeconfigYaml) {
        return new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(kubeconfigYaml))
                .build();
    }

    private static String readKubeconfig(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A kubeconfig file for the server, for a whole operator started the way users start it. */
    public static Path kubeconfig() {
        client();
        synchronized (SHARED_KUBECONFIG) {
            return kubeconfig;
        }
    }

    private static Path writeKubeconfig(String yaml) {
        try {
            Path file = Files.createTempFile("kube-api-test", ".kubeconfig");
            file.toFile().deleteOnExit();
            return Files.writeString(file, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * True from Kubernetes 1.25, the first version that enforces CEL rules
     * (x-kubernetes-validations).
     */
    public static boolean enforcesCel() {
        VersionInfo version = client().getKubernetesVersion();
        int minor = Integer.parseInt(version.getMinor().replaceAll("[^0-9]", ""));
        return Integer.parseInt(version.getMajor()) > 1 || minor >= 25;
    }

    public static String serverVersion() {
        return client().getKubernetesVersion().getGitVersion();
    }

    /** A fresh namespace, so tests never see each other's objects. */
    public static String newNamespace(String prefix) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        client().namespaces()
                .resource(
                        new NamespaceBuilder()
                                .withNewMetadata()
                                .withName(name)
                                .endMetadata()
                                .build())
                .create();
        return name;
    }

    public static List<Path> crdFiles() {
        try (Stream<Path> files = Files.list(Path.of("crds"))) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Creates or replaces the committed CRDs. Not server-side apply: a 1.20 server rejects an
     * applied CRD that carries CEL rules, while a plain create drops the field it does not know.
     */
    public static void applyCrds(KubernetesClient client) {
        var crds = client.apiextensions().v1().customResourceDefinitions();
        for (Path file : crdFiles()) {
            CustomResourceDefinition crd = crds.load(file.toFile()).item();
            var existing = crds.withName(crd.getMetadata().getName()).get();
            if (existing == null) {
                crds.resource(crd).create();
            } else {
                crd.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
                crds.resource(crd).update();
            }
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> established(crds.withName(crd.getMetadata().getName()).get()));
        }
    }

    /**
     * Whether the API server serves the CRD yet; its status can exist before any condition does.
     */
    public static boolean established(CustomResourceDefinition crd) {
        // The status can exist before the API server has written any condition into it.
        return crd != null
                && crd.getStatus() != null
                && crd.getStatus().getConditions() != null
                && crd.getStatus().getConditions().stream()
                        .anyMatch(
                                c ->
                                        "Established".equals(c.getType())
                                                && "True".equals(c.getStatus()));
    }
}
