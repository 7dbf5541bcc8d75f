package dev.darkfactory.operator.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The committed CRDs under crds/ must be exactly what the Java model generates (the build writes
 * them to target/crds). When this fails, run {@code make crds} and commit the result.
 */
class CrdDriftTest {

    private static final Path GENERATED = Path.of("target", "crds");
    private static final Path COMMITTED = Path.of("crds");

    @Test
    void committedCrdsMatchTheModel() throws IOException {
        List<Path> generated = list(GENERATED, "-v1.yml");
        assertThat(generated).as("CRDs generated into target/crds by the build").hasSize(4);
        for (Path file : generated) {
            String name = file.getFileName().toString().replace("-v1.yml", ".yaml");
            Path committed = COMMITTED.resolve(name);
            assertThat(committed).as("%s is missing; run make crds", committed).exists();
            assertThat(Files.readString(committed))
                    .as("%s differs from what the Java model generates; run make crds", committed)
                    .isEqualTo(Files.readString(file));
        }
        assertThat(list(COMMITTED, ".yaml"))
                .as("crds/ holds exactly the generated CRDs")
                .hasSameSizeAs(generated);
    }

    private static List<Path> list(Path dir, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }
}
