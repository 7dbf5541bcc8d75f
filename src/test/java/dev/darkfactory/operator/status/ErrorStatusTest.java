package dev.darkfactory.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.darkfactory.operator.api.v1alpha1.Condition;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An escaped exception as conditions: named, never with the values an object held. */
class ErrorStatusTest {

    private static final Clock CLOCK =
            Clock.fixed(Instant.parse("2026-01-01T12:00:00Z"), ZoneOffset.UTC);

    static KubernetesClientException invalidSecret() {
        return new KubernetesClientException(
                new StatusBuilder()
                        .withCode(422)
                        .withReason("Invalid")
                        .withMessage(
                                "Secret \"todo-holdout\" is invalid: data[checks.json]: Invalid value: \"s3cr3t-canary\"")
                        .withNewDetails()
                        .withKind("Secret")
                        .withName("todo-holdout")
                        .addNewCause()
                        .withField("data[checks.json]")
                        .withMessage("Invalid value: \"s3cr3t-canary\"")
                        .endCause()
                        .endDetails()
                        .build());
    }

    @Test
    void anApiRefusalNamesTheObjectAndFieldsButNotTheValues() {
        String message = ErrorStatus.describe(invalidSecret());

        assertThat(message).contains("422", "Invalid", "Secret todo-holdout", "data[checks.json]");
        assertThat(message).doesNotContain("s3cr3t-canary");
    }

    @Test
    void anExceptionOfTheOperatorsOwnCodeIsNamedWithItsMessage() {
        assertThat(ErrorStatus.describe(new IllegalStateException("no attempt to resume")))
                .isEqualTo("IllegalStateException: no attempt to resume");
        assertThat(
                        ErrorStatus.describe(
                                new java.io.UncheckedIOException(
                                        new java.io.IOException("{\"held\":\"out\"}"))))
                .as("other messages may quote what was read")
                .isEqualTo("UncheckedIOException (details in the operator's log)");
    }

    @Test
    void theConditionsSayReconcilingWithTheErrorAndARetryOfItChangesNothing() {
        List<Condition> first =
                ErrorStatus.conditions(List.of(), 3, CLOCK, new IllegalStateException("x"));

        Condition reconciling = StatusAggregator.find(first, StatusAggregator.RECONCILING);
        assertThat(reconciling.isTrue()).isTrue();
        assertThat(reconciling.reason).isEqualTo(ErrorStatus.REASON);
        assertThat(reconciling.message).contains("IllegalStateException: x", "retried");
        assertThat(reconciling.observedGeneration).isEqualTo(3L);
        assertThat(StatusAggregator.find(first, StatusAggregator.READY).isTrue()).isFalse();
        assertThat(
                        ErrorStatus.unchanged(
                                first,
                                ErrorStatus.conditions(
                                        first, 3, CLOCK, new IllegalStateException("x"))))
                .isTrue();
        assertThat(
                        ErrorStatus.unchanged(
                                first,
                                ErrorStatus.conditions(
                                        first, 3, CLOCK, new IllegalStateException("y"))))
                .isFalse();
    }
}
