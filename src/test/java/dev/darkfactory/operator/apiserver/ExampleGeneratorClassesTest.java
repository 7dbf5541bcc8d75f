package dev.darkfactory.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.darkfactory.operator.api.v1alpha1.GeneratorClass;
import dev.darkfactory.operator.testing.TestApiServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The example GeneratorClasses under examples/generatorclasses/ pass the CRD's validation on a real
 * API server (dry run, so the shared server keeps no default class), and the server prunes none of
 * their fields: a misspelt field would otherwise vanish without a word.
 */
// Its namespaces and operators are its own: in the parallel lane, its tests one by one.
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock("ExampleGeneratorClassesTest")
class ExampleGeneratorClassesTest {

    static List<Path> examples() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("examples/generatorclasses"))) {
            return files.filter(file -> file.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    @ParameterizedTest
    @MethodSource("examples")
    void isAcceptedAsWritten(Path example) throws IOException {
        GenericKubernetesResource written;
        try (InputStream in = Files.newInputStream(example)) {
            written = Serialization.unmarshal(in, GenericKubernetesResource.class);
        }
        assertThat(written.getKind()).isEqualTo("GeneratorClass");

        GenericKubernetesResource accepted =
                TestApiServer.client().resource(written).dryRun().create();

        // The server adds defaults (imagePullPolicy) but must keep every field as written.
        assertThat(spec(accepted)).containsAllEntriesOf(spec(written));
        GeneratorClass typed =
                Serialization.jsonMapper().convertValue(accepted, GeneratorClass.class);
        assertThat(typed.getSpec().allowedBaseImages).isNotEmpty();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(GenericKubernetesResource resource) {
        return (Map<String, Object>) resource.getAdditionalProperties().get("spec");
    }
}
