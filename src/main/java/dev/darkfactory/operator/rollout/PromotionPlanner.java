package dev.darkfactory.operator.rollout;

import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.RevisionStatus;
import dev.darkfactory.operator.api.v1alpha1.RolloutFailure;
import dev.darkfactory.operator.api.v1alpha1.RolloutStatus;
import dev.darkfactory.operator.api.v1alpha1.RunPhase;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntentStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Blue/green promotion as a pure function of the intent's status, its latest run, what the revision
 * Deployments report and how the candidate's verification went. Each passing image runs as a
 * revision of its own ({@code <intent>-<revision>}) beside the serving one; the intent's Service
 * keeps selecting the serving revision until the candidate is Available and verified, then
 * switches. A candidate that fails verification or does not become Available in time is removed and
 * recorded as {@code failedRollout}. Earlier revisions stay scaled to 0 (up to {@code
 * revisionHistoryLimit}) so a rollback ({@code spec.serve.revision}) is a scale-up followed by a
 * selector switch. Everything is derived from the status and the API server's objects, so a
 * restarted operator decides the same.
 */
public final class PromotionPlanner {

    public enum Outcome {
        /** Nothing changed. */
        STEADY,
        /** A candidate revision started beside the serving one. */
        STARTED,
        /** Waiting for the candidate (or the revision rolled back to) to become Available. */
        PROGRESSING,
        /** The candidate is Available; its verification runs. */
        VERIFYING,
        /** The candidate passed verification and the Service selects it now. */
        PROMOTED,
        /** The candidate failed verification: removed, recorded as failedRollout. */
        VERIFICATION_FAILED,
        /** The candidate did not become Available in time: removed, recorded as failedRollout. */
        UNAVAILABLE,
        /** A kept revision is scaling up to serve again. */
        ROLLBACK_STARTED,
        /** The kept revision is Available and the Service selects it again. */
        ROLLED_BACK,
        /** The kept revision did not become Available in time; what served still serves. */
        ROLLBACK_TIMED_OUT,
        /** spec.serve.revision names no kept revision; what served still serves. */
        UNKNOWN_PIN
    }

    /** What the API server says about one revision's Deployment. */
    public record Observed(boolean available, boolean deadlineExceeded) {}

    /** Where the verification of the candidate stands. */
    public enum Verification {
        NOT_STARTED,
        RUNNING,
        PASSED,
        FAILED
    }

    /**
     * @param message why verification failed, already free of held-out text (counts only)
     */
    public record VerificationResult(Verification state, String message) {
        public static final VerificationResult NONE =
                new VerificationResult(Verification.NOT_STARTED, null);
    }

    /**
     * @param revisions the intent's revision Deployments, by revision
     * @param pin spec.serve.revision, null for the latest verified revision
     * @param drain how long the revision that served before a switch keeps its replicas: kube-proxy
     *     on every node must have taken the Service's new endpoints before the old pods go
     */
    public record Inputs(
            String intent,
            SoftwareIntentStatus current,
            FactoryRun latest,
            Map<String, Observed> revisions,
            VerificationResult verification,
            boolean paused,
            String pin,
            int historyLimit,
            Duration timeout,
            Duration drain,
            Instant now) {}

    /** A revision Deployment the intent wants: with its replicas, or scaled to 0. */
    public record Revision(RevisionStatus revision, boolean active) {}

    /**
     * @param revisions the revision Deployments to keep; every other one of the intent is deleted
     * @param selected the revision the intent's Service selects; null while none was verified
     * @param verify the candidate to verify now (its Service and verification pod), or null
     * @param failure a new failure record, or null to keep the current one
     * @param message what happened, for Events and status (never held-out text)
     */
    public record Plan(
            Outcome outcome,
            List<Revision> revisions,
            String selected,
            RevisionStatus verify,
            RevisionStatus serving,
            String servingSince,
            List<RevisionStatus> kept,
            RolloutStatus rollout,
            RolloutFailure failure,
            String message) {

        /** A revision drains or a rollout runs: look again soon. */
        public boolean inMotion() {
            return rollout != null || revisions.stream().filter(Revision::active).count() > 1;
        }

        /**
         * When the intent should look again, if at all. A rollout is bounded by time as well as by
         * what the Deployments report: after {@code poll}. A revision that served before and only
         * drains: at the end of its drain if that is sooner, so it scales down on time rather than
         * up to a poll later.
         */
        public Optional<Duration> lookAgainIn(Duration poll, Duration drain, Instant now) {
            if (!inMotion()) {
                return Optional.empty();
            }
            if (rollout != null || servingSince == null) {
                return Optional.of(poll);
            }
            Duration left = Duration.between(now, Instant.parse(servingSince).plus(drain));
            Duration atDrainEnd = (left.isNegative() ? Duration.ZERO : left).plus(PAST_DRAIN_END);
            return Optional.of(atDrainEnd.compareTo(poll) < 0 ? atDrainEnd : poll);
        }
    }

    /** How far past a drain's end the intent looks again, so that it finds the drain over. */
    static final Duration PAST_DRAIN_END = Duration.ofMillis(250);

    private PromotionPlanner() {}

    /**
     * The revision of a run's attempt: the run's name without the intent's prefix, and the attempt
     * ({@code todo-g2-4f1c9a}, attempt 1: {@code g2-4f1c9a-a1}).
     */
    public static String revisionName(String intent, String run, int attempt) {
        String base = run.startsWith(intent + "-") ? run.substring(intent.length() + 1) : run;
        return base + "-a" + attempt;
    }

    public static Plan decide(Inputs in) {
        SoftwareIntentStatus status =
                in.current() == null ? new SoftwareIntentStatus() : in.current();
        State state = State.of(status, in.intent());
        if (in.paused()) {
            return state.steady(in, Outcome.STEADY, null, null);
        }
        RolloutStatus rollout = status.rollout;
        if (rollout != null
                && rollout.revision != null
                && !rollout.rollingBack()
                && in.pin() != null) {
            // A pin stops a promotion under way: the candidate goes, nothing is recorded against
            // its image, and it is promoted again once the pin is cleared.
            return state.steady(in, Outcome.STEADY, null, null);
        }
        if (rollout != null && rollout.revision != null) {
            return rollout.rollingBack()
                    ? rollingBack(in, state, rollout)
                    : promoting(in, state, rollout);
        }
        if (state.serving != null && state.serving.revision == null) {
            // Served before revisions existed: the image becomes a revision first (it passed its
            // gate then), switched to like a rollback; then promotions go as for any revision.
            return startSwitch(in, state, state.kept.get(0));
        }
        String pin = in.pin();
        if (pin != null && (state.serving == null || !pin.equals(state.serving.revision))) {
            RevisionStatus target = find(state.kept, pin);
            if (target == null) {
                return state.steady(
                        in,
                        Outcome.UNKNOWN_PIN,
                        null,
                        "spec.serve.revision "
                                + pin
                                + " is not a kept revision ("
                                + (state.kept.isEmpty()
                                        ? "none is kept"
                                        : "kept: "
                                                + String.join(
                                                        ", ",
                                                        state.kept.stream()
                                                                .map(r -> r.revision)
                                                                .toList()))
                                + "); "
                                + state.servingNow());
            }
            return startSwitch(in, state, target);
        }
        if (pin == null && readyToRollOut(in.latest(), status)) {
            int attempt = in.latest().getStatus().currentAttempt;
            var next =
                    new RevisionStatus(
                            revisionName(in.intent(), in.latest().getMetadata().getName(), attempt),
                            in.latest().getMetadata().getName(),
                            in.latest().getStatus().image);
            RevisionStatus verifiedBefore = find(state.kept, next.revision);
            if (verifiedBefore != null) {
                // Served once and kept (a pin was cleared after a rollback): no need to verify
                // again, it is switched to like a rollback.
                return startSwitch(in, state, verifiedBefore);
            }
            RolloutStatus started =
                    new RolloutStatus(
                            next.revision,
                            next.run,
                            attempt,
                            next.image,
                            timestamp(in.now()),
                            false);
            return state.withRollout(
                    in,
                    Outcome.STARTED,
                    started,
                    next,
                    null,
                    "revision "
                            + next.revision
                            + " ("
                            + next.image
                            + " of run "
                            + next.run
                            + ") starts beside the serving one; the Service switches to it once it"
                            + " is Available and verified in its production configuration");
        }
        return state.steady(in, Outcome.STEADY, null, null);
    }

    private static Plan promoting(Inputs in, State state, RolloutStatus rollout) {
        RevisionStatus candidate = fromRollout(rollout);
        Observed observed = in.revisions().get(rollout.revision);
        boolean available = observed != null && observed.available();
        VerificationResult verification = in.verification();
        if (verification.state() == Verification.FAILED) {
            String message =
                    "revision "
                            + candidate.revision
                            + " failed verification in its production configuration"
                            + " (spec.serve.env, Secrets, resources, Service and NetworkPolicy as"
                            + " served): "
                            + verification.message();
            return state.steady(
                    in, Outcome.VERIFICATION_FAILED, failure(rollout, message), message);
        }
        if (!available && (late(rollout, in) || observed != null && observed.deadlineExceeded())) {
            String message =
                    "revision "
                            + candidate.revision
                            + " did not become Available within spec.serve.rolloutTimeout";
            return state.steady(in, Outcome.UNAVAILABLE, failure(rollout, message), message);
        }
        if (available && verification.state() == Verification.PASSED) {
            return state.switchedTo(
                    in,
                    Outcome.PROMOTED,
                    candidate,
                    "revision "
                            + candidate.revision
                            + " passed verification; the Service selects it now"
                            + (state.serving == null || state.serving.revision == null
                                    ? ""
                                    : " instead of " + state.serving.revision));
        }
        return state.withRollout(
                in,
                available ? Outcome.VERIFYING : Outcome.PROGRESSING,
                rollout,
                candidate,
                available ? candidate : null,
                null);
    }

    private static Plan rollingBack(Inputs in, State state, RolloutStatus rollout) {
        RevisionStatus target = find(state.kept, rollout.revision);
        if (target == null || in.pin() != null && !in.pin().equals(rollout.revision)) {
            // The pin moved on, or the revision is no longer kept: this switch is not wanted.
            return state.steady(in, Outcome.STEADY, null, null);
        }
        Observed observed = in.revisions().get(target.revision);
        if (observed != null && observed.available()) {
            return state.switchedTo(
                    in,
                    Outcome.ROLLED_BACK,
                    target,
                    "revision "
                            + target.revision
                            + " is Available again; the Service selects it"
                            + (state.serving == null || state.serving.revision == null
                                    ? ""
                                    : " instead of " + state.serving.revision));
        }
        if (late(rollout, in)) {
            return state.steady(
                    in,
                    Outcome.ROLLBACK_TIMED_OUT,
                    null,
                    "revision "
                            + target.revision
                            + " did not become Available within spec.serve.rolloutTimeout; "
                            + state.servingNow()
                            + "; the switch is tried again while spec.serve.revision names it");
        }
        return state.withRollout(in, Outcome.PROGRESSING, rollout, target, null, null);
    }

    private static Plan startSwitch(Inputs in, State state, RevisionStatus target) {
        RolloutStatus started =
                new RolloutStatus(
                        target.revision, target.run, null, target.image, timestamp(in.now()), true);
        return state.withRollout(
                in,
                Outcome.ROLLBACK_STARTED,
                started,
                target,
                null,
                "revision "
                        + target.revision
                        + " ("
                        + target.image
                        + ") scales up; the Service switches to it once it is Available");
    }

    /** What the status says serves, and what is kept: the ground the plans stand on. */
    private record State(
            RevisionStatus serving,
            String servingSince,
            List<RevisionStatus> kept,
            SoftwareIntentStatus status) {

        static State of(SoftwareIntentStatus status, String intent) {
            // An image that served before revisions existed has no revision: its Deployment is
            // named after the intent, and it serves until the first promotion.
            RevisionStatus serving =
                    status.servingImage == null
                            ? null
                            : new RevisionStatus(
                                    status.servingRevision, status.servingRun, status.servingImage);
            List<RevisionStatus> kept = new ArrayList<>();
            if (serving != null && serving.revision == null) {
                kept.add(adopted(status, intent));
            }
            if (status.keptRevisions != null) {
                kept.addAll(status.keptRevisions);
            }
            return new State(serving, status.servingSince, List.copyOf(kept), status);
        }

        /**
         * The revision an image served before revisions existed becomes: attempt 0 of its run, as
         * the attempt that passed is not on record.
         */
        private static RevisionStatus adopted(SoftwareIntentStatus status, String intent) {
            String run = status.servingRun == null ? intent + "-served" : status.servingRun;
            return new RevisionStatus(
                    revisionName(intent, run, 0), status.servingRun, status.servingImage);
        }

        /** No rollout: what serves keeps serving; drained revisions scale to 0. */
        Plan steady(Inputs in, Outcome outcome, RolloutFailure failure, String message) {
            boolean draining = draining(servingSince, in);
            List<RevisionStatus> trimmed = trim(kept, in.historyLimit(), draining);
            RolloutStatus rollout = in.paused() ? status.rollout : null;
            List<Revision> revisions = revisions(serving, null, trimmed, draining);
            if (in.paused() && rollout != null && rollout.revision != null) {
                // Paused mid-rollout: nothing is applied, but nothing is deleted either.
                revisions = new ArrayList<>(revisions);
                revisions.add(new Revision(fromRollout(rollout), true));
            }
            return new Plan(
                    outcome,
                    revisions,
                    serving == null ? null : serving.revision,
                    null,
                    provenBy(in, serving),
                    servingSince,
                    trimmed,
                    rollout,
                    failure,
                    message);
        }

        /** A candidate (or a kept revision) runs beside what serves; the Service does not move. */
        Plan withRollout(
                Inputs in,
                Outcome outcome,
                RolloutStatus rollout,
                RevisionStatus next,
                RevisionStatus verify,
                String message) {
            boolean draining = draining(servingSince, in);
            List<RevisionStatus> others = without(kept, next.revision);
            List<Revision> revisions = revisions(serving, next, others, draining);
            return new Plan(
                    outcome,
                    revisions,
                    serving == null ? null : serving.revision,
                    verify,
                    serving,
                    servingSince,
                    kept,
                    rollout,
                    null,
                    message);
        }

        /**
         * The Service selects {@code next} now; what served before drains with its replicas, first
         * in the kept list, and is trimmed with the others once drained.
         */
        Plan switchedTo(Inputs in, Outcome outcome, RevisionStatus next, String message) {
            List<RevisionStatus> newKept = new ArrayList<>();
            boolean drains = serving != null && serving.revision != null;
            if (drains) {
                newKept.add(serving);
            }
            newKept.addAll(without(kept, next.revision));
            List<RevisionStatus> trimmed = trim(newKept, in.historyLimit(), drains);
            String since = timestamp(in.now());
            return new Plan(
                    outcome,
                    revisions(next, null, trimmed, drains),
                    next.revision,
                    null,
                    next,
                    since,
                    trimmed,
                    null,
                    null,
                    message);
        }

        String servingNow() {
            return serving == null
                    ? "nothing serves yet"
                    : "revision "
                            + (serving.revision == null ? "(before revisions)" : serving.revision)
                            + " keeps serving";
        }

        /**
         * A newer run that passed with the very image that serves (builds are reproducible) now
         * stands for it in status.
         */
        private static RevisionStatus provenBy(Inputs in, RevisionStatus serving) {
            FactoryRun latest = in.latest();
            if (serving != null
                    && latest != null
                    && latest.getStatus() != null
                    && latest.getStatus().phase == RunPhase.Succeeded
                    && serving.image != null
                    && serving.image.equals(latest.getStatus().image)) {
                return new RevisionStatus(
                        serving.revision, latest.getMetadata().getName(), serving.image);
            }
            return serving;
        }
    }

    /**
     * The Deployments: what serves and the one coming up with their replicas; the kept ones at 0,
     * except the first while it drains after a switch.
     */
    private static List<Revision> revisions(
            RevisionStatus serving,
            RevisionStatus next,
            List<RevisionStatus> kept,
            boolean draining) {
        List<Revision> revisions = new ArrayList<>();
        if (serving != null && serving.revision != null) {
            revisions.add(new Revision(serving, true));
        }
        if (next != null) {
            revisions.add(new Revision(next, true));
        }
        for (int i = 0; i < kept.size(); i++) {
            revisions.add(new Revision(kept.get(i), draining && i == 0));
        }
        return revisions;
    }

    /** At most {@code limit} kept revisions; one more while the first still drains. */
    private static List<RevisionStatus> trim(
            List<RevisionStatus> kept, int limit, boolean draining) {
        int keep = Math.max(limit, draining && !kept.isEmpty() ? 1 : 0);
        return List.copyOf(kept.subList(0, Math.min(keep, kept.size())));
    }

    private static boolean draining(String servingSince, Inputs in) {
        return servingSince != null
                && Instant.parse(servingSince).plus(in.drain()).isAfter(in.now());
    }

    /**
     * The latest run passed with an image that does not serve yet, and that attempt has not failed
     * to roll out already (its run has not read the failure yet and still says Succeeded).
     */
    private static boolean readyToRollOut(FactoryRun latest, SoftwareIntentStatus status) {
        if (latest == null
                || latest.getStatus() == null
                || latest.getStatus().phase != RunPhase.Succeeded
                || latest.getStatus().image == null
                || latest.getStatus().currentAttempt == null
                || latest.getStatus().image.equals(status.servingImage)) {
            return false;
        }
        RolloutFailure failed = status.failedRollout;
        return failed == null
                || !failed.of(latest.getMetadata().getName(), latest.getStatus().currentAttempt);
    }

    private static boolean late(RolloutStatus rollout, Inputs in) {
        return Instant.parse(rollout.startTime).plus(in.timeout()).isBefore(in.now());
    }

    private static RolloutFailure failure(RolloutStatus rollout, String message) {
        return new RolloutFailure(rollout.run, rollout.attempt, rollout.image, message);
    }

    private static RevisionStatus fromRollout(RolloutStatus rollout) {
        return new RevisionStatus(rollout.revision, rollout.run, rollout.image);
    }

    private static RevisionStatus find(List<RevisionStatus> revisions, String name) {
        return revisions.stream()
                .filter(r -> Objects.equals(r.revision, name))
                .findFirst()
                .orElse(null);
    }

    private static List<RevisionStatus> without(List<RevisionStatus> revisions, String name) {
        return revisions.stream().filter(r -> !Objects.equals(r.revision, name)).toList();
    }

    private static String timestamp(Instant now) {
        return now.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
