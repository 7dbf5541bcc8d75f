package dev.darkfactory.operator.workload;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Optional;

/**
 * Whether the app's own output may leave its pod, decided once by {@code serve.forwardAppOutput}
 * and written into the app container's {@code terminationMessagePolicy}: with {@code
 * FallbackToLogsOnError} the kubelet copies the app's last log lines into the pod's status, with
 * {@code File} it does not. Readers of the pod forward the app's termination message only when its
 * own pod says it may: an app that writes its termination-message file itself is still not
 * forwarded. The app's output can hold Secret values of {@code serve.env} and held-out requests it
 * received, which the tester cannot redact because it never sees that output.
 */
public final class AppOutput {

    public static final String FORWARDED = "FallbackToLogsOnError";
    public static final String KEPT_IN_POD = "File";

    private AppOutput() {}

    public static String terminationMessagePolicy(boolean forwardAppOutput) {
        return forwardAppOutput ? FORWARDED : KEPT_IN_POD;
    }

    /** Whether container {@code name} of the pod's spec may have its output forwarded. */
    public static boolean forwarded(Pod pod, String name) {
        return Optional.ofNullable(pod.getSpec())
                .map(spec -> spec.getContainers())
                .orElse(List.of())
                .stream()
                .filter(container -> name.equals(container.getName()))
                .map(Container::getTerminationMessagePolicy)
                .anyMatch(FORWARDED::equals);
    }
}
