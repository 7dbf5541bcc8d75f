package dev.darkfactory.operator.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.FactoryRunStatus;
import dev.darkfactory.operator.api.v1alpha1.OwnerReferences;
import dev.darkfactory.operator.api.v1alpha1.RolloutFailure;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntent;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntentStatus;
import dev.darkfactory.operator.testing.Fixtures;
import org.junit.jupiter.api.Test;

/** What a run reads from its intent's status, and only from its own intent (by UID). */
class IntentSignalsTest {

    @Test
    void aRunIsSupersededWhenItsIntentNamesANewerRun() {
        SoftwareIntent intent = intent("uid-i", "todo-g2-ffffff", null);
        FactoryRun newer = run("todo-g2-ffffff", intent, 1);
        newer.getSpec().intentGeneration = 2L;

        assertThat(
                        IntentSignals.read(run("todo-g1-abcdef", intent, 1), intent, name -> newer)
                                .supersededBy())
                .isEqualTo("superseded by run todo-g2-ffffff");
        assertThat(
                        IntentSignals.read(run("todo-g1-abcdef", intent, 1), intent, name -> null)
                                .supersededBy())
                .as("a run the cache does not hold yet was created after the status named it")
                .isEqualTo("superseded by run todo-g2-ffffff");
        assertThat(IntentSignals.read(newer, intent, name -> newer)).isEqualTo(IntentSignals.NONE);
    }

    @Test
    void aStatusWrittenBeforeTheRunExistedDoesNotCancelIt() {
        SoftwareIntent intent = intent("uid-i", "todo-g1-abcdef", null);
        FactoryRun older = run("todo-g1-abcdef", intent, 1);
        FactoryRun justCreated = run("todo-g2-ffffff", intent, 1);
        justCreated.getSpec().intentGeneration = 2L;

        assertThat(IntentSignals.read(justCreated, intent, name -> older))
                .isEqualTo(IntentSignals.NONE);
    }

    @Test
    void aFailedRolloutCountsForTheAttemptItNamesOnly() {
        SoftwareIntent intent =
                intent(
                        "uid-i",
                        "todo-g1-abcdef",
                        new RolloutFailure("todo-g1-abcdef", 1, "r/x@sha256:1", "crash"));

        assertThat(
                        IntentSignals.read(run("todo-g1-abcdef", intent, 1), intent, name -> null)
                                .rolloutFailure())
                .isEqualTo("crash");
        assertThat(
                        IntentSignals.read(run("todo-g1-abcdef", intent, 2), intent, name -> null)
                                .rolloutFailure())
                .isNull();
    }

    @Test
    void anIntentThatDoesNotControlTheRunSaysNothing() {
        SoftwareIntent owner = intent("uid-old", "todo-g1-abcdef", null);
        SoftwareIntent recreated = intent("uid-new", "todo-g9-ffffff", null);

        assertThat(IntentSignals.read(run("todo-g1-abcdef", owner, 1), recreated, name -> null))
                .isEqualTo(IntentSignals.NONE);
        assertThat(IntentSignals.read(run("todo-g1-abcdef", owner, 1), null, name -> null))
                .isEqualTo(IntentSignals.NONE);
    }

    @Test
    void onlyChangesOfWhatRunsReadWakeThem() {
        SoftwareIntent before = intent("uid-i", "todo-g1-abcdef", null);
        SoftwareIntent phaseOnly = intent("uid-i", "todo-g1-abcdef", null);
        phaseOnly.getStatus().attempts = 3;

        assertThat(IntentSignals.changed(before, phaseOnly)).isFalse();
        assertThat(IntentSignals.changed(before, intent("uid-i", "todo-g2-ffffff", null))).isTrue();
        assertThat(
                        IntentSignals.changed(
                                before,
                                intent(
                                        "uid-i",
                                        "todo-g1-abcdef",
                                        new RolloutFailure(
                                                "todo-g1-abcdef", 1, "r/x@sha256:1", "crash"))))
                .isTrue();
    }

    private static SoftwareIntent intent(String uid, String latestRun, RolloutFailure failed) {
        SoftwareIntent intent = Fixtures.intent("ns", "todo", "builtin");
        intent.getMetadata().setUid(uid);
        intent.setStatus(new SoftwareIntentStatus());
        intent.getStatus().latestRun = latestRun;
        intent.getStatus().failedRollout = failed;
        return intent;
    }

    private static FactoryRun run(String name, SoftwareIntent owner, int currentAttempt) {
        FactoryRun run = RunFixtures.run(3);
        run.getMetadata().setName(name);
        run.getMetadata()
                .setOwnerReferences(java.util.List.of(OwnerReferences.controlledBy(owner)));
        run.setStatus(new FactoryRunStatus());
        run.getStatus().currentAttempt = currentAttempt;
        return run;
    }
}
