package dev.darkfactory.operator.boot;

import dev.darkfactory.operator.testing.TestApiServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;
import java.util.UUID;

/**
 * Points the whole Quarkus operator at the tests' real API server, through a kubeconfig as a user's
 * machine would, and confines it to one namespace so it leaves the other tests alone.
 */
public class ApiServerResource implements QuarkusTestResourceLifecycleManager {

    public static final String NAMESPACE = "boot-" + UUID.randomUUID().toString().substring(0, 8);

    @Override
    public Map<String, String> start() {
        System.setProperty("kubeconfig", TestApiServer.kubeconfig().toString());
        TestApiServer.client()
                .namespaces()
                .resource(
                        new NamespaceBuilder()
                                .withNewMetadata()
                                .withName(NAMESPACE)
                                .endMetadata()
                                .build())
                .create();
        return Map.of(
                "quarkus.operator-sdk.namespaces", NAMESPACE,
                "quarkus.operator-sdk.crd.apply", "false",
                "darkfactory.max-concurrent-runs", "1");
    }

    @Override
    public void stop() {
        System.clearProperty("kubeconfig");
    }
}
