package dev.darkfactory.operator.argocd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.darkfactory.operator.api.v1alpha1.AttemptPhase;
import dev.darkfactory.operator.api.v1alpha1.AttemptStatus;
import dev.darkfactory.operator.api.v1alpha1.Condition;
import dev.darkfactory.operator.api.v1alpha1.ConditionStatus;
import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.FactoryRunStatus;
import dev.darkfactory.operator.api.v1alpha1.RunPhase;
import dev.darkfactory.operator.api.v1alpha1.SatisfactionStatus;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntent;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntentStatus;
import dev.darkfactory.operator.api.v1alpha1.TrialStatus;
import dev.darkfactory.operator.argocd.ArgoCdHealthScript.Health;
import dev.darkfactory.operator.testing.Fixtures;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The health scripts on the trial fields of the status (docs/gate.md), without a cluster: the
 * intent's Healthy message names the satisfaction of what serves, a run's Progressing message
 * counts the trials of its attempt.
 */
class ArgoCdTrialsHealthTest {

    @Test
    void aServingIntentNamesTheSatisfactionItPassedWith() {
        SoftwareIntent intent = Fixtures.intent("ns", "todo", "gen");
        intent.getMetadata().setGeneration(1L);
        SoftwareIntentStatus status = new SoftwareIntentStatus();
        status.observedGeneration = 1L;
        status.conditions = List.of(condition("Ready", "image x serves at http://todo.ns:80"));
        status.satisfaction = new SatisfactionStatus();
        status.satisfaction.value = 0.67;
        status.satisfaction.trialsPassed = 2;
        status.satisfaction.trialsRun = 3;
        intent.setStatus(status);

        assertThat(ArgoCdHealthTest.INTENT_HEALTH.healthOf(intent))
                .isEqualTo(
                        new Health(
                                "Healthy",
                                "image x serves at http://todo.ns:80; satisfaction 0.67 (2 of 3"
                                        + " trials)"));
    }

    @Test
    void aTestingRunCountsTheTrialsOfItsAttempt() {
        FactoryRun run = new FactoryRun();
        run.setMetadata(new ObjectMetaBuilder().withName("todo-g1").withGeneration(1L).build());
        FactoryRunStatus status = new FactoryRunStatus();
        status.observedGeneration = 1L;
        status.phase = RunPhase.Running;
        status.conditions = List.of(condition("Reconciling", "attempt 2 of 3: testing"));
        AttemptStatus attempt = new AttemptStatus();
        attempt.number = 2;
        attempt.phase = AttemptPhase.Testing;
        attempt.trials =
                List.of(
                        trial(AttemptPhase.Passed),
                        trial(AttemptPhase.Failed),
                        trial(AttemptPhase.Testing));
        status.attempts = List.of(attempt);
        run.setStatus(status);

        assertThat(ArgoCdHealthTest.RUN_HEALTH.healthOf(run))
                .isEqualTo(
                        new Health(
                                "Progressing",
                                "attempt 2 of 3: testing; trials of attempt 2: 1 passed, 1 failed"
                                        + " of 3"));
    }

    private static TrialStatus trial(AttemptPhase phase) {
        TrialStatus trial = new TrialStatus();
        trial.phase = phase;
        return trial;
    }

    private static Condition condition(String type, String message) {
        Condition condition = new Condition();
        condition.type = type;
        condition.status = ConditionStatus.True;
        condition.reason = type;
        condition.message = message;
        return condition;
    }
}
