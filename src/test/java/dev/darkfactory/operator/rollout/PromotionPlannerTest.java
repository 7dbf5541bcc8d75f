package dev.darkfactory.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.FactoryRunStatus;
import dev.darkfactory.operator.api.v1alpha1.RevisionStatus;
import dev.darkfactory.operator.api.v1alpha1.RolloutFailure;
import dev.darkfactory.operator.api.v1alpha1.RolloutStatus;
import dev.darkfactory.operator.api.v1alpha1.RunPhase;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntentStatus;
import dev.darkfactory.operator.rollout.PromotionPlanner.Inputs;
import dev.darkfactory.operator.rollout.PromotionPlanner.Observed;
import dev.darkfactory.operator.rollout.PromotionPlanner.Outcome;
import dev.darkfactory.operator.rollout.PromotionPlanner.Plan;
import dev.darkfactory.operator.rollout.PromotionPlanner.Revision;
import dev.darkfactory.operator.rollout.PromotionPlanner.Verification;
import dev.darkfactory.operator.rollout.PromotionPlanner.VerificationResult;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PromotionPlannerTest {

    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    private static final String STARTED_RECENTLY = "2026-01-01T11:58:00Z";
    private static final String STARTED_LONG_AGO = "2026-01-01T11:50:00Z";
    private static final String LONG_AGO = "2026-01-01T10:00:00Z";
    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final Duration DRAIN = Duration.ofSeconds(20);

    private static final RevisionStatus A = revision("g1-aaaaaa-a1", "todo-g1-aaaaaa", "r/app@a");
    private static final RevisionStatus B = revision("g2-bbbbbb-a1", "todo-g2-bbbbbb", "r/app@b");
    private static final RevisionStatus C = revision("g3-cccccc-a2", "todo-g3-cccccc", "r/app@c");
    private static final RevisionStatus D = revision("g4-dddddd-a1", "todo-g4-dddddd", "r/app@d");

    @Test
    void aRevisionIsNamedAfterItsRunWithoutTheIntentPrefixAndItsAttempt() {
        assertThat(PromotionPlanner.revisionName("todo", "todo-g2-4f1c9a", 3))
                .isEqualTo("g2-4f1c9a-a3");
        assertThat(PromotionPlanner.revisionName("todo", "other-g1-000000", 1))
                .isEqualTo("other-g1-000000-a1");
    }

    @Test
    void theFirstPassingImageStartsACandidateAndTheServiceSelectsNothingYet() {
        Plan plan = decide(status(null, List.of(), null), passed(A), Map.of());

        assertThat(plan.outcome()).isEqualTo(Outcome.STARTED);
        assertThat(plan.rollout().revision).isEqualTo(A.revision);
        assertThat(plan.rollout().image).isEqualTo(A.image);
        assertThat(plan.revisions()).containsExactly(new Revision(A, true));
        assertThat(plan.selected()).isNull();
        assertThat(plan.verify()).isNull();
    }

    @Test
    void aCandidateStartsBesideTheServingRevisionWhichTheServiceKeepsSelecting() {
        Plan plan = decide(status(A, List.of(D), LONG_AGO), passed(B), Map.of());

        assertThat(plan.outcome()).isEqualTo(Outcome.STARTED);
        assertThat(plan.revisions())
                .containsExactly(
                        new Revision(A, true), new Revision(B, true), new Revision(D, false));
        assertThat(plan.selected()).isEqualTo(A.revision);
        assertThat(plan.serving()).isEqualTo(A);
    }

    @Test
    void aCandidateIsVerifiedOnlyOnceAvailableAndServesOnlyOnceVerified() {
        SoftwareIntentStatus rolling = rolling(A, B, STARTED_RECENTLY);

        Plan starting = decide(rolling, passed(B), Map.of(B.revision, new Observed(false, false)));
        Plan available = decide(rolling, passed(B), Map.of(B.revision, available()));
        Plan running =
                decide(
                        rolling,
                        passed(B),
                        Map.of(B.revision, available()),
                        new VerificationResult(Verification.RUNNING, null));
        Plan passed =
                decide(
                        rolling,
                        passed(B),
                        Map.of(B.revision, available()),
                        new VerificationResult(Verification.PASSED, null));

        assertThat(starting.outcome()).isEqualTo(Outcome.PROGRESSING);
        assertThat(starting.verify()).isNull();
        assertThat(starting.selected()).isEqualTo(A.revision);
        assertThat(available.outcome()).isEqualTo(Outcome.VERIFYING);
        assertThat(available.verify()).isEqualTo(B);
        assertThat(available.selected()).isEqualTo(A.revision);
        assertThat(running.outcome()).isEqualTo(Outcome.VERIFYING);
        assertThat(running.selected()).isEqualTo(A.revision);

        assertThat(passed.outcome()).isEqualTo(Outcome.PROMOTED);
        assertThat(passed.selected()).isEqualTo(B.revision);
        assertThat(passed.serving()).isEqualTo(B);
        assertThat(passed.servingSince()).isEqualTo(NOW.toString());
        assertThat(passed.rollout()).isNull();
        assertThat(passed.kept()).containsExactly(A);
        assertThat(passed.revisions())
                .as("the old revision drains with its replicas")
                .containsExactly(new Revision(B, true), new Revision(A, true));
        assertThat(passed.inMotion()).isTrue();
    }

    @Test
    void aPassedVerificationOfACandidateThatIsNotAvailableDoesNotPromoteIt() {
        Plan plan =
                decide(
                        rolling(A, B, STARTED_RECENTLY),
                        passed(B),
                        Map.of(B.revision, new Observed(false, false)),
                        new VerificationResult(Verification.PASSED, null));

        assertThat(plan.outcome()).isEqualTo(Outcome.PROGRESSING);
        assertThat(plan.selected()).isEqualTo(A.revision);
    }

    @Test
    void theRevisionThatServedBeforeScalesToZeroOnceDrained() {
        String justSwitched = NOW.minus(DRAIN).plusSeconds(1).toString();
        String drained = NOW.minus(DRAIN).minusSeconds(1).toString();

        Plan draining = decide(status(B, List.of(A), justSwitched), null, Map.of());
        Plan done = decide(status(B, List.of(A), drained), null, Map.of());

        assertThat(draining.revisions())
                .containsExactly(new Revision(B, true), new Revision(A, true));
        assertThat(done.outcome()).isEqualTo(Outcome.STEADY);
        assertThat(done.revisions()).containsExactly(new Revision(B, true), new Revision(A, false));
        assertThat(done.inMotion()).isFalse();
    }

    @Test
    void whileOnlyARevisionDrainsTheIntentLooksAgainWhenTheDrainEndsIfThatIsSoonerThanAPoll() {
        Duration poll = Duration.ofSeconds(5);
        Plan switchedAMomentAgo =
                decide(status(B, List.of(A), NOW.minusSeconds(1).toString()), null, Map.of());
        Plan nearlyDrained =
                decide(
                        status(B, List.of(A), NOW.minus(DRAIN).plusSeconds(2).toString()),
                        null,
                        Map.of());
        Plan drained =
                decide(
                        status(B, List.of(A), NOW.minus(DRAIN).minusSeconds(1).toString()),
                        null,
                        Map.of());
        Plan rolling =
                decide(
                        rolling(A, B, STARTED_RECENTLY),
                        passed(B),
                        Map.of(B.revision, new Observed(false, false)));

        assertThat(switchedAMomentAgo.lookAgainIn(poll, DRAIN, NOW)).contains(poll);
        assertThat(nearlyDrained.lookAgainIn(poll, DRAIN, NOW))
                .contains(Duration.ofSeconds(2).plus(PromotionPlanner.PAST_DRAIN_END));
        assertThat(drained.lookAgainIn(poll, DRAIN, NOW)).isEmpty();
        assertThat(rolling.lookAgainIn(poll, DRAIN, NOW)).contains(poll);
    }

    static Stream<Arguments> historyLimits() {
        return Stream.of(
                Arguments.of(0, List.of()),
                Arguments.of(1, List.of(C)),
                Arguments.of(2, List.of(C, B)),
                Arguments.of(5, List.of(C, B, A)));
    }

    @ParameterizedTest(name = "revisionHistoryLimit {0}")
    @MethodSource("historyLimits")
    void revisionHistoryLimitKeepsTheNewestRevisionsScaledToZero(
            int limit, List<RevisionStatus> kept) {
        Plan plan =
                PromotionPlanner.decide(
                        new Inputs(
                                "todo",
                                status(D, List.of(C, B, A), LONG_AGO),
                                null,
                                Map.of(),
                                VerificationResult.NONE,
                                false,
                                null,
                                limit,
                                TIMEOUT,
                                DRAIN,
                                NOW));

        assertThat(plan.kept()).containsExactlyElementsOf(kept);
        assertThat(plan.revisions().get(0)).isEqualTo(new Revision(D, true));
        assertThat(plan.revisions().subList(1, plan.revisions().size()))
                .as("every other Deployment is deleted")
                .containsExactlyElementsOf(kept.stream().map(r -> new Revision(r, false)).toList());
    }

    @Test
    void withNoHistoryTheRevisionThatServedBeforeStillDrainsBeforeItIsDeleted() {
        Plan promoted =
                PromotionPlanner.decide(
                        new Inputs(
                                "todo",
                                rolling(A, B, STARTED_RECENTLY),
                                passed(B),
                                Map.of(B.revision, available()),
                                new VerificationResult(Verification.PASSED, null),
                                false,
                                null,
                                0,
                                TIMEOUT,
                                DRAIN,
                                NOW));

        assertThat(promoted.revisions())
                .containsExactly(new Revision(B, true), new Revision(A, true));
    }

    @Test
    void aCandidateThatFailsVerificationIsRemovedAndRecordedWhileTheServingOneStays() {
        Plan plan =
                decide(
                        rolling(A, B, STARTED_RECENTLY),
                        passed(B),
                        Map.of(B.revision, available()),
                        new VerificationResult(
                                Verification.FAILED,
                                "HeldOutChecksFailed: 1 of 3 checks failed (1 held out)"));

        assertThat(plan.outcome()).isEqualTo(Outcome.VERIFICATION_FAILED);
        assertThat(plan.revisions()).containsExactly(new Revision(A, true));
        assertThat(plan.selected()).isEqualTo(A.revision);
        assertThat(plan.serving()).isEqualTo(A);
        assertThat(plan.rollout()).isNull();
        assertThat(plan.failure().of(B.run, 1)).isTrue();
        assertThat(plan.failure().image).isEqualTo(B.image);
        assertThat(plan.failure().message)
                .contains(B.revision, "production configuration", "1 of 3 checks failed");
    }

    @Test
    void aCandidateThatIsNotAvailableInTimeIsRemovedAndRecorded() {
        Plan late =
                decide(
                        rolling(A, B, STARTED_LONG_AGO),
                        passed(B),
                        Map.of(B.revision, new Observed(false, false)));
        Plan deadline =
                decide(
                        rolling(A, B, STARTED_RECENTLY),
                        passed(B),
                        Map.of(B.revision, new Observed(false, true)));

        for (Plan plan : List.of(late, deadline)) {
            assertThat(plan.outcome()).isEqualTo(Outcome.UNAVAILABLE);
            assertThat(plan.revisions()).containsExactly(new Revision(A, true));
            assertThat(plan.selected()).isEqualTo(A.revision);
            assertThat(plan.failure().message).contains("did not become Available");
        }
    }

    @Test
    void theRolloutTimeoutDoesNotCutAVerificationOfAnAvailableCandidate() {
        Plan plan =
                decide(
                        rolling(A, B, STARTED_LONG_AGO),
                        passed(B),
                        Map.of(B.revision, available()),
                        new VerificationResult(Verification.RUNNING, null));

        assertThat(plan.outcome()).isEqualTo(Outcome.VERIFYING);
    }

    @Test
    void anAttemptWhoseRolloutFailedIsNotStartedAgain() {
        SoftwareIntentStatus status = status(A, List.of(), LONG_AGO);
        status.failedRollout = new RolloutFailure(B.run, 1, B.image, "failed verification");

        Plan plan = decide(status, passed(B), Map.of());

        assertThat(plan.outcome()).isEqualTo(Outcome.STEADY);
        assertThat(plan.revisions()).containsExactly(new Revision(A, true));
    }

    @Test
    void aPinnedKeptRevisionScalesUpFirstAndTheServiceSwitchesOnlyOnceItIsAvailable() {
        SoftwareIntentStatus serving = status(B, List.of(A), LONG_AGO);

        Plan started = decide(serving, passed(B), Map.of(), VerificationResult.NONE, A.revision);
        assertThat(started.outcome()).isEqualTo(Outcome.ROLLBACK_STARTED);
        assertThat(started.rollout().rollingBack()).isTrue();
        assertThat(started.revisions())
                .containsExactly(new Revision(B, true), new Revision(A, true));
        assertThat(started.selected()).isEqualTo(B.revision);
        assertThat(started.verify()).as("it was verified before").isNull();

        SoftwareIntentStatus rollingBack = status(B, List.of(A), LONG_AGO);
        rollingBack.rollout = started.rollout();
        Plan waiting =
                decide(
                        rollingBack,
                        passed(B),
                        Map.of(A.revision, new Observed(false, false)),
                        VerificationResult.NONE,
                        A.revision);
        assertThat(waiting.outcome()).isEqualTo(Outcome.PROGRESSING);
        assertThat(waiting.selected()).isEqualTo(B.revision);

        Plan done =
                decide(
                        rollingBack,
                        passed(B),
                        Map.of(A.revision, available()),
                        VerificationResult.NONE,
                        A.revision);
        assertThat(done.outcome()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(done.selected()).isEqualTo(A.revision);
        assertThat(done.serving()).isEqualTo(A);
        assertThat(done.kept()).containsExactly(B);
        assertThat(done.revisions()).containsExactly(new Revision(A, true), new Revision(B, true));
    }

    @Test
    void aRollbackThatDoesNotBecomeAvailableInTimeLeavesWhatServes() {
        SoftwareIntentStatus status = status(B, List.of(A), LONG_AGO);
        status.rollout = new RolloutStatus(A.revision, A.run, 1, A.image, STARTED_LONG_AGO, true);

        Plan plan =
                decide(
                        status,
                        passed(B),
                        Map.of(A.revision, new Observed(false, false)),
                        VerificationResult.NONE,
                        A.revision);

        assertThat(plan.outcome()).isEqualTo(Outcome.ROLLBACK_TIMED_OUT);
        assertThat(plan.selected()).isEqualTo(B.revision);
        assertThat(plan.revisions()).containsExactly(new Revision(B, true), new Revision(A, false));
        assertThat(plan.failure()).as("not a run's failure").isNull();
    }

    @Test
    void aPinOfNoKeptRevisionChangesNothingAndSaysWhichAreKept() {
        Plan plan =
                decide(
                        status(B, List.of(A), LONG_AGO),
                        passed(B),
                        Map.of(),
                        VerificationResult.NONE,
                        "g9-000000-a1");

        assertThat(plan.outcome()).isEqualTo(Outcome.UNKNOWN_PIN);
        assertThat(plan.message()).contains("g9-000000-a1", A.revision);
        assertThat(plan.selected()).isEqualTo(B.revision);
        assertThat(plan.rollout()).isNull();
    }

    @Test
    void aPinStopsAPromotionUnderWayWithoutRecordingAFailure() {
        Plan plan =
                decide(
                        rolling(A, B, STARTED_RECENTLY),
                        passed(B),
                        Map.of(B.revision, available()),
                        new VerificationResult(Verification.PASSED, null),
                        A.revision);

        assertThat(plan.outcome()).isEqualTo(Outcome.STEADY);
        assertThat(plan.selected()).isEqualTo(A.revision);
        assertThat(plan.revisions()).containsExactly(new Revision(A, true));
        assertThat(plan.rollout()).isNull();
        assertThat(plan.failure()).isNull();
    }

    @Test
    void whilePinnedANewPassingImageIsNotPromoted() {
        Plan plan =
                decide(
                        status(A, List.of(B), LONG_AGO),
                        passed(C),
                        Map.of(),
                        VerificationResult.NONE,
                        A.revision);

        assertThat(plan.outcome()).isEqualTo(Outcome.STEADY);
        assertThat(plan.rollout()).isNull();
    }

    @Test
    void clearingThePinSwitchesBackToTheLatestVerifiedRevisionWithoutVerifyingItAgain() {
        // Rolled back to A by a pin; B, the latest run's revision, is kept.
        Plan plan = decide(status(A, List.of(B), LONG_AGO), passed(B), Map.of());

        assertThat(plan.outcome()).isEqualTo(Outcome.ROLLBACK_STARTED);
        assertThat(plan.rollout().revision).isEqualTo(B.revision);
        assertThat(plan.rollout().rollingBack()).isTrue();
    }

    @Test
    void aPausedIntentStartsNothing() {
        Plan plan =
                PromotionPlanner.decide(
                        new Inputs(
                                "todo",
                                status(A, List.of(), LONG_AGO),
                                passed(B),
                                Map.of(),
                                VerificationResult.NONE,
                                true,
                                null,
                                1,
                                TIMEOUT,
                                DRAIN,
                                NOW));

        assertThat(plan.outcome()).isEqualTo(Outcome.STEADY);
        assertThat(plan.rollout()).isNull();
    }

    @Test
    void anImageThatServedBeforeRevisionsExistedBecomesARevisionBeforeAnythingIsPromoted() {
        SoftwareIntentStatus before = new SoftwareIntentStatus();
        before.servingImage = A.image;
        before.servingRun = A.run;
        RevisionStatus adopted = new RevisionStatus("g1-aaaaaa-a0", A.run, A.image);

        Plan started = decide(before, passed(B), Map.of());
        assertThat(started.outcome()).isEqualTo(Outcome.ROLLBACK_STARTED);
        assertThat(started.rollout().revision).isEqualTo(adopted.revision);
        assertThat(started.selected()).as("the Service is left as it is").isNull();
        assertThat(started.revisions()).containsExactly(new Revision(adopted, true));

        before.rollout = started.rollout();
        Plan switched = decide(before, passed(B), Map.of(adopted.revision, available()));
        assertThat(switched.outcome()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(switched.selected()).isEqualTo(adopted.revision);
        assertThat(switched.serving()).isEqualTo(adopted);
        assertThat(switched.kept()).isEmpty();
        assertThat(switched.revisions()).containsExactly(new Revision(adopted, true));
    }

    @Test
    void aNewerRunThatRebuiltTheServingImageStandsForIt() {
        RevisionStatus rebuilt = revision("g5-eeeeee-a1", "todo-g5-eeeeee", A.image);

        Plan plan = decide(status(A, List.of(), LONG_AGO), passed(rebuilt), Map.of());

        assertThat(plan.outcome()).isEqualTo(Outcome.STEADY);
        assertThat(plan.serving().run).isEqualTo(rebuilt.run);
        assertThat(plan.serving().revision).isEqualTo(A.revision);
    }

    private static Plan decide(
            SoftwareIntentStatus status, FactoryRun latest, Map<String, Observed> revisions) {
        return decide(status, latest, revisions, VerificationResult.NONE);
    }

    private static Plan decide(
            SoftwareIntentStatus status,
            FactoryRun latest,
            Map<String, Observed> revisions,
            VerificationResult verification) {
        return decide(status, latest, revisions, verification, null);
    }

    private static Plan decide(
            SoftwareIntentStatus status,
            FactoryRun latest,
            Map<String, Observed> revisions,
            VerificationResult verification,
            String pin) {
        return PromotionPlanner.decide(
                new Inputs(
                        "todo",
                        status,
                        latest,
                        new HashMap<>(revisions),
                        verification,
                        false,
                        pin,
                        1,
                        TIMEOUT,
                        DRAIN,
                        NOW));
    }

    private static Observed available() {
        return new Observed(true, false);
    }

    private static RevisionStatus revision(String name, String run, String image) {
        return new RevisionStatus(name, run, image);
    }

    private static SoftwareIntentStatus status(
            RevisionStatus serving, List<RevisionStatus> kept, String since) {
        SoftwareIntentStatus status = new SoftwareIntentStatus();
        if (serving != null) {
            status.servingRevision = serving.revision;
            status.servingRun = serving.run;
            status.servingImage = serving.image;
            status.servingSince = since;
        }
        status.keptRevisions = kept;
        return status;
    }

    private static SoftwareIntentStatus rolling(
            RevisionStatus serving, RevisionStatus candidate, String started) {
        SoftwareIntentStatus status = status(serving, List.of(), LONG_AGO);
        status.rollout =
                new RolloutStatus(
                        candidate.revision,
                        candidate.run,
                        attempt(candidate),
                        candidate.image,
                        started,
                        false);
        return status;
    }

    private static int attempt(RevisionStatus revision) {
        return Integer.parseInt(
                revision.revision.substring(revision.revision.lastIndexOf("-a") + 2));
    }

    private static FactoryRun passed(RevisionStatus revision) {
        FactoryRun run = new FactoryRun();
        run.setMetadata(new ObjectMetaBuilder().withName(revision.run).build());
        run.setStatus(new FactoryRunStatus());
        run.getStatus().phase = RunPhase.Succeeded;
        run.getStatus().image = revision.image;
        run.getStatus().currentAttempt = attempt(revision);
        return run;
    }
}
