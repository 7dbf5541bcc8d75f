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
        OwnerReference controller = OwnerReferences.controller(run);
        if (!isOfKind(controller, "SoftwareIntent")) {
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

    /** What an object found under the deterministic name of one the run needs is to the run. */
    public enum Found {
        /** The run's own (an earlier reconcile made it): used as it is. */
        OWN,
        /**
         * Left by an earlier run of the same name, deleted since: only one run of a name exists at
         * a time, so its controller's UID no longer exists and the garbage collector deletes it.
         * The run waits for that; it deletes nothing itself, since anyone may have written the
         * reference.
         */
        LEFTOVER,
        /** Another's, or the run's with other content: neither used nor overwritten. */
        FOREIGN
    }

    /** What {@code existing} is to the run, and, unless it is the run's own, why, naming it. */
    public record Existing(Found found, String message) {}

    /**
     * What {@code existing}, found under the name of {@code desired}, is to the run: its own when
     * its controller is the run by UID and, for inputs (ConfigMaps, Secrets), its data is what the
     * run would write; a leftover when its controller is a FactoryRun of the run's name with
     * another UID; else foreign.
     */
    public static Existing existing(HasMetadata existing, HasMetadata desired, FactoryRun run) {
        String name = describe(existing);
        String runName = run.getMetadata().getName();
        if (leftOverByEarlierRun(existing, run)) {
            return new Existing(
                    Found.LEFTOVER,
                    name
                            + " was left by an earlier run "
                            + runName
                            + " (UID "
                            + OwnerReferences.controllerUid(existing)
                            + "), deleted since; the run waits for the garbage collector to"
                            + " delete it");
        }
        if (!OwnerReferences.isControlledBy(existing, run)) {
            String uid = OwnerReferences.controllerUid(existing);
            return new Existing(
                    Found.FOREIGN,
                    name
                            + " exists but is not run "
                            + runName
                            + "'s ("
                            + (uid == null
                                    ? "it has no controller"
                                    : "its controller has UID " + uid)
                            + "); the operator neither uses nor overwrites it");
        }
        if (!sameData(existing, desired)) {
            return new Existing(
                    Found.FOREIGN,
                    name
                            + " is controlled by run "
                            + runName
                            + " but its content is not what the run wrote; the operator does not"
                            + " use it");
        }
        return new Existing(Found.OWN, null);
    }

    /**
     * Whether the object's controller is a FactoryRun of this run's name but not this run (by UID):
     * an earlier run of the name, which cannot exist any more while this one does.
     */
    private static boolean leftOverByEarlierRun(HasMetadata existing, FactoryRun run) {
        OwnerReference controller = OwnerReferences.controller(existing);
        return isOfKind(controller, "FactoryRun")
                && run.getMetadata().getName().equals(controller.getName())
                && controller.getUid() != null
                && !controller.getUid().equals(run.getMetadata().getUid());
    }

    /** Whether the reference names a resource of this API's group of that kind. */
    private static boolean isOfKind(OwnerReference reference, String kind) {
        return reference != null
                && kind.equals(reference.getKind())
                && reference.getApiVersion() != null
                && reference.getApiVersion().startsWith("darkfactory.dev/");
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
