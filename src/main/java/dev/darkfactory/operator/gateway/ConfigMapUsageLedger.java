package dev.darkfactory.operator.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Usage records in one ConfigMap per run, in the gateway's own namespace (docs/gateway.md: there,
 * unlike in the run's namespace or the run's status, the tenant whose spending it bounds cannot
 * rewrite it). Each replica keeps its own cumulative counts in memory, takes them back from the
 * ConfigMap after a restart, and writes them as absolute values under its own keys with a merge
 * patch: repeating a write changes nothing, and two replicas never touch the same key.
 */
public final class ConfigMapUsageLedger implements UsageLedger {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final KubernetesClient client;
    private final String namespace;
    private final String replica;
    private final Map<RunRef, Map<Integer, RunUsage.AttemptUsage>> own = new ConcurrentHashMap<>();
    private final Map<RunRef, Object> locks = new ConcurrentHashMap<>();

    public ConfigMapUsageLedger(KubernetesClient client, String namespace, String replica) {
        this.client = client;
        this.namespace = namespace;
        this.replica = replica;
    }

    @Override
    public RunUsage usage(RunRef run) throws IOException {
        Map<String, String> data = new HashMap<>(read(run));
        // This replica's counts in memory are ahead of the ConfigMap when a write failed.
        ownOf(run, data)
                .forEach(
                        (attempt, usage) ->
                                data.put(
                                        UsageRecords.key(attempt, replica),
                                        UsageRecords.value(usage)));
        return UsageRecords.parse(data);
    }

    @Override
    public void record(RunRef run, int attempt, TokenCount tokens) throws IOException {
        Map<Integer, RunUsage.AttemptUsage> counts;
        synchronized (lock(run)) {
            counts = ownOf(run, null);
            counts.merge(
                    attempt, new RunUsage.AttemptUsage(tokens, 1), RunUsage.AttemptUsage::plus);
            write(run, Map.copyOf(counts));
        }
    }

    private Object lock(RunRef run) {
        return locks.computeIfAbsent(run, r -> new Object());
    }

    /**
     * This replica's counts of the run, taken back from the ConfigMap the first time after a start.
     */
    private Map<Integer, RunUsage.AttemptUsage> ownOf(RunRef run, Map<String, String> data)
            throws IOException {
        Map<Integer, RunUsage.AttemptUsage> counts = own.get(run);
        if (counts != null) {
            return counts;
        }
        Map<Integer, RunUsage.AttemptUsage> loaded =
                new ConcurrentHashMap<>(
                        UsageRecords.ofReplica(data != null ? data : read(run), replica));
        Map<Integer, RunUsage.AttemptUsage> raced = own.putIfAbsent(run, loaded);
        return raced != null ? raced : loaded;
    }

    private Map<String, String> read(RunRef run) throws IOException {
        try {
            ConfigMap map =
                    client.configMaps()
                            .inNamespace(namespace)
                            .withName(UsageRecords.configMapName(run.uid()))
                            .get();
            return map == null || map.getData() == null ? Map.of() : map.getData();
        } catch (KubernetesClientException e) {
            throw new IOException(
                    "cannot read the usage ConfigMap of " + run + ": " + e.getMessage(), e);
        }
    }

    private void write(RunRef run, Map<Integer, RunUsage.AttemptUsage> counts) throws IOException {
        Map<String, String> data = new HashMap<>();
        counts.forEach(
                (attempt, usage) ->
                        data.put(UsageRecords.key(attempt, replica), UsageRecords.value(usage)));
        writeKeys(run, data);
    }

    @Override
    public void refused(RunRef run, BudgetRefusal refusal) throws IOException {
        writeKeys(
                run, Map.of(UsageRecords.refusalKey(replica), UsageRecords.refusalValue(refusal)));
    }

    /** Writes this replica's keys by a merge patch, making the ConfigMap if it is not there yet. */
    private void writeKeys(RunRef run, Map<String, String> data) throws IOException {
        String name = UsageRecords.configMapName(run.uid());
        try {
            ObjectNode patch = MAPPER.createObjectNode();
            patch.set("data", MAPPER.valueToTree(data));
            try {
                client.configMaps()
                        .inNamespace(namespace)
                        .withName(name)
                        .patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString());
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    throw e;
                }
                create(run, name, data);
            }
        } catch (KubernetesClientException e) {
            throw new IOException(
                    "cannot write the usage ConfigMap of " + run + ": " + e.getMessage(), e);
        }
    }

    private void create(RunRef run, String name, Map<String, String> data) {
        ConfigMap map =
                new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withNamespace(namespace)
                        .addToLabels("app.kubernetes.io/managed-by", "darkfactory-gateway")
                        .addToLabels(UsageRecords.RUN_UID_LABEL, run.uid())
                        .addToAnnotations(UsageRecords.RUN_NAMESPACE_ANNOTATION, run.namespace())
                        .addToAnnotations(UsageRecords.RUN_NAME_ANNOTATION, run.name())
                        .endMetadata()
                        .withData(data)
                        .build();
        try {
            client.configMaps().inNamespace(namespace).resource(map).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            // Another replica created it meanwhile: our keys are ours alone, so patch them in.
            client.configMaps()
                    .inNamespace(namespace)
                    .withName(name)
                    .patch(
                            PatchContext.of(PatchType.JSON_MERGE),
                            MAPPER.createObjectNode()
                                    .set("data", MAPPER.valueToTree(data))
                                    .toString());
        }
    }
}
