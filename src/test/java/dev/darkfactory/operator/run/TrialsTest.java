package dev.darkfactory.operator.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.darkfactory.operator.api.v1alpha1.AttemptPhase;
import dev.darkfactory.operator.api.v1alpha1.AttemptStatus;
import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.station.test.TesterStation;
import dev.darkfactory.operator.testing.FactoryConfigs;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Test;

class TrialsTest {

    @Test
    void startsTrialsUpToTheBoundCountingThoseStillRunning() {
        AttemptStatus attempt = testing(5);
        assertThat(Trials.toStart(attempt, 2)).extracting(t -> t.number).containsExactly(1, 2);

        Trials.assign(attempt, attempt.trials.get(0), "p1");
        Trials.assign(attempt, attempt.trials.get(1), "p2");
        assertThat(Trials.toStart(attempt, 2)).isEmpty();

        attempt.trials.get(0).phase = AttemptPhase.Passed;
        assertThat(Trials.toStart(attempt, 2)).extracting(t -> t.number).containsExactly(3);
        assertThat(Trials.toStart(testing(3), 0))
                .as("a bound below one still lets one trial run")
                .extracting(t -> t.number)
                .containsExactly(1);
    }

    @Test
    void trialOnesPodIsTheAttemptsTesterPod() {
        AttemptStatus attempt = testing(2);
        Trials.assign(attempt, attempt.trials.get(0), "run-a1-test");
        Trials.assign(attempt, attempt.trials.get(1), "run-a1-test-t2");
        assertThat(attempt.testerPod).isEqualTo("run-a1-test");

        Trials.forget(attempt, attempt.trials.get(0));
        assertThat(attempt.testerPod).isNull();
        assertThat(Trials.pods(attempt)).containsExactly("run-a1-test-t2");
    }

    @Test
    void aPodIsFinishedWhenItsTrialOrItsAttemptHasAVerdict() {
        AttemptStatus attempt = testing(2);
        Trials.assign(attempt, attempt.trials.get(0), "p1");
        Trials.assign(attempt, attempt.trials.get(1), "p2");
        attempt.trials.get(0).phase = AttemptPhase.Failed;

        assertThat(Trials.finished(attempt, "p1")).isTrue();
        assertThat(Trials.finished(attempt, "p2")).isFalse();
        attempt.phase = AttemptPhase.Failed;
        assertThat(Trials.finished(attempt, "p2")).isTrue();
        assertThat(Trials.finished(attempt, "someone-else")).isFalse();
    }

    @Test
    void anAttemptTestingBeforeTrialsExistedKeepsItsPodAsTrialOne() {
        AttemptStatus attempt = new AttemptStatus();
        attempt.phase = AttemptPhase.Testing;
        attempt.testerPod = "run-a1-test";

        assertThat(Trials.of(attempt, 3))
                .extracting(t -> t.number + " " + t.pod)
                .containsExactly("1 run-a1-test", "2 null", "3 null");
    }

    @Test
    void namesTrialPodsAfterTheAttemptsTesterPod() {
        assertThat(RunNames.testerPod("run", 2, 1)).isEqualTo("run-a2-test");
        assertThat(RunNames.testerPod("run", 2, 3)).isEqualTo("run-a2-test-t3");
    }

    @Test
    void eachTrialPodRunsTheTesterOnceBesideItsOwnApp() {
        FactoryRun run = RunFixtures.run(3);
        run.getSpec().intent.acceptance.trials = 3;
        AttemptStatus attempt = testing(3);
        attempt.image = "registry.test/ns/todo@sha256:" + "a".repeat(64);

        Pod pod = new StationPods(FactoryConfigs.defaults()).testerPod(run, attempt, 3);

        assertThat(pod.getMetadata().getName()).isEqualTo("todo-g1-abcdef-a1-test-t3");
        assertThat(pod.getSpec().getContainers())
                .extracting(c -> c.getName())
                .containsExactly(TesterPodReader.APP, TesterPodReader.TESTER);
        assertThat(pod.getSpec().getContainers().get(1).getEnv())
                .as("one trial per pod: the tester's own default")
                .noneMatch(e -> e.getName().equals(TesterStation.TRIALS));
    }

    private static AttemptStatus testing(int trials) {
        AttemptStatus attempt = new AttemptStatus();
        attempt.number = 1;
        attempt.phase = AttemptPhase.Testing;
        attempt.trials = TrialGate.planned(trials);
        return attempt;
    }
}
