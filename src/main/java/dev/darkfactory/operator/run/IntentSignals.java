package dev.darkfactory.operator.run;

import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.OwnerReferences;
import dev.darkfactory.operator.api.v1alpha1.RolloutFailure;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntent;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntentStatus;
import java.util.function.Function;

/**
 * What a run learns from its intent's status: whether a newer run superseded it (the intent's
 * {@code latestRun} names another run that is newer, or that this operator's cache does not hold
 * yet: the intent writes a run's name only after creating it; an older name is a status written
 * before this run existed), and whether the image of its passing attempt failed to roll out (the
 * intent's {@code failedRollout} names this run and attempt). The intent counts only when it
 * controls the run by UID: a recreated intent of the same name says nothing about the runs of the
 * one before.
 *
 * @param supersededBy why the run is cancelled, or null
 * @param rolloutFailure why the image of the current attempt failed to roll out, or null
 */
public record IntentSignals(String supersededBy, String rolloutFailure) {

    public static final IntentSignals NONE = new IntentSignals(null, null);

    /**
     * @param runByName the intent's runs as the operator's cache holds them; null for one it lacks
     */
    public static IntentSignals read(
            FactoryRun run, SoftwareIntent intent, Function<String, FactoryRun> runByName) {
        if (intent == null
                || intent.getStatus() == null
                || !OwnerReferences.isControlledBy(run, intent)) {
            return NONE;
        }
        SoftwareIntentStatus status = intent.getStatus();
        String name = run.getMetadata().getName();
        String supersededBy =
                status.latestRun != null
                                && !status.latestRun.equals(name)
                                && newer(runByName.apply(status.latestRun), run)
                        ? "superseded by run " + status.latestRun
                        : null;
        RolloutFailure failed = status.failedRollout;
        Integer attempt = run.getStatus() == null ? null : run.getStatus().currentAttempt;
        String rolloutFailure = failed != null && failed.of(name, attempt) ? failed.message : null;
        return new IntentSignals(supersededBy, rolloutFailure);
    }

    private static boolean newer(FactoryRun other, FactoryRun run) {
        return other == null || RunOrder.OLDEST_FIRST.compare(other, run) > 0;
    }

    /**
     * Whether the signals a run reads differ between two versions of an intent: only then is the
     * run woken.
     */
    public static boolean changed(SoftwareIntent before, SoftwareIntent after) {
        SoftwareIntentStatus a = before.getStatus();
        SoftwareIntentStatus b = after.getStatus();
        String latestA = a == null ? null : a.latestRun;
        String latestB = b == null ? null : b.latestRun;
        RolloutFailure failedA = a == null ? null : a.failedRollout;
        RolloutFailure failedB = b == null ? null : b.failedRollout;
        return !java.util.Objects.equals(latestA, latestB)
                || !java.util.Objects.equals(key(failedA), key(failedB));
    }

    private static String key(RolloutFailure failed) {
        return failed == null ? null : failed.run + "/" + failed.attempt;
    }
}
