package dev.darkfactory.operator.events;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * Raises core/v1 Events on the objects the operator manages, so that {@code kubectl describe} shows
 * each stage. The same event raised again increments its count instead of adding a new object, like
 * the kubelet's recorder. Events are best effort: a failure is logged, never thrown. Messages must
 * never carry a secret value.
 */
public class EventRecorder {

    public static final String COMPONENT = "darkfactory-operator";
    private static final Logger LOG = Logger.getLogger(EventRecorder.class);

    private final KubernetesClient client;

    public EventRecorder(KubernetesClient client) {
        this.client = client;
    }

    public void normal(HasMetadata about, String reason, String message) {
        record(about, "Normal", reason, message);
    }

    public void warning(HasMetadata about, String reason, String message) {
        record(about, "Warning", reason, message);
    }

    private void record(HasMetadata about, String type, String reason, String message) {
        var meta = about.getMetadata();
        String namespace = meta.getNamespace() != null ? meta.getNamespace() : "default";
        String name =
                meta.getName()
                        + "."
                        + Integer.toHexString(Objects.hash(meta.getUid(), type, reason, message));
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        var events = client.v1().events().inNamespace(namespace);
        try {
            events.resource(
                            new EventBuilder()
                                    .withNewMetadata()
                                    .withName(name)
                                    .withNamespace(namespace)
                                    .endMetadata()
                                    .withNewInvolvedObject()
                                    .withApiVersion(about.getApiVersion())
                                    .withKind(about.getKind())
                                    .withName(meta.getName())
                                    .withNamespace(meta.getNamespace())
                                    .withUid(meta.getUid())
                                    .endInvolvedObject()
                                    .withType(type)
                                    .withReason(reason)
                                    .withMessage(message)
                                    .withNewSource()
                                    .withComponent(COMPONENT)
                                    .endSource()
                                    .withReportingComponent(COMPONENT)
                                    .withFirstTimestamp(now)
                                    .withLastTimestamp(now)
                                    .withCount(1)
                                    .build())
                    .create();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                repeat(events.withName(name), now);
            } else {
                LOG.warnf(
                        "Could not record event %s on %s/%s: %s",
                        reason, namespace, meta.getName(), e.getMessage());
            }
        }
    }

    private void repeat(io.fabric8.kubernetes.client.dsl.Resource<Event> event, String now) {
        try {
            event.edit(
                    e -> {
                        e.setCount(e.getCount() == null ? 2 : e.getCount() + 1);
                        e.setLastTimestamp(now);
                        return e;
                    });
        } catch (KubernetesClientException e) {
            LOG.debugf("Could not update a repeated event: %s", e.getMessage());
        }
    }
}
