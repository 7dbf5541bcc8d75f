package dev.darkfactory.operator.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.darkfactory.operator.api.v1alpha1.HttpCheck;
import dev.darkfactory.operator.api.v1alpha1.Scenario;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntent;
import dev.darkfactory.operator.intent.SpecValidator;
import dev.darkfactory.operator.run.RunNames;
import dev.darkfactory.operator.testing.TestApiServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The intents under examples/ stay valid as users apply them: the API server accepts each (a plain
 * create, as {@code kubectl create} does), the rules older servers cannot enforce hold, and each
 * has visible checks for the generator and held-out ones it never sees.
 */
class ExamplesTest {

    private static final Path DIR = Path.of("examples");

    static List<Path> examples() {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void thereIsARestApiAStaticSiteAndAWorker() {
        assertThat(examples())
                .extracting(f -> f.getFileName().toString())
                .contains("todo-rest-api.yaml", "static-site.yaml", "word-count-worker.yaml");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void theApiServerAcceptsTheExampleAsItIs(Path example) throws IOException {
        GenericKubernetesResource written =
                Serialization.unmarshal(Files.readString(example), GenericKubernetesResource.class);
        String namespace = TestApiServer.newNamespace("example");

        GenericKubernetesResource stored =
                TestApiServer.client().resource(written).inNamespace(namespace).create();

        assertKept(
                "spec",
                written.getAdditionalProperties().get("spec"),
                stored.getAdditionalProperties().get("spec"));
        SoftwareIntent created =
                Serialization.unmarshal(Serialization.asJson(stored), SoftwareIntent.class);
        assertThat(SpecValidator.validate(created.getSpec()))
                .as("rules the API server enforces only from 1.25")
                .isEmpty();
        assertThat(created.getMetadata().getName().length())
                .isLessThanOrEqualTo(RunNames.MAX_INTENT_NAME);
        assertThat(created.getSpec().generatorClassName)
                .as("examples use the default GeneratorClass")
                .isNull();
        List<HttpCheck> checks = created.getSpec().acceptance.checks;
        List<Scenario> scenarios = created.getSpec().acceptance.scenariosOrEmpty();
        assertThat(checks).as("visible checks").anyMatch(c -> !c.heldOut());
        assertThat(
                        checks.stream().anyMatch(HttpCheck::heldOut)
                                || scenarios.stream().anyMatch(Scenario::heldOut))
                .as("held-out checks or scenarios")
                .isTrue();
    }

    /**
     * Every field the file sets is stored as written. The API server drops fields its schema does
     * not know without a word, so a misspelt key shows up here as a field that was not kept.
     */
    private static void assertKept(String path, Object written, Object stored) {
        if (written instanceof Map<?, ?> fields) {
            assertThat(stored).as(path).isInstanceOf(Map.class);
            Map<?, ?> kept = (Map<?, ?>) stored;
            fields.forEach(
                    (key, value) -> {
                        assertThat(kept.containsKey(key))
                                .as(
                                        "%s.%s was dropped by the API server: not in the schema",
                                        path, key)
                                .isTrue();
                        assertKept(path + "." + key, value, kept.get(key));
                    });
        } else if (written instanceof List<?> items) {
            assertThat(stored).as(path).isInstanceOf(List.class);
            List<?> kept = (List<?>) stored;
            assertThat(kept).as(path).hasSameSizeAs(items);
            for (int i = 0; i < items.size(); i++) {
                assertKept(path + "[" + i + "]", items.get(i), kept.get(i));
            }
        } else {
            assertThat(String.valueOf(stored)).as(path).isEqualTo(String.valueOf(written));
        }
    }
}
