package dev.darkfactory.operator.intent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IntentNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"todo", "a", "todo-api-2", "abcdefghijklmnopqrstuvwxyz-0123456789-ab"})
    void namesThatCanNameAServiceAndItsRunsPass(String name) {
        assertThat(IntentNames.problems(name)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"my.app", "2048-game", "todo-", "-todo"})
    void namesKubernetesTakesButAServiceCannotAreReportedOnMetadataName(String name) {
        assertThat(IntentNames.problems(name))
                .singleElement()
                .satisfies(
                        problem -> {
                            assertThat(problem.reason()).isEqualTo("NameNotAServiceName");
                            assertThat(problem.message())
                                    .startsWith("metadata.name: \"" + name + "\" cannot name");
                        });
    }

    @ParameterizedTest
    @ValueSource(ints = {41, 63})
    void namesTooLongForTheRunNamesAreReported(int length) {
        assertThat(IntentNames.problems("x".repeat(length)))
                .extracting(SpecProblem::reason)
                .containsExactly("NameTooLong");
    }
}
