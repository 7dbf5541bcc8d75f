package dev.darkfactory.operator.run;

import static dev.darkfactory.operator.run.RunFixtures.pod;
import static dev.darkfactory.operator.run.RunFixtures.running;
import static dev.darkfactory.operator.run.RunFixtures.terminated;
import static org.assertj.core.api.Assertions.assertThat;

import dev.darkfactory.operator.api.v1alpha1.AttemptPhase;
import dev.darkfactory.operator.api.v1alpha1.AttemptStatus;
import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.FactoryRunStatus;
import dev.darkfactory.operator.api.v1alpha1.RunPhase;
import dev.darkfactory.operator.config.InfraRetry;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The run's testing step with three trials, each in its own pod, without an API server. */
class TrialRunStateMachineTest {

    private static final RunStateMachine MACHINE =
            new RunStateMachine(
                    Clock.fixed(Instant.parse("2026-01-01T12:00:00Z"), ZoneOffset.UTC),
                    new InfraRetry(4, Duration.ofSeconds(10), Duration.ofSeconds(45)));

    private static final String PASSED = "{\"ok\":true,\"healthy\":true,\"passed\":3,\"failed\":0}";
    private static final String HELD_OUT_FAILED =
            "{\"ok\":false,\"healthy\":true,\"passed\":2,\"failed\":1,"
                    + "\"results\":[{\"name\":\"secret\",\"holdout\":true,\"ok\":false,\"reason\":\"got 500\"}]}";

    @Test
    void aTrialPodLostToTheInfrastructureIsReplacedAloneAndNotCharged() {
        FactoryRun run = testingInTrials(0.9);

        FactoryRunStatus next =
                MACHINE.next(
                                run,
                                observe(
                                        testerDone(1, 0, PASSED),
                                        pod(podOf(2), "Failed", "Evicted", List.of(), List.of()),
                                        atWork(3)))
                        .status();

        assertThat(next.phase).isEqualTo(RunPhase.Blocked);
        assertThat(next.reason).isEqualTo("PodEvicted");
        AttemptStatus attempt = next.attempts.get(0);
        assertThat(attempt.phase).isEqualTo(AttemptPhase.Testing);
        assertThat(attempt.lostPods).containsExactly(podOf(2));
        assertThat(attempt.trials)
                .extracting(t -> t.number + " " + t.phase + " " + t.pod)
                .containsExactly("1 Passed " + podOf(1), "2 Testing null", "3 Testing " + podOf(3));
        assertThat(attempt.testerPod).isEqualTo(podOf(1));
    }

    @Test
    void oneFailedTrialInThreeFailsTheAttemptAtNinetyPercentAndTheNextOneStarts() {
        FactoryRun run = testingInTrials(0.9);

        var step =
                MACHINE.next(
                        run,
                        observe(
                                testerDone(1, 0, PASSED),
                                testerDone(2, 0, PASSED),
                                testerDone(3, 1, HELD_OUT_FAILED)));

        FactoryRunStatus next = step.status();
        assertThat(next.phase).isEqualTo(RunPhase.Running);
        assertThat(next.attempts)
                .extracting(a -> a.number + ":" + a.phase + ":" + a.reason)
                .containsExactly("1:Failed:SatisfactionBelowMinimum", "2:Generating:null");
        assertThat(next.satisfaction.value).isEqualTo(0.67);
        assertThat(step.events())
                .extracting(RunEvent::reason)
                .containsExactly(
                        "TrialPassed",
                        "TrialPassed",
                        "TrialFailed",
                        "SatisfactionBelowMinimum",
                        "AttemptStarted");
        assertThat(step.events()).noneMatch(e -> e.message().contains("secret"));
    }

    @Test
    void theSameTrialsPassAtSixtyPercent() {
        FactoryRun run = testingInTrials(0.6);

        FactoryRunStatus next =
                MACHINE.next(
                                run,
                                observe(
                                        testerDone(1, 1, HELD_OUT_FAILED),
                                        testerDone(2, 0, PASSED),
                                        testerDone(3, 0, PASSED)))
                        .status();

        assertThat(next.phase).isEqualTo(RunPhase.Succeeded);
        assertThat(next.image).isEqualTo("r/todo@sha256:1");
        assertThat(next.satisfaction.trialsPassed).isEqualTo(2);
        assertThat(next.message)
                .isEqualTo(
                        "attempt 1 passed: satisfaction 0.67 (2 of 3 trials passed; 95 % interval"
                                + " 0.20 to 0.94) reaches spec.acceptance.minSatisfaction 0.6");
    }

    /** Attempt 1 of 3 testing its image in three trials, every trial's pod made. */
    private static FactoryRun testingInTrials(double minSatisfaction) {
        FactoryRun run = RunFixtures.run(3);
        run.getSpec().intent.acceptance.trials = 3;
        run.getSpec().intent.acceptance.minSatisfaction = minSatisfaction;
        FactoryRunStatus status = new FactoryRunStatus();
        status.phase = RunPhase.Running;
        status.currentAttempt = 1;
        AttemptStatus attempt = new AttemptStatus();
        attempt.number = 1;
        attempt.phase = AttemptPhase.Testing;
        attempt.image = "r/todo@sha256:1";
        attempt.generatorPod = RunNames.generatorPod(run.getMetadata().getName(), 1);
        attempt.trials = TrialGate.planned(3);
        attempt.trials.forEach(t -> Trials.assign(attempt, t, podOf(t.number)));
        status.attempts.add(attempt);
        run.setStatus(status);
        return run;
    }

    private static String podOf(int trial) {
        return RunNames.testerPod("todo-g1-abcdef", 1, trial);
    }

    private static Pod testerDone(int trial, int exitCode, String report) {
        return pod(
                podOf(trial),
                "Running",
                null,
                List.of(),
                List.of(running("app"), terminated("tester", exitCode, null, report)));
    }

    private static Pod atWork(int trial) {
        return pod(
                podOf(trial),
                "Running",
                null,
                List.of(),
                List.of(running("app"), running("tester")));
    }

    private static RunStateMachine.Observed observe(Pod... pods) {
        Map<String, Pod> byName = new HashMap<>();
        for (Pod pod : pods) {
            byName.put(pod.getMetadata().getName(), pod);
        }
        return new RunStateMachine.Observed(byName, true, 1, 2, IntentSignals.NONE);
    }
}
