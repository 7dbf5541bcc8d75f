package dev.darkfactory.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.FactoryRunStatus;
import dev.darkfactory.operator.api.v1alpha1.RolloutFailure;
import dev.darkfactory.operator.api.v1alpha1.RolloutStatus;
import dev.darkfactory.operator.api.v1alpha1.RunPhase;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntentStatus;
import dev.darkfactory.operator.rollout.RolloutPlanner.Outcome;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutPlannerTest {

    private static final String OLD = "r/app@sha256:1";
    private static final String NEW = "r/app@sha256:2";
    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    @Test
    void aPassingRunWithANewImageStartsARolloutWhileTheOldImageServes() {
        var decision =
                RolloutPlanner.decide(
                        serving(OLD, "run-1", null),
                        passed("run-2", NEW),
                        deployment(OLD, false),
                        false,
                        TIMEOUT,
                        NOW);

        assertThat(decision.outcome()).isEqualTo(Outcome.STARTED);
        assertThat(decision.deployImage()).isEqualTo(NEW);
        assertThat(decision.servingImage()).isEqualTo(OLD);
        assertThat(decision.rollout().run).isEqualTo("run-2");
    }

    @Test
    void theServingImageMovesOnlyOnceTheNewOneRolledOut() {
        RolloutStatus rolling = new RolloutStatus("run-2", 1, NEW, "2026-01-01T11:58:00Z");

        var waiting =
                RolloutPlanner.decide(
                        serving(OLD, "run-1", rolling),
                        passed("run-2", NEW),
                        deployment(NEW, false),
                        false,
                        TIMEOUT,
                        NOW);
        var done =
                RolloutPlanner.decide(
                        serving(OLD, "run-1", rolling),
                        passed("run-2", NEW),
                        deployment(NEW, true),
                        false,
                        TIMEOUT,
                        NOW);

        assertThat(waiting.outcome()).isEqualTo(Outcome.PROGRESSING);
        assertThat(waiting.servingImage()).isEqualTo(OLD);
        assertThat(done.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(done.servingImage()).isEqualTo(NEW);
        assertThat(done.servingRun()).isEqualTo("run-2");
        assertThat(done.rollout()).isNull();
    }

    @Test
    void aRolloutPastItsTimeoutGoesBackToTheServingImage() {
        RolloutStatus late = new RolloutStatus("run-2", 1, NEW, "2026-01-01T11:50:00Z");

        var decision =
                RolloutPlanner.decide(
                        serving(OLD, "run-1", late),
                        passed("run-2", NEW),
                        deployment(NEW, false),
                        false,
                        TIMEOUT,
                        NOW);

        assertThat(decision.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(decision.deployImage()).isEqualTo(OLD);
        assertThat(decision.deployRun()).isEqualTo("run-1");
    }

    @Test
    void anImageThatFailedToRollOutIsNotTriedAgainAndPausedStartsNothing() {
        SoftwareIntentStatus failedBefore = serving(OLD, "run-1", null);
        failedBefore.failedRollout = new RolloutFailure("run-2", 1, NEW, "crash");
        SoftwareIntentStatus failedAnotherAttempt = serving(OLD, "run-1", null);
        failedAnotherAttempt.failedRollout = new RolloutFailure("run-2", 2, NEW, "crash");

        assertThat(
                        RolloutPlanner.decide(
                                        failedBefore,
                                        passed("run-2", NEW),
                                        deployment(OLD, true),
                                        false,
                                        TIMEOUT,
                                        NOW)
                                .outcome())
                .isEqualTo(Outcome.STEADY);
        assertThat(
                        RolloutPlanner.decide(
                                        failedAnotherAttempt,
                                        passed("run-2", NEW),
                                        deployment(OLD, true),
                                        false,
                                        TIMEOUT,
                                        NOW)
                                .outcome())
                .isEqualTo(Outcome.STARTED);
        assertThat(
                        RolloutPlanner.decide(
                                        serving(OLD, "run-1", null),
                                        passed("run-2", NEW),
                                        deployment(OLD, true),
                                        true,
                                        TIMEOUT,
                                        NOW)
                                .outcome())
                .isEqualTo(Outcome.STEADY);
    }

    @Test
    void aNewerRunThatRebuiltTheServingImageStandsForIt() {
        var decision =
                RolloutPlanner.decide(
                        serving(OLD, "run-1", null),
                        passed("run-2", OLD),
                        deployment(OLD, true),
                        false,
                        TIMEOUT,
                        NOW);

        assertThat(decision.outcome()).isEqualTo(Outcome.STEADY);
        assertThat(decision.servingRun()).isEqualTo("run-2");
    }

    private static SoftwareIntentStatus serving(String image, String run, RolloutStatus rollout) {
        SoftwareIntentStatus status = new SoftwareIntentStatus();
        status.servingImage = image;
        status.servingRun = run;
        status.rollout = rollout;
        return status;
    }

    private static FactoryRun passed(String name, String image) {
        FactoryRun run = new FactoryRun();
        run.setMetadata(new ObjectMetaBuilder().withName(name).build());
        run.setStatus(new FactoryRunStatus());
        run.getStatus().phase = RunPhase.Succeeded;
        run.getStatus().image = image;
        run.getStatus().currentAttempt = 1;
        return run;
    }

    /** A Deployment of {@code image}; rolled out means every replica updated and available. */
    private static Deployment deployment(String image, boolean rolledOut) {
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName("todo")
                .withGeneration(2L)
                .endMetadata()
                .withNewSpec()
                .withReplicas(1)
                .withNewTemplate()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage(image)
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .withNewStatus()
                .withObservedGeneration(2L)
                .withReplicas(1)
                .withUpdatedReplicas(rolledOut ? 1 : 0)
                .withAvailableReplicas(rolledOut ? 1 : 0)
                .withConditions(List.of())
                .endStatus()
                .build();
    }
}
