package dev.darkfactory.operator.status;

import dev.darkfactory.operator.api.v1alpha1.Condition;
import dev.darkfactory.operator.events.EventRecorder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * An exception that escaped a reconcile, as the conditions a user reads: Reconciling with reason
 * {@code ReconcileError} and a message naming the error, while the framework retries with backoff.
 * The message never carries what an object held: for an API server's refusal it names the code, the
 * object and the fields at fault, not the values it echoes; for other exceptions it names the
 * class, and a message only where the operator's own code wrote it.
 */
public final class ErrorStatus {

    public static final String REASON = "ReconcileError";

    private static final int MESSAGE_CHARS = 300;

    private static final Logger LOG = Logger.getLogger(ErrorStatus.class);

    private static final String FIELD_MANAGER = "darkfactory-errors";

    private ErrorStatus() {}

    /** The conditions after {@code error}, from those before. */
    public static List<Condition> conditions(
            List<Condition> previous, long generation, Clock clock, Exception error) {
        String message = describe(error) + "; retried with backoff";
        return new StatusAggregator(previous, generation, clock)
                .set(StatusAggregator.READY, false, REASON, message)
                .set(StatusAggregator.RECONCILING, true, REASON, message)
                .set(StatusAggregator.STALLED, false, REASON, message)
                .build();
    }

    /**
     * Puts {@code error} into the resource's conditions and raises one Warning Event, unless the
     * conditions say it already (a retry of the same error).
     */
    public static <S, R extends CustomResource<?, S>> void report(
            KubernetesClient client,
            R resource,
            List<Condition> previous,
            Clock clock,
            Exception error,
            Supplier<R> empty,
            Function<List<Condition>, S> statusOf) {
        Long generation = resource.getMetadata().getGeneration();
        List<Condition> next =
                conditions(previous, generation == null ? 0 : generation, clock, error);
        if (unchanged(previous, next)) {
            return;
        }
        if (write(client, StatusPatch.statusOnly(resource, statusOf.apply(next), empty))) {
            Condition reconciling = StatusAggregator.find(next, StatusAggregator.RECONCILING);
            new EventRecorder(client).warning(resource, REASON, reconciling.message);
        }
    }

    /**
     * Applies {@code patch}, a status that holds the conditions alone, with a field manager of its
     * own: the rest of the status stays as the reconciler last wrote it, and its next write takes
     * the conditions back. Returns false when the API server cannot take it either.
     */
    private static boolean write(KubernetesClient client, HasMetadata patch) {
        try {
            client.resource(patch)
                    .subresource("status")
                    .patch(
                            new PatchContext.Builder()
                                    .withPatchType(PatchType.SERVER_SIDE_APPLY)
                                    .withFieldManager(FIELD_MANAGER)
                                    .withForce(true)
                                    .build());
            return true;
        } catch (KubernetesClientException unreachable) {
            LOG.warnf(
                    "could not write the error into the status of %s/%s: %s",
                    patch.getMetadata().getNamespace(),
                    patch.getMetadata().getName(),
                    describe(unreachable));
            return false;
        }
    }

    /** Whether the conditions already say this error: then no Event is raised again. */
    public static boolean unchanged(List<Condition> previous, List<Condition> next) {
        Condition before = StatusAggregator.find(previous, StatusAggregator.RECONCILING);
        Condition after = StatusAggregator.find(next, StatusAggregator.RECONCILING);
        return before != null
                && after != null
                && REASON.equals(before.reason)
                && after.message.equals(before.message);
    }

    public static String describe(Exception error) {
        Throwable cause = error.getCause() != null && isFramework(error) ? error.getCause() : error;
        if (cause instanceof KubernetesClientException k) {
            return cut(apiError(k));
        }
        String kind = cause.getClass().getSimpleName();
        return cause instanceof IllegalArgumentException
                        || cause instanceof IllegalStateException
                        || cause instanceof NullPointerException
                        || cause instanceof IndexOutOfBoundsException
                ? cut(kind + ": " + cause.getMessage())
                : kind + " (details in the operator's log)";
    }

    private static String apiError(KubernetesClientException e) {
        var status = e.getStatus();
        if (status == null) {
            return "the API server could not be reached or answered " + e.getCode();
        }
        String object =
                status.getDetails() == null
                        ? ""
                        : " for "
                                + status.getDetails().getKind()
                                + " "
                                + status.getDetails().getName();
        String fields =
                status.getDetails() == null || status.getDetails().getCauses() == null
                        ? ""
                        : status.getDetails().getCauses().stream()
                                .map(StatusCause::getField)
                                .filter(f -> f != null && !f.isBlank())
                                .collect(Collectors.joining(", "));
        return "the API server answered "
                + e.getCode()
                + " "
                + status.getReason()
                + object
                + (fields.isEmpty() ? "" : " (fields " + fields + ")");
    }

    /** JOSDK wraps what a reconcile threw; the cause is what the user must see. */
    private static boolean isFramework(Exception error) {
        return error.getClass().getName().startsWith("io.javaoperatorsdk");
    }

    private static String cut(String text) {
        return text.length() <= MESSAGE_CHARS ? text : text.substring(0, MESSAGE_CHARS) + "…";
    }
}
