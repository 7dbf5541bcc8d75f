package dev.darkfactory.operator.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.darkfactory.operator.contract.Placeholders.Generated;
import dev.darkfactory.operator.contract.Placeholders.Kind;
import dev.darkfactory.operator.contract.Placeholders.Variable;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlaceholdersTest {

    @Test
    void findsGeneratorsAndVariablesInOrder() {
        assertThat(Placeholders.in("/a/{{ id }}?n={{int -5 5}}&w={{word}}&u={{uuid}}&e={{email}}"))
                .containsExactly(
                        new Variable("id"),
                        new Generated(Kind.INT, -5, 5),
                        new Generated(Kind.WORD, 0, 0),
                        new Generated(Kind.UUID, 0, 0),
                        new Generated(Kind.EMAIL, 0, 0));
        assertThat(Placeholders.in("{\"a\":{\"b\":1}} {single} }}")).isEmpty();
        assertThat(Placeholders.in(null)).isEmpty();
    }

    @Test
    void expandsEveryOccurrenceThroughTheGivenValues() {
        int[] calls = {0};
        String expanded =
                Placeholders.expand(
                        "{{word}}-{{word}}/{{id}}/$1\\",
                        placeholder -> {
                            calls[0]++;
                            return placeholder instanceof Variable v
                                    ? v.name().toUpperCase()
                                    : "w" + calls[0];
                        });

        assertThat(expanded).isEqualTo("w1-w2/ID/$1\\");
    }

    @Test
    void badPlaceholdersAreNamed() {
        assertThatThrownBy(() -> Placeholders.in("/x/{{}}")).hasMessage("empty placeholder {{}}");
        assertThatThrownBy(() -> Placeholders.in("{{a b}}"))
                .hasMessage(
                        "{{a b}} is neither a variable name nor a generator (uuid, int, word, email)");
        assertThatThrownBy(() -> Placeholders.in("{{int 1 x}}"))
                .hasMessageStartingWith("{{int 1 x}}: 'x' is not a whole number");
        assertThatThrownBy(() -> Placeholders.in("{{uuid 4}}"))
                .hasMessage("{{uuid 4}}: uuid takes no arguments");
        assertThatThrownBy(() -> Placeholders.generator("id"))
                .hasMessageContaining("is not a generator");
    }

    @Test
    void generatorNamesAreNotVariableNames() {
        assertThat(List.of("id", "_x", "todoId2")).allMatch(Placeholders::isVariableName);
        assertThat(List.of("uuid", "int", "2x", "a-b", "")).noneMatch(Placeholders::isVariableName);
    }
}
