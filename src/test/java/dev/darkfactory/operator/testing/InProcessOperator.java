package dev.darkfactory.operator.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import java.util.function.Consumer;

/**
 * The operator's reconcilers run in the test JVM against the real API server, watching one
 * namespace, as the Keycloak operator's tests do. It can be stopped and started again to play an
 * operator restart.
 */
public final class InProcessOperator implements AutoCloseable {

    private final Operator operator;

    private InProcessOperator(Operator operator) {
        this.operator = operator;
    }

    @SafeVarargs
    public static InProcessOperator start(
            KubernetesClient client,
            String namespace,
            Reconciler<? extends HasMetadata>... reconcilers) {
        return launch(client, namespace, o -> {}, reconcilers);
    }

    /**
     * Like {@link #start}, as one replica of several: it reconciles only while it holds the
     * election's Lease.
     */
    @SafeVarargs
    public static InProcessOperator startElected(
            KubernetesClient client,
            String namespace,
            LeaderElectionConfiguration election,
            Reconciler<? extends HasMetadata>... reconcilers) {
        return launch(
                client, namespace, o -> o.withLeaderElectionConfiguration(election), reconcilers);
    }

    private static InProcessOperator launch(
            KubernetesClient client,
            String namespace,
            Consumer<ConfigurationServiceOverrider> more,
            Reconciler<? extends HasMetadata>[] reconcilers) {
        Operator operator =
                new Operator(
                        o -> {
                            o.withKubernetesClient(client)
                                    .withCloseClientOnStop(false)
                                    .withStopOnInformerErrorDuringStartup(true);
                            more.accept(o);
                        });
        for (Reconciler<? extends HasMetadata> reconciler : reconcilers) {
            register(operator, reconciler, namespace);
        }
        operator.start();
        return new InProcessOperator(operator);
    }

    private static <R extends HasMetadata> void register(
            Operator operator, Reconciler<R> reconciler, String namespace) {
        operator.register(reconciler, o -> o.settingNamespace(namespace));
    }

    @Override
    public void close() {
        operator.stop();
    }
}
