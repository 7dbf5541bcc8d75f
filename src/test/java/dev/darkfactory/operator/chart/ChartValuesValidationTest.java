package dev.darkfactory.operator.chart;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Wrong values fail {@code helm template} (and so {@code helm install}) before anything reaches the
 * cluster, with a message that names the value at fault: values.schema.json for types, names and
 * unknown keys, the templates for rules across values.
 */
class ChartValuesValidationTest {

    record Case(String title, Map<String, Object> values, String[] expectedInMessage) {
        @Override
        public String toString() {
            return title;
        }
    }

    static Stream<Arguments> wrongValues() {
        return Stream.of(
                        new Case(
                                "a number given as text",
                                Map.of("operator", Map.of("maxConcurrentRuns", "two")),
                                new String[] {"/operator/maxConcurrentRuns", "want integer"}),
                        new Case(
                                "a flag given as text",
                                Map.of("registry", Map.of("insecure", "yes")),
                                new String[] {"/registry/insecure", "want boolean"}),
                        new Case(
                                "a misspelt key",
                                Map.of("operator", Map.of("maxConcurentRuns", 3)),
                                new String[] {"/operator", "maxConcurentRuns", "not allowed"}),
                        new Case(
                                "a concurrency cap of zero",
                                Map.of("operator", Map.of("maxConcurrentRuns", 0)),
                                new String[] {"/operator/maxConcurrentRuns"}),
                        new Case(
                                "an unknown pull policy",
                                Map.of("image", Map.of("pullPolicy", "Sometimes")),
                                new String[] {"/image/pullPolicy", "IfNotPresent"}),
                        new Case(
                                "a namespace that is no DNS label",
                                Map.of("watchNamespaces", List.of("Team_A")),
                                new String[] {"/watchNamespaces/0", "Team_A"}),
                        new Case(
                                "a duration without unit",
                                Map.of("operator", Map.of("healthTimeout", "60")),
                                new String[] {"/operator/healthTimeout", "60"}),
                        new Case(
                                "a registry address with a scheme",
                                Map.of("registry", Map.of("address", "https://registry.local")),
                                new String[] {"/registry/address"}),
                        new Case(
                                "no push Secret without allowAnonymousPush",
                                Map.of("registry", Map.of("pushSecret", "")),
                                new String[] {"allowAnonymousPush"}),
                        new Case(
                                "a base image list entry with a comma",
                                Map.of("operator", Map.of("allowedBaseImages", List.of("a:1,b:2"))),
                                new String[] {"/operator/allowedBaseImages/0"}),
                        new Case(
                                "a generator nobody knows",
                                Map.of(
                                        "generatorClasses",
                                        Map.of("gemini", Map.of("enabled", true))),
                                new String[] {"/generatorClasses", "gemini"}),
                        new Case(
                                "an agent enabled without an image",
                                Map.of(
                                        "generatorClasses",
                                        Map.of("aider", Map.of("enabled", true))),
                                new String[] {"generatorClasses.aider.image"}),
                        new Case(
                                "two default classes",
                                Map.of(
                                        "generatorClasses",
                                        Map.of(
                                                "codex",
                                                Map.of(
                                                        "enabled",
                                                        true,
                                                        "default",
                                                        true,
                                                        "image",
                                                        "registry.local/agents/codex:1"))),
                                new String[] {"builtin, codex", "default"}))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wrongValues")
    void rejectsWithAMessageNamingTheValue(Case wrong) {
        assertThatThrownBy(() -> HelmChart.template("df", "df-system", wrong.values()))
                .hasMessageContainingAll(wrong.expectedInMessage());
    }
}
