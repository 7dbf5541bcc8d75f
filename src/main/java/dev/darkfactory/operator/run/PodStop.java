package dev.darkfactory.operator.run;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.jboss.logging.Logger;

/**
 * Stops a station pod the run is done with while keeping its logs. Lowering {@code
 * activeDeadlineSeconds} (the one pod spec field the API lets a client lower after creation) makes
 * the kubelet end every container, the app under test included, which the tester cannot stop
 * itself; the pod and its logs stay until the run is deleted.
 */
final class PodStop {

    private static final Logger LOG = Logger.getLogger(PodStop.class);

    /** The deadline a stopped pod gets: one second after it started, so at once. */
    static final long STOPPED_DEADLINE_SECONDS = 1;

    private PodStop() {}

    /** Whether the pod still runs (or waits) and has not been stopped or deleted yet. */
    static boolean needed(Pod pod) {
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            return false;
        }
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
            return false;
        }
        Long deadline = pod.getSpec().getActiveDeadlineSeconds();
        return deadline == null || deadline > STOPPED_DEADLINE_SECONDS || !started(pod);
    }

    /**
     * Stops a started pod by its deadline; deletes one that never started, which has no deadline
     * clock (the kubelet counts from the pod's start) and no logs to keep.
     */
    static void stop(KubernetesClient client, Pod pod) {
        var named =
                client.pods()
                        .inNamespace(pod.getMetadata().getNamespace())
                        .withName(pod.getMetadata().getName());
        try {
            if (!started(pod)) {
                named.delete();
                return;
            }
            named.patch(
                    PatchContext.of(PatchType.STRATEGIC_MERGE),
                    "{\"spec\":{\"activeDeadlineSeconds\":" + STOPPED_DEADLINE_SECONDS + "}}");
        } catch (KubernetesClientException e) {
            // Cleanup never holds the run up: its deadline still ends the pod, and the next
            // reconcile tries again.
            LOG.warnf(
                    "could not stop pod %s/%s (%d %s); its deadline ends it",
                    pod.getMetadata().getNamespace(),
                    pod.getMetadata().getName(),
                    e.getCode(),
                    e.getStatus() == null ? "" : e.getStatus().getReason());
        }
    }

    private static boolean started(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getStartTime() != null;
    }
}
