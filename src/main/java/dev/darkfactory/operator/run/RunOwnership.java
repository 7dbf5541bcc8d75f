package dev.darkfactory.operator.run;

import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.OwnerReferences;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntent;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Ownership is verified, never assumed (docs/security.md): which runs the operator executes, and
 * whether an object found under a run's deterministic name is the run's own. Pure decisions.
 */
public final class RunOwnership {

    /** What to do with a run, from its controller reference and the intent of that name. */
    public enum Verdict {
        /** Controlled by the live intent of its name (by UID), which names it as its latest run. */
        RUN,
        /** Not (yet) named by its intent, or the intent is not in the cache yet: do nothing now. */
        WAIT,
        /** Never executed: marked invalid. */
        INVALID
    }

    public record Decision(Verdict verdict, String message) {}

    private RunOwnership() {}

    /**
     * Whether a run that has not started may start. Only the intent reconciler makes runs: a run
     * must be controlled by a SoftwareIntent, the one of {@code spec.intentName}, with the UID of
     * the live intent of that name, and that intent's status must name it as its latest run (an
     * owner reference can be copied by anyone who can read the intent; the intent's status cannot).
     * A run that has started already (it has a phase) goes on under {@link IntentSignals}.
     *
     * @param intent the intent named by the run's controller reference, from the cache; null when
     *     the cache holds none
     */
    public static Decision ofRun(FactoryRun run, SoftwareIntent intent) {
        String name = describe(run);
        OwnerReference controller =
                run.getMetadata().getOwnerReferences().stream()
                        .filter(r -> Boolean.TRUE.equals(r.getController()))
                        .findFirst()
                        .orElse(null);
        if (controller == null
                || !"SoftwareIntent".equals(controller.getKind())
                || controller.getApiVersion() == null
                || !controller.getApiVersion().startsWith("darkfactory.dev/")) {
            return new Decision(
                    Verdict.INVALID,
                    name
                            + " is not controlled by a SoftwareIntent: runs are made by the operator"
                            + " for an intent, so this one never runs a pod");
        }
        if (!Objects.equals(controller.getName(), run.getSpec().intentName)) {
            return new Decision(
                    Verdict.INVALID,
                    name
                            + " names intent "
                            + run.getSpec().intentName
                            + " in spec.intentName but is controlled by "
                            + controller.getName()
                            + ", so it never runs a pod");
        }
        if (intent == null) {
            return new Decision(Verdict.WAIT, null);
        }
        if (!Objects.equals(controller.getUid(), intent.getMetadata().getUid())) {
            return new Decision(
                    Verdict.INVALID,
                    name
                            + " is controlled by an earlier SoftwareIntent "
                            + controller.getName()
                            + " (UID "
                            + controller.getUid()
                            + "), not the live one (UID "
                            + intent.getMetadata().getUid()
                            + "), so it never runs a pod");
        }
        boolean named =
                intent.getStatus() != null
                        && run.getMetadata().getName().equals(intent.getStatus().latestRun);
        return new Decision(named ? Verdict.RUN : Verdict.WAIT, null);
    }

    /**
     * Null when {@code existing}, found under the name of {@code desired}, is the run's own: its
     * controller is the run by UID, and for inputs (ConfigMaps, Secrets) its data is what the run
     * would write. Otherwise why not, naming the object.
     */
    public static String foreign(HasMetadata existing, HasMetadata desired, FactoryRun run) {
        String name = describe(existing);
        if (!OwnerReferences.isControlledBy(existing, run)) {
            String uid = OwnerReferences.controllerUid(existing);
            return name
                    + " exists but is not run "
                    + run.getMetadata().getName()
                    + "'s ("
                    + (uid == null ? "it has no controller" : "its controller has UID " + uid)
                    + "); the operator neither uses nor overwrites it";
        }
        if (!sameData(existing, desired)) {
            return name
                    + " is controlled by run "
                    + run.getMetadata().getName()
                    + " but its content is not what the run wrote; the operator does not use it";
        }
        return null;
    }

    private static boolean sameData(HasMetadata existing, HasMetadata desired) {
        if (existing instanceof ConfigMap actual && desired instanceof ConfigMap wanted) {
            return Objects.equals(orEmpty(actual.getData()), orEmpty(wanted.getData()));
        }
        if (existing instanceof Secret actual && desired instanceof Secret wanted) {
            return Objects.equals(decoded(actual), decoded(wanted));
        }
        return true;
    }

    /** A Secret's values as text, whether it was built with stringData or read back as data. */
    private static Map<String, String> decoded(Secret secret) {
        Map<String, String> values = new HashMap<>();
        orEmpty(secret.getData())
                .forEach(
                        (k, v) ->
                                values.put(
                                        k,
                                        new String(
                                                Base64.getDecoder().decode(v),
                                                java.nio.charset.StandardCharsets.UTF_8)));
        values.putAll(orEmpty(secret.getStringData()));
        return values;
    }

    private static Map<String, String> orEmpty(Map<String, String> map) {
        return map == null ? Map.of() : map;
    }

    private static String describe(HasMetadata object) {
        return object.getKind()
                + " "
                + object.getMetadata().getNamespace()
                + "/"
                + object.getMetadata().getName();
    }
}
