package dev.darkfactory.operator.chart;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The chart under helm/darkfactory, run through the real Helm engine (helm-java): the same template
 * rendering, schema validation and lint rules as the helm CLI.
 */
final class HelmChart {

    static final Path DIR = Path.of("helm", "darkfactory");

    private HelmChart() {}

    /**
     * {@code helm template RELEASE helm/darkfactory -n NAMESPACE -f VALUES}; values are merged over
     * values.yaml.
     */
    static RenderedChart template(String release, String namespace, Map<String, Object> values) {
        Path valuesFile = writeValues(values);
        try {
            return RenderedChart.parse(
                    new Helm(DIR)
                            .template()
                            .withName(release)
                            .withNamespace(namespace)
                            .withValuesFile(valuesFile)
                            .call());
        } finally {
            delete(valuesFile);
        }
    }

    /**
     * The NOTES.txt that {@code helm install} prints, from a client-only dry run that touches no
     * cluster.
     */
    static String installNotes(String release, String namespace, Map<String, Object> values) {
        Path valuesFile = writeValues(values);
        try {
            return new Helm(DIR)
                    .install()
                    .withName(release)
                    .withNamespace(namespace)
                    .withValuesFile(valuesFile)
                    .dryRun()
                    .clientOnly()
                    .call()
                    .getOutput();
        } finally {
            delete(valuesFile);
        }
    }

    /** {@code helm lint --strict helm/darkfactory}: warnings fail too. */
    static LintResult lintStrict() {
        return new Helm(DIR).lint().strict().call();
    }

    private static Path writeValues(Map<String, Object> values) {
        try {
            Path file = Files.createTempFile("darkfactory-values-", ".yaml");
            Files.writeString(file, Serialization.asYaml(values));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
