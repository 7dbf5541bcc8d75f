package dev.darkfactory.operator.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogsCommandTest {

    @Test
    void namesTheNamespacePodAndContainer() {
        assertThat(LogsCommand.of("team-a", "todo-g1-abc123-a2-gen", "build"))
                .isEqualTo("kubectl -n team-a logs todo-g1-abc123-a2-gen -c build");
    }

    @Test
    void aFailedRolloutPointsAtTheDeployment() {
        assertThat(LogsCommand.of("team-a", "deployment/todo", "app"))
                .isEqualTo("kubectl -n team-a logs deployment/todo -c app");
    }

    @Test
    void noCommandWithoutAContainerToReadFrom() {
        assertThat(LogsCommand.of("team-a", "todo-g1-abc123-a1-gen", null)).isNull();
        assertThat(LogsCommand.of("team-a", null, "build")).isNull();
    }
}
