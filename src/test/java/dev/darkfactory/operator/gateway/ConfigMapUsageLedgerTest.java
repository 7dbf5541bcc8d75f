package dev.darkfactory.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.darkfactory.operator.testing.TestApiServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Usage records on a real API server: two replicas, a restart, and repeated writes. */
class ConfigMapUsageLedgerTest {

    private KubernetesClient client;
    private String namespace;
    private final RunRef run = new RunRef("team-a", "todo-g1-abc", UUID.randomUUID().toString());

    @BeforeEach
    void namespace() {
        client = TestApiServer.client();
        namespace = "gw-" + UUID.randomUUID().toString().substring(0, 8);
        client.namespaces()
                .resource(
                        new NamespaceBuilder()
                                .withNewMetadata()
                                .withName(namespace)
                                .endMetadata()
                                .build())
                .create();
    }

    @Test
    void twoReplicasAddUpAndARestartedReplicaContinuesItsOwnCounts() throws Exception {
        ConfigMapUsageLedger first = new ConfigMapUsageLedger(client, namespace, "gateway-0");
        ConfigMapUsageLedger second = new ConfigMapUsageLedger(client, namespace, "gateway-1");

        first.record(run, 1, new TokenCount(100, 10));
        second.record(run, 1, new TokenCount(50, 5));
        first.record(run, 2, new TokenCount(7, 3));

        assertThat(second.usage(run).attempt(1))
                .isEqualTo(new RunUsage.AttemptUsage(new TokenCount(150, 15), 2));
        assertThat(second.usage(run).total().tokens()).isEqualTo(new TokenCount(157, 18));

        // The first replica's container restarts (same pod name): it goes on from what it wrote.
        ConfigMapUsageLedger restarted = new ConfigMapUsageLedger(client, namespace, "gateway-0");
        restarted.record(run, 1, new TokenCount(1, 1));

        RunUsage usage = new ConfigMapUsageLedger(client, namespace, "gateway-2").usage(run);
        assertThat(usage.attempt(1))
                .isEqualTo(new RunUsage.AttemptUsage(new TokenCount(151, 16), 3));
        assertThat(usage.attempt(2)).isEqualTo(new RunUsage.AttemptUsage(new TokenCount(7, 3), 1));

        ConfigMap map =
                client.configMaps()
                        .inNamespace(namespace)
                        .withName(UsageRecords.configMapName(run.uid()))
                        .get();
        assertThat(map.getData()).containsOnlyKeys("a1.gateway-0", "a1.gateway-1", "a2.gateway-0");
        assertThat(map.getMetadata().getLabels())
                .containsEntry(UsageRecords.RUN_UID_LABEL, run.uid());
        assertThat(map.getMetadata().getAnnotations())
                .containsEntry(UsageRecords.RUN_NAMESPACE_ANNOTATION, "team-a")
                .containsEntry(UsageRecords.RUN_NAME_ANNOTATION, "todo-g1-abc");
    }

    @Test
    void aRunWithoutRecordsHasUsedNothing() throws Exception {
        assertThat(new ConfigMapUsageLedger(client, namespace, "gateway-0").usage(run).total())
                .isEqualTo(RunUsage.AttemptUsage.NONE);
    }
}
