package dev.darkfactory.operator.intent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.darkfactory.operator.testing.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

class GeneratorClassResolverTest {

    @Test
    void namedClassWins() {
        var resolution =
                GeneratorClassResolver.resolve(
                        "claude",
                        List.of(
                                Fixtures.generatorClass("builtin", true),
                                Fixtures.generatorClass("claude", false)));

        assertThat(resolution.resolved()).isTrue();
        assertThat(resolution.generatorClass().getMetadata().getName()).isEqualTo("claude");
    }

    @Test
    void missingNamedClassNamesTheField() {
        var resolution =
                GeneratorClassResolver.resolve(
                        "nope", List.of(Fixtures.generatorClass("builtin", true)));

        assertThat(resolution.resolved()).isFalse();
        assertThat(resolution.problem().reason()).isEqualTo("GeneratorClassNotFound");
        assertThat(resolution.problem().message())
                .isEqualTo(
                        "spec.generatorClassName: GeneratorClass \"nope\" does not exist; create it or name an existing class");
    }

    @Test
    void unsetNameTakesTheSingleDefault() {
        var resolution =
                GeneratorClassResolver.resolve(
                        null,
                        List.of(
                                Fixtures.generatorClass("other", false),
                                Fixtures.generatorClass("builtin", true)));

        assertThat(resolution.generatorClass().getMetadata().getName()).isEqualTo("builtin");
    }

    @Test
    void unsetNameWithoutDefaultIsAProblem() {
        var resolution =
                GeneratorClassResolver.resolve(
                        null, List.of(Fixtures.generatorClass("other", false)));

        assertThat(resolution.problem().reason()).isEqualTo("NoDefaultGeneratorClass");
        assertThat(resolution.problem().message())
                .startsWith("spec.generatorClassName: not set")
                .contains("darkfactory.dev/is-default-class=true");
    }

    @Test
    void twoDefaultsAreAmbiguous() {
        var resolution =
                GeneratorClassResolver.resolve(
                        null,
                        List.of(
                                Fixtures.generatorClass("b", true),
                                Fixtures.generatorClass("a", true)));

        assertThat(resolution.problem().reason()).isEqualTo("AmbiguousDefaultGeneratorClass");
        assertThat(resolution.problem().message()).contains("(a, b)");
    }
}
