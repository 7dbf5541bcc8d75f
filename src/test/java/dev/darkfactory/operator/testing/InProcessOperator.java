package dev.darkfactory.operator.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RegisteredController;
import io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.processing.Controller;
import io.quarkiverse.operatorsdk.runtime.api.ConfigurableReconciler;
import java.lang.reflect.Field;
import java.util.Map;
import java.util.Set;
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
        return launch(client, Set.of(namespace), o -> {}, reconcilers);
    }

    /** Like {@link #start}, watching several namespaces, as one operator serves many tenants. */
    @SafeVarargs
    public static InProcessOperator startWatching(
            KubernetesClient client,
            Set<String> namespaces,
            Reconciler<? extends HasMetadata>... reconcilers) {
        return launch(client, namespaces, o -> {}, reconcilers);
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
                client,
                Set.of(namespace),
                o -> o.withLeaderElectionConfiguration(election),
                reconcilers);
    }

    private static InProcessOperator launch(
            KubernetesClient client,
            Set<String> namespaces,
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
            register(operator, reconciler, namespaces);
        }
        operator.start();
        return new InProcessOperator(operator);
    }

    private static <R extends HasMetadata> void register(
            Operator operator, Reconciler<R> reconciler, Set<String> namespaces) {
        operator.register(
                reconciler,
                o -> {
                    o.settingNamespaces(namespaces);
                    // What Quarkus Operator SDK does next in the packaged operator.
                    if (reconciler instanceof ConfigurableReconciler<R> configurable) {
                        configurable.updateConfigurationFrom(o);
                    }
                });
    }

    /**
     * What the framework holds per resource, for diagnosing a stalled test: for each controller,
     * each resource's processing state (under processing, events waiting, retry), read from JOSDK's
     * event processor, which keeps it private. A resource left "under processing" with no
     * reconciler thread working on it never reconciles again.
     */
    public String eventStates() {
        StringBuilder out = new StringBuilder("-- framework state per resource\n");
        for (RegisteredController<?> registered : operator.getRegisteredControllers()) {
            out.append(registered.getConfiguration().getName()).append(":\n");
            try {
                Object processor = ((Controller<?>) registered).getEventProcessor();
                Object states = field(processor, "resourceStateManager");
                ((Map<?, ?>) field(states, "states"))
                        .values()
                        .forEach(state -> out.append("  ").append(state).append('\n'));
            } catch (ReflectiveOperationException | RuntimeException e) {
                out.append("  (not readable: ").append(e).append(")\n");
            }
        }
        return out.toString();
    }

    private static Object field(Object owner, String name) throws ReflectiveOperationException {
        Field field = owner.getClass().getDeclaredField(name);
        field.setAccessible(true);
        return field.get(owner);
    }

    @Override
    public void close() {
        operator.stop();
    }
}
