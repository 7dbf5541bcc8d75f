package dev.darkfactory.operator.run;

/**
 * The kubectl command that shows the logs explaining a failed attempt, for the attempt's status (so
 * that {@code kubectl describe frun} hands it to the user as it is).
 */
public final class LogsCommand {

    private LogsCommand() {}

    /**
     * {@code kubectl -n NS logs POD -c CONTAINER}; {@code pod} may be a {@code deployment/NAME}
     * (kubectl picks one of its pods). Null when the pod or the container is unknown, as for a pod
     * that was deleted: there are no logs to show then.
     */
    public static String of(String namespace, String pod, String container) {
        if (pod == null || pod.isBlank() || container == null || container.isBlank()) {
            return null;
        }
        return "kubectl -n " + namespace + " logs " + pod + " -c " + container;
    }
}
