package dev.darkfactory.operator.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.darkfactory.operator.api.v1alpha1.ModelBudget;
import dev.darkfactory.operator.testing.TestApiServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The ModelBudgets under examples/budgets/ are accepted by the API server as they are. */
class BudgetExamplesTest {

    @Test
    void theApiServerAcceptsTheBudgetExamples() throws IOException {
        String namespace = TestApiServer.newNamespace("budgets");
        List<ModelBudget> budgets =
                Stream.of(
                                Files.readString(
                                                Path.of("examples", "budgets", "team-budgets.yaml"))
                                        .split("(?m)^---$"))
                        .map(doc -> Serialization.unmarshal(doc, ModelBudget.class))
                        .toList();

        assertThat(budgets).hasSize(2).allMatch(b -> "ModelBudget".equals(b.getKind()));
        for (ModelBudget written : budgets) {
            ModelBudget stored =
                    TestApiServer.client().resource(written).inNamespace(namespace).create();
            assertThat(stored.getSpec()).usingRecursiveComparison().isEqualTo(written.getSpec());
        }
    }
}
