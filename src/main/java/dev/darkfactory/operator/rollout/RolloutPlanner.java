package dev.darkfactory.operator.rollout;

import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.RolloutFailure;
import dev.darkfactory.operator.api.v1alpha1.RolloutStatus;
import dev.darkfactory.operator.api.v1alpha1.RunPhase;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntentStatus;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Decides what the Deployment should run, as a pure function. The serving image changes only when a
 * new one has become Available; until then the old one keeps serving. A new image that does not
 * become Available within the rollout timeout is rolled back to the serving image.
 */
public final class RolloutPlanner {

    public enum Outcome {
        /** Nothing changed. */
        STEADY,
        /** A new image started rolling out. */
        STARTED,
        /** Waiting for the new image to become Available. */
        PROGRESSING,
        /** The new image became Available and serves now. */
        SUCCEEDED,
        /**
         * The new image did not become Available in time; the serving image is back (if there is
         * one).
         */
        FAILED
    }

    /**
     * @param deployImage the image the Deployment should run, null when there is nothing to serve
     *     yet
     * @param deployRun the run that image came from
     */
    public record Decision(
            Outcome outcome,
            String deployImage,
            String deployRun,
            String servingImage,
            String servingRun,
            RolloutStatus rollout) {}

    private RolloutPlanner() {}

    public static Decision decide(
            SoftwareIntentStatus current,
            FactoryRun latest,
            Deployment deployment,
            boolean paused,
            Duration timeout,
            Instant now) {
        String servingImage = current == null ? null : current.servingImage;
        String servingRun = current == null ? null : current.servingRun;
        RolloutStatus rollout = current == null ? null : current.rollout;
        if (rollout != null) {
            if (DeploymentHealth.rolledOut(deployment, rollout.image)) {
                return new Decision(
                        Outcome.SUCCEEDED,
                        rollout.image,
                        rollout.run,
                        rollout.image,
                        rollout.run,
                        null);
            }
            boolean late = Instant.parse(rollout.startTime).plus(timeout).isBefore(now);
            if (late
                    || DeploymentHealth.progressDeadlineExceeded(deployment)
                            && isImage(deployment, rollout.image)) {
                String back = servingImage != null ? servingImage : rollout.image;
                return new Decision(
                        Outcome.FAILED,
                        back,
                        servingImage != null ? servingRun : rollout.run,
                        servingImage,
                        servingRun,
                        null);
            }
            return new Decision(
                    Outcome.PROGRESSING,
                    rollout.image,
                    rollout.run,
                    servingImage,
                    servingRun,
                    rollout);
        }
        if (!paused
                && readyToRollOut(
                        latest, servingImage, current == null ? null : current.failedRollout)) {
            var started =
                    new RolloutStatus(
                            latest.getMetadata().getName(),
                            latest.getStatus().currentAttempt,
                            latest.getStatus().image,
                            now.truncatedTo(ChronoUnit.SECONDS).toString());
            return new Decision(
                    Outcome.STARTED, started.image, started.run, servingImage, servingRun, started);
        }
        // A newer run that passed with the very image that serves (builds are reproducible) now
        // stands for it: nothing rolls out, but status names the run that last proved it.
        String provenBy =
                passedWith(latest, servingImage) ? latest.getMetadata().getName() : servingRun;
        return new Decision(Outcome.STEADY, servingImage, provenBy, servingImage, provenBy, null);
    }

    /**
     * The latest run passed with an image that does not serve yet, and that attempt has not failed
     * to roll out already (its run has not read the failure yet and still says Succeeded).
     */
    private static boolean readyToRollOut(
            FactoryRun latest, String servingImage, RolloutFailure failed) {
        if (latest == null
                || latest.getStatus() == null
                || latest.getStatus().phase != RunPhase.Succeeded
                || latest.getStatus().image == null
                || latest.getStatus().image.equals(servingImage)) {
            return false;
        }
        return failed == null
                || !failed.of(latest.getMetadata().getName(), latest.getStatus().currentAttempt);
    }

    private static boolean passedWith(FactoryRun run, String image) {
        return image != null
                && run != null
                && run.getStatus() != null
                && run.getStatus().phase == RunPhase.Succeeded
                && image.equals(run.getStatus().image);
    }

    private static boolean isImage(Deployment deployment, String image) {
        return image.equals(DeploymentHealth.image(deployment));
    }
}
