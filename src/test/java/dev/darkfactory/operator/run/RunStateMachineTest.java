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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The run's life, step by step, without an API server: a stored status and the pods that exist go
 * in, the next status and the Events come out. Attempts read as {@code number:phase[:reason]}.
 */
class RunStateMachineTest {

    /** Infrastructure retries: 4 in a row, from 10 s doubled up to 45 s. */
    private static final int LIMIT = 4;

    private static final RunStateMachine MACHINE =
            new RunStateMachine(
                    Clock.fixed(Instant.parse("2026-01-01T12:00:00Z"), ZoneOffset.UTC),
                    new InfraRetry(LIMIT, Duration.ofSeconds(10), Duration.ofSeconds(45)));

    private static final String RUN = "todo-g1-abcdef";
    private static final String IMAGE = "r/todo@sha256:1";
    private static final String BUILT =
            "{\"station\":\"report\",\"ok\":true,\"image\":\"" + IMAGE + "\",\"tokens\":50}";
    private static final String PASSED = "{\"ok\":true,\"healthy\":true,\"passed\":3,\"failed\":0}";
    private static final String HELD_OUT_FAILED =
            "{\"ok\":false,\"healthy\":true,\"passed\":2,\"failed\":1,"
                    + "\"results\":[{\"name\":\"secret\",\"holdout\":true,\"ok\":false,\"reason\":\"got 500\"}]}";
    private static final String PUSH_FAILED_AFTER_SPENDING =
            "{\"station\":\"build\",\"ok\":false,\"reason\":\"PushFailed\",\"message\":\"401\",\"tokens\":50}";
    private static final String PUSH_FAILED =
            "{\"station\":\"build\",\"ok\":false,\"reason\":\"PushFailed\",\"message\":\"401\"}";
    private static final String BUILD_FAILED =
            "{\"station\":\"build\",\"ok\":false,\"reason\":\"BuildFailed\",\"message\":\"bad manifest\"}";
    private static final String UNHEALTHY =
            "{\"ok\":false,\"healthy\":false,\"passed\":0,\"failed\":0}";

    /**
     * @param maxAttempts the run's budget
     * @param tokenBudget spec.budget.maxTokens, or null
     * @param stored the status in the API server
     * @param pods the pods that exist
     * @param admitted whether the queue admits the run
     * @param intent what the run reads from its intent
     * @param phase the run's next phase
     * @param reason the run's next reason (null while it runs)
     * @param attempts the next attempts
     * @param events the reasons of the Events raised, in order
     */
    record Case(
            String name,
            int maxAttempts,
            Long tokenBudget,
            FactoryRunStatus stored,
            List<Pod> pods,
            boolean admitted,
            IntentSignals intent,
            RunPhase phase,
            String reason,
            List<String> attempts,
            List<String> events) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case(
                        "a new run with a free slot starts attempt 1, announced by the intent",
                        3,
                        null,
                        null,
                        List.of(),
                        true,
                        IntentSignals.NONE,
                        RunPhase.Running,
                        null,
                        List.of("1:Generating"),
                        List.of()),
                new Case(
                        "a new run without a free slot waits, and says so once",
                        3,
                        null,
                        null,
                        List.of(),
                        false,
                        IntentSignals.NONE,
                        RunPhase.Queued,
                        null,
                        List.of(),
                        List.of("Queued")),
                new Case(
                        "a queued run stays queued in silence",
                        3,
                        null,
                        stored(RunPhase.Queued),
                        List.of(),
                        false,
                        IntentSignals.NONE,
                        RunPhase.Queued,
                        null,
                        List.of(),
                        List.of()),
                new Case(
                        "a queued run starts when admitted, in silence",
                        3,
                        null,
                        stored(RunPhase.Queued),
                        List.of(),
                        true,
                        IntentSignals.NONE,
                        RunPhase.Running,
                        null,
                        List.of("1:Generating"),
                        List.of()),
                new Case(
                        "a generator pod at work changes nothing",
                        3,
                        null,
                        generating(1),
                        List.of(RunFixtures.generatorAtWork(RUN, 1)),
                        true,
                        IntentSignals.NONE,
                        RunPhase.Running,
                        null,
                        List.of("1:Generating"),
                        List.of()),
                new Case(
                        "a built image goes to testing",
                        3,
                        null,
                        generating(1),
                        List.of(RunFixtures.generatorBuilt(RUN, 1, BUILT)),
                        true,
                        IntentSignals.NONE,
                        RunPhase.Running,
                        null,
                        List.of("1:Testing"),
                        List.of("Built")),
                new Case(
                        "a failed build fails the attempt and starts the next",
                        3,
                        null,
                        generating(1),
                        List.of(generatorFailed(1, BUILD_FAILED)),
                        true,
                        IntentSignals.NONE,
                        RunPhase.Running,
                        null,
                        List.of("1:Failed:BuildFailed", "2:Generating"),
                        List.of("BuildFailed", "AttemptStarted")),
                new Case(
                        "the last attempt's failure ends the run",
                        2,
                        null,
                        generating(2),
                        List.of(generatorFailed(2, BUILD_FAILED)),
                        true,
                        IntentSignals.NONE,
                        RunPhase.Failed,
                        "MaxAttemptsExhausted",
                        List.of("1:Failed:ChecksFailed", "2:Failed:BuildFailed"),
                        List.of("BuildFailed", "MaxAttemptsExhausted")),
                new Case(
                        "a failed push blocks the run and charges no attempt",
                        3,
                        null,
                        generating(1),
                        List.of(generatorFailedPush(1)),
                        true,
                        IntentSignals.NONE,
                        RunPhase.Blocked,
                        "PushFailed",
                        List.of("1:Generating"),
                        List.of("PushFailed")),
                new Case(
                        "a deleted generator pod blocks the run and charges no attempt",
                        3,
                        null,
                        generating(1),
                        List.of(),
                        true,
                        IntentSignals.NONE,
                        RunPhase.Blocked,
                        "PodDeleted",
                        List.of("1:Generating"),
                        List.of("PodDeleted")),
                new Case(
                        "a missing Secret blocks the run on the last attempt too",
                        1,
                        null,
                        generating(1),
                        List.of(
                                waitingPod(
                                        RunNames.generatorPod(RUN, 1),
                                        "generate",
                                        "CreateContainerConfigError",
                                        "secret \"darkfactory-openai\" not found")),
                        true,
                        IntentSignals.NONE,
                        RunPhase.Blocked,
                        "ConfigMissing",
                        List.of("1:Generating"),
                        List.of("ConfigMissing")),
                new Case(
                        "an app image that cannot be pulled is not an app that never got healthy",
                        3,
                        null,
                        testing(1),
                        List.of(
                                pod(
                                        RunNames.testerPod(RUN, 1),
                                        "Running",
                                        null,
                                        List.of(),
                                        List.of(
                                                RunFixtures.waiting(
                                                        "app",
                                                        "ImagePullBackOff",
                                                        "Back-off pulling image"),
                                                terminated("tester", 1, null, UNHEALTHY)))),
                        true,
                        IntentSignals.NONE,
                        RunPhase.Blocked,
                        "ImagePullFailed",
                        List.of("1:Testing"),
                        List.of("ImagePullFailed")),
                new Case(
                        "an evicted tester pod blocks the run",
                        3,
                        null,
                        testing(1),
                        List.of(
                                pod(
                                        RunNames.testerPod(RUN, 1),
                                        "Failed",
                                        "Evicted",
                                        List.of(),
                                        List.of())),
                        true,
                        IntentSignals.NONE,
                        RunPhase.Blocked,
                        "PodEvicted",
                        List.of("1:Testing"),
                        List.of("PodEvicted")),
                new Case(
                        "a Blocked run waits in silence until the queue admits it",
                        3,
                        null,
                        blocked(1, 1),
                        List.of(),
                        false,
                        IntentSignals.NONE,
                        RunPhase.Blocked,
                        "ConfigMissing",
                        List.of("1:Generating"),
                        List.of()),
                new Case(
                        "an admitted Blocked run resumes its attempt, which counts once",
                        3,
                        null,
                        blocked(1, 1),
                        List.of(),
                        true,
                        IntentSignals.NONE,
                        RunPhase.Running,
                        null,
                        List.of("1:Generating"),
                        List.of()),
                new Case(
                        "a superseded Blocked run is cancelled",
                        3,
                        null,
                        blocked(1, 1),
                        List.of(),
                        false,
                        new IntentSignals("superseded by run todo-g2-abcdef", null),
                        RunPhase.Cancelled,
                        "Cancelled",
                        List.of("1:Failed:Cancelled"),
                        List.of("Cancelled")),
                new Case(
                        "the failure after the last retry ends the run with its reason",
                        3,
                        null,
                        withFailuresInARow(generating(1), LIMIT),
                        List.of(),
                        true,
                        IntentSignals.NONE,
                        RunPhase.Failed,
                        "PodDeleted",
                        List.of("1:Failed:PodDeleted"),
                        List.of("PodDeleted")),
                new Case(
                        "tokens over the budget end the run before testing",
                        3,
                        10L,
                        generating(1),
                        List.of(RunFixtures.generatorBuilt(RUN, 1, BUILT)),
                        true,
                        IntentSignals.NONE,
                        RunPhase.Failed,
                        "TokenBudgetExhausted",
                        List.of("1:Failed:TokenBudgetExhausted"),
                        List.of("Built", "TokenBudgetExhausted", "TokenBudgetExhausted")),
                new Case(
                        "tokens of a failed build count: over the budget they end the run",
                        3,
                        10L,
                        generating(1),
                        List.of(generatorFailed(1, PUSH_FAILED_AFTER_SPENDING)),
                        true,
                        IntentSignals.NONE,
                        RunPhase.Failed,
                        "TokenBudgetExhausted",
                        List.of("1:Failed:TokenBudgetExhausted"),
                        List.of("TokenBudgetExhausted", "TokenBudgetExhausted")),
                new Case(
                        "passing checks succeed the run",
                        3,
                        null,
                        testing(1),
                        List.of(testerDone(1, 0, PASSED)),
                        true,
                        IntentSignals.NONE,
                        RunPhase.Succeeded,
                        "Succeeded",
                        List.of("1:Passed"),
                        List.of("ChecksPassed")),
                new Case(
                        "failed held-out checks fail the attempt",
                        3,
                        null,
                        testing(1),
                        List.of(testerDone(1, 1, HELD_OUT_FAILED)),
                        true,
                        IntentSignals.NONE,
                        RunPhase.Running,
                        null,
                        List.of("1:Failed:HeldOutChecksFailed", "2:Generating"),
                        List.of("HeldOutChecksFailed", "AttemptStarted")),
                new Case(
                        "a superseded run cancels its attempt",
                        3,
                        null,
                        generating(1),
                        List.of(RunFixtures.generatorAtWork(RUN, 1)),
                        true,
                        new IntentSignals("superseded by run todo-g2-abcdef", null),
                        RunPhase.Cancelled,
                        "Cancelled",
                        List.of("1:Failed:Cancelled"),
                        List.of("Cancelled")),
                new Case(
                        "a superseded queued run is cancelled",
                        3,
                        null,
                        stored(RunPhase.Queued),
                        List.of(),
                        false,
                        new IntentSignals("superseded by run todo-g2-abcdef", null),
                        RunPhase.Cancelled,
                        "Cancelled",
                        List.of(),
                        List.of("Cancelled")),
                new Case(
                        "a finished run is not cancelled",
                        3,
                        null,
                        succeeded(1),
                        List.of(),
                        true,
                        new IntentSignals("superseded by run todo-g2-abcdef", null),
                        RunPhase.Succeeded,
                        "Succeeded",
                        List.of("1:Passed"),
                        List.of()),
                new Case(
                        "a failed rollout reopens the run with the next attempt",
                        3,
                        null,
                        succeeded(1),
                        List.of(),
                        true,
                        new IntentSignals(null, "the app crashed"),
                        RunPhase.Running,
                        null,
                        List.of("1:Failed:RolloutFailed", "2:Generating"),
                        List.of("RolloutFailed", "AttemptStarted")),
                new Case(
                        "a failed rollout of the last attempt ends the run",
                        1,
                        null,
                        succeeded(1),
                        List.of(),
                        true,
                        new IntentSignals(null, "the app crashed"),
                        RunPhase.Failed,
                        "MaxAttemptsExhausted",
                        List.of("1:Failed:RolloutFailed"),
                        List.of("RolloutFailed", "MaxAttemptsExhausted")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void nextStep(Case c) {
        FactoryRun run = RunFixtures.run(c.maxAttempts());
        run.getSpec().intent.budget.maxTokens = c.tokenBudget();
        run.setStatus(c.stored());
        Map<String, Pod> pods = new HashMap<>();
        c.pods().forEach(p -> pods.put(p.getMetadata().getName(), p));
        RunStateMachine.Step step =
                MACHINE.next(
                        run, new RunStateMachine.Observed(pods, c.admitted(), 1, 2, c.intent()));

        assertThat(step.status().phase).isEqualTo(c.phase());
        assertThat(step.status().reason).isEqualTo(c.reason());
        assertThat(step.status().attempts)
                .extracting(RunStateMachineTest::describe)
                .containsExactlyElementsOf(c.attempts());
        assertThat(step.events())
                .extracting(RunEvent::reason)
                .containsExactlyElementsOf(c.events());
        assertThat(step.status().conditions)
                .extracting(cond -> cond.type)
                .contains("Ready", "Reconciling", "Stalled");
    }

    @Test
    void tokensOfAFailedAttemptAreRecordedAndCountTowardTheRun() {
        FactoryRun run = RunFixtures.run(3);
        run.setStatus(generating(1));
        Pod failed = generatorFailed(1, PUSH_FAILED_AFTER_SPENDING);

        RunStateMachine.Step step =
                MACHINE.next(
                        run,
                        new RunStateMachine.Observed(
                                Map.of(failed.getMetadata().getName(), failed),
                                true,
                                1,
                                2,
                                IntentSignals.NONE));

        assertThat(step.status().attempts.get(0).tokens).isEqualTo(50L);
        assertThat(step.status().tokensUsed).isEqualTo(50L);
        assertThat(step.status().reason).isEqualTo("PushFailed");
    }

    @Test
    void eachInfrastructureFailureInARowWaitsLongerUpToTheBound() {
        FactoryRun run = RunFixtures.run(3);
        FactoryRunStatus status = generating(1);
        List<String> retries = new ArrayList<>();
        List<String> lost = new ArrayList<>();
        for (int failure = 1; failure <= LIMIT; failure++) {
            run.setStatus(status);
            String pod = status.attempts.get(0).generatorPod;
            status = MACHINE.next(run, observe(List.of())).status();
            assertThat(status.phase).isEqualTo(RunPhase.Blocked);
            assertThat(status.infrastructureFailures).isEqualTo(failure);
            assertThat(status.message).contains("not charged", "retry " + failure + " of 4");
            assertThat(status.conditions)
                    .filteredOn(c -> c.type.equals("Reconciling"))
                    .singleElement()
                    .satisfies(c -> assertThat(c.reason).isEqualTo("PodDeleted"));
            retries.add(status.retryAt);
            lost.add(pod);
            // The queue admits it: it resumes, and the reconciler names the new pod.
            run.setStatus(status);
            status = MACHINE.next(run, observeAdmitted()).status();
            assertThat(status.phase).isEqualTo(RunPhase.Running);
            status.attempts.get(0).generatorPod = "replacement-" + failure;
        }

        assertThat(retries)
                .containsExactly(
                        "2026-01-01T12:00:10Z",
                        "2026-01-01T12:00:20Z",
                        "2026-01-01T12:00:40Z",
                        "2026-01-01T12:00:45Z");
        assertThat(status.attempts.get(0).lostPods).containsExactlyElementsOf(lost);
        assertThat(status.attempts).hasSize(1);
    }

    @Test
    void aGeneratorThatReportsNoTokenUsageRaisesAWarning() {
        FactoryRun run = RunFixtures.run(3);
        run.setStatus(generating(1));
        Pod built =
                pod(
                        RunNames.generatorPod(RUN, 1),
                        "Succeeded",
                        null,
                        List.of(
                                terminated("prepare", 0, null, null),
                                terminated("generate", 0, null, null),
                                terminated("build", 0, null, null)),
                        List.of(
                                terminated(
                                        "report",
                                        0,
                                        null,
                                        "{\"station\":\"report\",\"ok\":true,\"image\":\""
                                                + IMAGE
                                                + "\"}")));

        RunStateMachine.Step step = MACHINE.next(run, observe(List.of(built)));

        assertThat(step.events())
                .extracting(RunEvent::reason)
                .containsExactly("Built", "TokenUsageUnknown");
        assertThat(step.status().attempts.get(0).tokens).isNull();
        assertThat(
                        MACHINE.next(
                                        run,
                                        observe(List.of(RunFixtures.generatorBuilt(RUN, 1, BUILT))))
                                .events())
                .extracting(RunEvent::reason)
                .containsExactly("Built");
    }

    @Test
    void aVerdictOfTheStageEndsTheRunOfInfrastructureFailures() {
        FactoryRun run = RunFixtures.run(3);
        run.setStatus(withFailuresInARow(generating(1), 2));

        FactoryRunStatus next =
                MACHINE.next(run, observe(List.of(RunFixtures.generatorBuilt(RUN, 1, BUILT))))
                        .status();

        assertThat(next.infrastructureFailures).isNull();
        assertThat(next.attempts.get(0).phase).isEqualTo(AttemptPhase.Testing);
    }

    @Test
    void aRefusedPodBlocksTheRunWithTheApiServersWords() {
        FactoryRun run = RunFixtures.run(3);
        FactoryRunStatus decided = generating(1);
        decided.attempts.get(0).generatorPod = null;

        RunStateMachine.Step step =
                MACHINE.refused(
                        run,
                        decided,
                        PodVerdict.failed(
                                dev.darkfactory.operator.contract.FailureReason.QuotaExceeded,
                                "exceeded quota: q1",
                                "p",
                                null));

        assertThat(step.status().phase).isEqualTo(RunPhase.Blocked);
        assertThat(step.status().reason).isEqualTo("QuotaExceeded");
        assertThat(step.status().message).contains("exceeded quota: q1");
        assertThat(step.status().attempts.get(0).lostPods)
                .as("a pod never made is not lost")
                .isNull();
        assertThat(step.events()).extracting(RunEvent::reason).containsExactly("QuotaExceeded");
    }

    @Test
    void aLeftoverOfAnEarlierRunIsWaitedForWithinTheInfrastructureRetryLimit() {
        FactoryRun run = RunFixtures.run(3);
        FactoryRunStatus decided = generating(1);
        decided.attempts.get(0).generatorPod = null;
        PodVerdict leftover = InfraFailures.leftover("ConfigMap ns/" + RUN + "-a1-input was left");

        RunStateMachine.Step waits = MACHINE.refused(run, decided, leftover);

        assertThat(waits.status().phase).isEqualTo(RunPhase.Blocked);
        assertThat(waits.status().reason).isEqualTo("LeftoverObject");
        assertThat(waits.status().message).contains("-a1-input was left", "not charged");
        assertThat(waits.status().attempts.get(0).reason).as("not charged").isNull();
        assertThat(waits.status().attempts.get(0).lostPods).isNull();

        RunStateMachine.Step gaveUp =
                MACHINE.refused(run, withFailuresInARow(decided, LIMIT), leftover);

        assertThat(gaveUp.status().phase).isEqualTo(RunPhase.Failed);
        assertThat(gaveUp.status().reason).isEqualTo("LeftoverObject");
        assertThat(gaveUp.status().message).contains("gave up after " + (LIMIT + 1));
    }

    private static RunStateMachine.Observed observe(List<Pod> pods) {
        Map<String, Pod> byName = new HashMap<>();
        pods.forEach(p -> byName.put(p.getMetadata().getName(), p));
        return new RunStateMachine.Observed(byName, true, 1, 2, IntentSignals.NONE);
    }

    private static RunStateMachine.Observed observeAdmitted() {
        return observe(List.of());
    }

    private static FactoryRunStatus withFailuresInARow(FactoryRunStatus status, int failures) {
        status.infrastructureFailures = failures;
        return status;
    }

    /** Attempt {@code number} lost its generator pod {@code failures} times and waits. */
    private static FactoryRunStatus blocked(int number, int failures) {
        FactoryRunStatus status = withFailuresInARow(generating(number), failures);
        AttemptStatus current = status.attempts.get(number - 1);
        current.lostPods = new ArrayList<>(List.of(current.generatorPod));
        current.generatorPod = null;
        status.phase = RunPhase.Blocked;
        status.reason = "ConfigMissing";
        status.message = "Secret darkfactory-openai does not exist";
        status.retryAt = "2026-01-01T12:00:00Z";
        return status;
    }

    private static Pod waitingPod(String name, String container, String reason, String message) {
        return pod(
                name,
                "Pending",
                null,
                List.of(
                        terminated("prepare", 0, null, null),
                        RunFixtures.waiting(container, reason, message)),
                List.of());
    }

    private static String describe(AttemptStatus attempt) {
        return attempt.number
                + ":"
                + attempt.phase
                + (attempt.reason == null ? "" : ":" + attempt.reason);
    }

    private static FactoryRunStatus stored(RunPhase phase) {
        FactoryRunStatus status = new FactoryRunStatus();
        status.phase = phase;
        return status;
    }

    /** Attempt {@code number} generating; earlier attempts failed their checks. */
    private static FactoryRunStatus generating(int number) {
        FactoryRunStatus status = stored(RunPhase.Running);
        status.attempts = new ArrayList<>();
        for (int i = 1; i < number; i++) {
            status.attempts.add(attempt(i, AttemptPhase.Failed, "ChecksFailed"));
        }
        AttemptStatus current = attempt(number, AttemptPhase.Generating, null);
        current.generatorPod = RunNames.generatorPod(RUN, number);
        status.attempts.add(current);
        status.currentAttempt = number;
        return status;
    }

    private static FactoryRunStatus testing(int number) {
        FactoryRunStatus status = generating(number);
        AttemptStatus current = status.attempts.get(number - 1);
        current.phase = AttemptPhase.Testing;
        current.image = IMAGE;
        current.testerPod = RunNames.testerPod(RUN, number);
        return status;
    }

    private static FactoryRunStatus succeeded(int number) {
        FactoryRunStatus status = testing(number);
        status.attempts.get(number - 1).phase = AttemptPhase.Passed;
        status.phase = RunPhase.Succeeded;
        status.reason = RunStateMachine.SUCCEEDED;
        status.image = IMAGE;
        return status;
    }

    private static AttemptStatus attempt(int number, AttemptPhase phase, String reason) {
        AttemptStatus attempt = new AttemptStatus();
        attempt.number = number;
        attempt.phase = phase;
        attempt.reason = reason;
        return attempt;
    }

    private static Pod generatorFailedPush(int attempt) {
        return generatorFailed(attempt, PUSH_FAILED);
    }

    private static Pod generatorFailed(int attempt, String buildOutcome) {
        return pod(
                RunNames.generatorPod(RUN, attempt),
                "Failed",
                null,
                List.of(
                        terminated("prepare", 0, null, null),
                        terminated("generate", 0, null, null),
                        terminated("build", 1, "Error", buildOutcome)),
                List.of());
    }

    private static Pod testerDone(int attempt, int exitCode, String report) {
        return pod(
                RunNames.testerPod(RUN, attempt),
                "Running",
                null,
                List.of(),
                List.of(running("app"), terminated("tester", exitCode, null, report)));
    }
}
