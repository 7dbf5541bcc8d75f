package dev.darkfactory.operator.apiserver;

import static dev.darkfactory.operator.testing.FactoryHarness.built;
import static dev.darkfactory.operator.testing.FactoryHarness.genPod;
import static dev.darkfactory.operator.testing.FactoryHarness.phase;
import static dev.darkfactory.operator.testing.FactoryHarness.report;
import static dev.darkfactory.operator.testing.FactoryHarness.testPod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.darkfactory.operator.api.v1alpha1.AttemptPhase;
import dev.darkfactory.operator.api.v1alpha1.AttemptStatus;
import dev.darkfactory.operator.api.v1alpha1.BudgetSpec;
import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.RunPhase;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntent;
import dev.darkfactory.operator.contract.FailureReason;
import dev.darkfactory.operator.contract.TestReport;
import dev.darkfactory.operator.testing.FactoryConfigs;
import dev.darkfactory.operator.testing.FactoryHarness;
import dev.darkfactory.operator.testing.Fixtures;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The gate over trials on a real API server: each trial is its own tester pod, at most two at once
 * here, and the test plays the kubelet. An app that fails one trial in three (a held-out check,
 * fixture's create-todo) has satisfaction 0.67: not enough at minSatisfaction 0.9, enough at 0.6.
 */
// Its namespaces and operators are its own: in the parallel lane, its tests one by one.
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock("SatisfactionGateTest")
class SatisfactionGateTest {

    private static final String HELD_OUT = "create-todo";
    private static final TestReport PASSED =
            report(List.of("health", "list-todos", HELD_OUT), List.of());
    private static final TestReport HELD_OUT_FAILED =
            report(List.of("health", "list-todos"), List.of(HELD_OUT));

    @RegisterExtension
    final FactoryHarness factory =
            new FactoryHarness(FactoryConfigs.with("darkfactory.max-parallel-trials", "2"));

    @Test
    void oneFailedTrialInThreeIsNotEnoughAtNinetyPercent() {
        createIntent(0.9);
        FactoryRun run = buildAndAwaitTrials();

        factory.kubelet.testerFinishes(testPod(run, 1), PASSED, TestReport.EXIT_PASSED);
        factory.kubelet.testerFinishes(trialPod(run, 2), PASSED, TestReport.EXIT_PASSED);
        run = factory.awaitRun("todo", r -> podOfTrial(r, 3) != null);
        factory.kubelet.testerFinishes(
                trialPod(run, 3), HELD_OUT_FAILED, TestReport.EXIT_CHECKS_FAILED);

        FactoryRun failed = factory.awaitRun("todo", r -> phase(r) == RunPhase.Failed);
        AttemptStatus attempt = failed.getStatus().attempts.get(0);
        assertThat(attempt.phase).isEqualTo(AttemptPhase.Failed);
        assertThat(attempt.reason).isEqualTo(FailureReason.SatisfactionBelowMinimum.name());
        assertThat(attempt.message)
                .startsWith("satisfaction 0.67 (2 of 3 trials passed; 95 % interval 0.20 to 0.94)")
                .contains("minSatisfaction 0.9");
        assertThat(attempt.failedPod).isEqualTo(trialPod(run, 3));
        assertThat(attempt.satisfaction.value).isEqualTo(0.67);
        assertThat(attempt.satisfaction.trialsPassed).isEqualTo(2);
        assertThat(attempt.satisfaction.trialsRun).isEqualTo(3);
        assertThat(attempt.trials)
                .extracting(t -> t.phase)
                .containsExactly(AttemptPhase.Passed, AttemptPhase.Passed, AttemptPhase.Failed);
        assertThat(attempt.scenarios)
                .extracting(s -> s.name + " " + s.passed + "/" + s.run)
                .containsExactlyInAnyOrder("health 3/3", "list-todos 3/3");
        assertThat(attempt.tests.heldOutPassed).isEqualTo(2);
        assertThat(attempt.tests.heldOutFailed).isEqualTo(1);
        assertThat(failed.getStatus().satisfaction.value).isEqualTo(0.67);
        String name = run.getMetadata().getName();
        // Events follow the status patch.
        await().atMost(FactoryHarness.WAIT)
                .untilAsserted(
                        () ->
                                assertThat(factory.eventReasons(name))
                                        .contains(
                                                "TrialPassed",
                                                "TrialFailed",
                                                "SatisfactionBelowMinimum"));
        assertHeldOutNameNowhere(failed);
    }

    @Test
    void theSameTrialsPassAtSixtyPercentAndTheIntentShowsTheSatisfactionOfWhatServes() {
        createIntent(0.6);
        FactoryRun run = buildAndAwaitTrials();

        // The failed trial comes first: 2 of 3 can still be reached, so the gate waits.
        factory.kubelet.testerFinishes(
                testPod(run, 1), HELD_OUT_FAILED, TestReport.EXIT_CHECKS_FAILED);
        run = factory.awaitRun("todo", r -> podOfTrial(r, 3) != null);
        factory.kubelet.testerFinishes(trialPod(run, 2), PASSED, TestReport.EXIT_PASSED);
        factory.kubelet.testerFinishes(trialPod(run, 3), PASSED, TestReport.EXIT_PASSED);

        FactoryRun passed = factory.awaitRun("todo", r -> phase(r) == RunPhase.Succeeded);
        AttemptStatus attempt = passed.getStatus().attempts.get(0);
        assertThat(attempt.phase).isEqualTo(AttemptPhase.Passed);
        assertThat(attempt.satisfaction.value).isEqualTo(0.67);
        assertThat(attempt.satisfaction.minSatisfaction).isEqualTo(0.6);
        factory.rollOut("todo");
        SoftwareIntent intent =
                factory.awaitIntent(
                        "todo",
                        i ->
                                i.getStatus().satisfaction != null
                                        && FactoryHarness.IMAGE.equals(i.getStatus().servingImage));
        assertThat(intent.getStatus().satisfaction.value).isEqualTo(0.67);
        assertThat(intent.getStatus().satisfaction.trialsPassed).isEqualTo(2);
        assertHeldOutNameNowhere(passed);
    }

    private void createIntent(double minSatisfaction) {
        SoftwareIntent intent = Fixtures.intent(factory.namespace, "todo", factory.className);
        intent.getSpec().budget = new BudgetSpec();
        intent.getSpec().budget.maxAttempts = 1;
        intent.getSpec().acceptance.trials = 3;
        intent.getSpec().acceptance.minSatisfaction = minSatisfaction;
        factory.client.resource(intent).create();
    }

    /**
     * The generator builds; the first two trials get their pods, the third waits for a free place
     * under the bound of two.
     */
    private FactoryRun buildAndAwaitTrials() {
        FactoryRun run = factory.awaitPod("todo", 1, false);
        factory.kubelet.generatorSucceeds(genPod(run, 1), built(FactoryHarness.IMAGE, 10L));
        run = factory.awaitRun("todo", r -> podOfTrial(r, 1) != null && podOfTrial(r, 2) != null);
        assertThat(factory.kubelet.exists(testPod(run, 1))).isTrue();
        assertThat(factory.kubelet.exists(trialPod(run, 2))).isTrue();
        assertThat(podOfTrial(run, 3)).as("the bound of two trials at once").isNull();
        assertThat(factory.kubelet.exists(trialPod(run, 3))).isFalse();
        return run;
    }

    private static String podOfTrial(FactoryRun run, int trial) {
        List<AttemptStatus> attempts = run.getStatus().attempts;
        if (attempts.isEmpty() || attempts.get(0).trials == null) {
            return null;
        }
        return attempts.get(0).trials.get(trial - 1).pod;
    }

    private static String trialPod(FactoryRun run, int trial) {
        return testPod(run, 1) + "-t" + trial;
    }

    private void assertHeldOutNameNowhere(FactoryRun run) {
        assertThat(Serialization.asJson(run.getStatus())).doesNotContain(HELD_OUT);
        assertThat(Serialization.asJson(factory.intent("todo").getStatus()))
                .doesNotContain(HELD_OUT);
        assertThat(
                        factory
                                .client
                                .v1()
                                .events()
                                .inNamespace(factory.namespace)
                                .list()
                                .getItems()
                                .stream()
                                .map(Event::getMessage)
                                .toList())
                .isNotEmpty()
                .noneMatch(m -> m.contains(HELD_OUT));
    }
}
