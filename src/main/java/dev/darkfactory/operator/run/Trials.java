package dev.darkfactory.operator.run;

import dev.darkfactory.operator.api.v1alpha1.AttemptPhase;
import dev.darkfactory.operator.api.v1alpha1.AttemptStatus;
import dev.darkfactory.operator.api.v1alpha1.TrialStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The tester pods of an attempt's trials: which trial gets a pod next, within the operator's bound
 * on trials in parallel, and which pods are done with. Trial 1's pod is also the attempt's {@code
 * testerPod}, so a reader of one-trial attempts finds it where it always was.
 */
final class Trials {

    private Trials() {}

    /**
     * The attempt's trials. An attempt that started testing under an operator without trials has
     * none recorded: its tester pod becomes trial 1's, the others are planned.
     */
    static List<TrialStatus> of(AttemptStatus attempt, int planned) {
        if (attempt.trials == null) {
            attempt.trials = TrialGate.planned(planned);
            attempt.trials.get(0).pod = attempt.testerPod;
        }
        return attempt.trials;
    }

    /** The trials to start now: those without a pod, as many as the bound leaves room for. */
    static List<TrialStatus> toStart(AttemptStatus attempt, int parallel) {
        if (attempt.trials == null) {
            return List.of();
        }
        long running =
                attempt.trials.stream()
                        .filter(t -> t.phase == AttemptPhase.Testing && t.pod != null)
                        .count();
        return attempt.trials.stream()
                .filter(t -> t.phase == AttemptPhase.Testing && t.pod == null)
                .limit(Math.max(0, Math.max(1, parallel) - running))
                .toList();
    }

    static void assign(AttemptStatus attempt, TrialStatus trial, String pod) {
        trial.pod = pod;
        if (trial.number == 1) {
            attempt.testerPod = pod;
        }
    }

    /** The trial's pod was lost to the infrastructure: the trial waits for a new one. */
    static void forget(AttemptStatus attempt, TrialStatus trial) {
        assign(attempt, trial, null);
    }

    /** The tester pods of the attempt that exist by name. */
    static List<String> pods(AttemptStatus attempt) {
        List<String> pods = new ArrayList<>();
        pods.add(attempt.testerPod);
        if (attempt.trials != null) {
            attempt.trials.forEach(t -> pods.add(t.pod));
        }
        return pods.stream().filter(Objects::nonNull).distinct().toList();
    }

    /**
     * Whether {@code pod} is a tester pod whose app need not run on: its trial has a verdict, or
     * the whole attempt has.
     */
    static boolean finished(AttemptStatus attempt, String pod) {
        boolean decided =
                attempt.phase == AttemptPhase.Passed || attempt.phase == AttemptPhase.Failed;
        if (decided && pods(attempt).contains(pod)) {
            return true;
        }
        return attempt.trials != null
                && attempt.trials.stream()
                        .anyMatch(t -> pod.equals(t.pod) && t.phase != AttemptPhase.Testing);
    }
}
