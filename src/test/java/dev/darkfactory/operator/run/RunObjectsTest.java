package dev.darkfactory.operator.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.OwnerReferences;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * {@link RunObjects#createOrKeep} against the API server's answers, one by one: what a create that
 * conflicts and the look that follows it find decides whether the run goes on, waits or fails.
 */
class RunObjectsTest {

    private final FactoryRun run = RunFixtures.run(3);
    private final ConfigMap desired = RunInputs.attemptInput(run, 1);
    private int creates;

    /** Creates that answer in turn: 409 for {@code conflicts} calls, then the object. */
    private Supplier<ConfigMap> createAnswering(int conflicts) {
        return () -> {
            creates++;
            if (creates <= conflicts) {
                throw conflict();
            }
            return desired;
        };
    }

    /** Looks that find, in turn, what is given (null: nothing). */
    private static Supplier<HasMetadata> reads(HasMetadata... found) {
        Deque<HasMetadata> answers = new ArrayDeque<>(Arrays.asList(found));
        return () -> answers.isEmpty() ? null : answers.poll();
    }

    @Test
    void anObjectGoneBetweenTheConflictAndTheLookIsCreatedAgain() {
        ConfigMap created = RunObjects.createOrKeep(run, desired, createAnswering(1), reads());

        assertThat(created).as("made, not kept: nothing was there to keep").isSameAs(desired);
        assertThat(creates).isEqualTo(2);
    }

    @Test
    void anObjectThatKeepsVanishingEndsInTheConflictAfterABoundedNumberOfCreates() {
        assertThatThrownBy(
                        () ->
                                RunObjects.createOrKeep(
                                        run, desired, createAnswering(Integer.MAX_VALUE), reads()))
                .isInstanceOf(KubernetesClientException.class)
                .extracting(e -> ((KubernetesClientException) e).getCode())
                .isEqualTo(409);
        assertThat(creates).isEqualTo(RunObjects.CREATES);
    }

    @Test
    void theRunsOwnObjectIsKept() {
        ConfigMap own =
                new ConfigMapBuilder(desired)
                        .editMetadata()
                        .withUid("input-uid")
                        .endMetadata()
                        .build();

        assertThat(RunObjects.createOrKeep(run, desired, createAnswering(1), reads(own))).isNull();
        assertThat(creates).isEqualTo(1);
    }

    @Test
    void whatAnEarlierRunOfTheNameLeftMakesTheRunWait() {
        ConfigMap left =
                new ConfigMapBuilder(desired)
                        .editMetadata()
                        .withOwnerReferences(
                                new OwnerReferenceBuilder(OwnerReferences.controlledBy(run))
                                        .withUid("uid-of-the-deleted-run")
                                        .build())
                        .endMetadata()
                        .build();

        assertThatThrownBy(
                        () ->
                                RunObjects.createOrKeep(
                                        run, desired, createAnswering(1), reads(left)))
                .isInstanceOf(RunObjects.LeftoverObjectException.class)
                .hasMessageContaining("uid-of-the-deleted-run");
    }

    @Test
    void anotherRefusalIsNotLookedInto() {
        Supplier<HasMetadata> read =
                () -> {
                    throw new AssertionError("a refusal other than 409 needs no look");
                };
        Supplier<ConfigMap> forbidden =
                () -> {
                    throw new KubernetesClientException(
                            new StatusBuilder().withCode(403).withMessage("forbidden").build());
                };

        assertThatThrownBy(() -> RunObjects.createOrKeep(run, desired, forbidden, read))
                .isInstanceOf(KubernetesClientException.class)
                .extracting(e -> ((KubernetesClientException) e).getCode())
                .isEqualTo(403);
    }

    private static KubernetesClientException conflict() {
        return new KubernetesClientException(
                new StatusBuilder().withCode(409).withReason("AlreadyExists").build());
    }
}
