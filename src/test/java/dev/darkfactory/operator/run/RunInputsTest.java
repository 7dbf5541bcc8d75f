package dev.darkfactory.operator.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.darkfactory.operator.api.v1alpha1.AttemptPhase;
import dev.darkfactory.operator.api.v1alpha1.AttemptStatus;
import dev.darkfactory.operator.api.v1alpha1.CheckFailure;
import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.FactoryRunStatus;
import dev.darkfactory.operator.api.v1alpha1.TestSummary;
import dev.darkfactory.operator.contract.StationContract.Keys;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The inputs of an attempt: what the generator may see, and nothing of the held-out checks. */
class RunInputsTest {

    /**
     * The held-out check of {@code Fixtures.intent}: its name, path and body must never reach an
     * attempt.
     */
    private static final List<String> HELD_OUT_TEXT = List.of("create-todo", "milk");

    record Case(String name, int attempt, String previousSource, List<String> keys) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("attempt 1 of a first run", 1, null, List.of(Keys.INTENT, Keys.ATTEMPT)),
                new Case(
                        "attempt 1 of a run after another",
                        1,
                        "r/src@sha256:0",
                        List.of(Keys.INTENT, Keys.ATTEMPT, Keys.PREVIOUS_SOURCE)),
                new Case(
                        "attempt 2 gets feedback and the source of attempt 1",
                        2,
                        null,
                        List.of(Keys.INTENT, Keys.ATTEMPT, Keys.FEEDBACK, Keys.PREVIOUS_SOURCE)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void attemptInputs(Case c) {
        FactoryRun run = runWithFailedAttempt(c.previousSource());

        ConfigMap input = RunInputs.attemptInput(run, c.attempt());

        assertThat(input.getData()).containsOnlyKeys(c.keys());
        assertThat(input.getData().get(Keys.ATTEMPT)).isEqualTo(Integer.toString(c.attempt()));
        assertThat(input.getData().get(Keys.INTENT)).contains("list-todos");
        input.getData().values().forEach(value -> assertThat(value).doesNotContain(HELD_OUT_TEXT));
        if (c.attempt() == 2) {
            assertThat(input.getData().get(Keys.PREVIOUS_SOURCE)).isEqualTo("r/src@sha256:1");
            assertThat(input.getData().get(Keys.FEEDBACK)).contains("list-todos", "\"failed\" : 1");
        }
    }

    @Test
    void heldOutChecksGoOnlyIntoTheSecretAndVisibleOnesOnlyIntoTheConfigMap() {
        FactoryRun run = runWithFailedAttempt(null);

        String visible = RunInputs.visibleChecks(run).getData().get(Keys.VISIBLE_CHECKS);
        String heldOut = RunInputs.heldOutChecks(run).getStringData().get(Keys.HOLDOUT_CHECKS);

        assertThat(visible).contains("list-todos").doesNotContain(HELD_OUT_TEXT);
        assertThat(heldOut).contains(HELD_OUT_TEXT).doesNotContain("list-todos");
    }

    private static FactoryRun runWithFailedAttempt(String previousSource) {
        FactoryRun run = RunFixtures.run(3);
        run.getSpec().previousSource = previousSource;
        AttemptStatus failed = new AttemptStatus();
        failed.number = 1;
        failed.phase = AttemptPhase.Failed;
        failed.reason = "HeldOutChecksFailed";
        failed.message = "1 of 3 checks failed";
        failed.sourceImage = "r/src@sha256:1";
        failed.tests = new TestSummary(2, 0, 0, 1);
        failed.failures = List.of(new CheckFailure("list-todos", "GET /todos", "expected 200"));
        run.setStatus(new FactoryRunStatus());
        run.getStatus().attempts.add(failed);
        return run;
    }
}
