package dev.darkfactory.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The chart installs the same CRDs as crds/ (which CrdDriftTest keeps equal to the Java model).
 * When this fails, run {@code make crds}, which copies them to both places.
 */
class ChartCrdsTest {

    private static final Path COMMITTED = Path.of("crds");
    private static final Path CHART = HelmChart.DIR.resolve("crds");

    @Test
    void chartCrdsAreTheCommittedCrds() throws IOException {
        assertThat(names(CHART))
                .as("CRD files in %s; run make crds", CHART)
                .isEqualTo(names(COMMITTED));
        for (String name : names(COMMITTED)) {
            assertThat(Files.readString(CHART.resolve(name)))
                    .as("%s differs from crds/%s; run make crds", CHART.resolve(name), name)
                    .isEqualTo(Files.readString(COMMITTED.resolve(name)));
        }
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }
}
