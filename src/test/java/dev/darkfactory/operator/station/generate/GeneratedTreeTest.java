package dev.darkfactory.operator.station.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.darkfactory.operator.station.Json;
import dev.darkfactory.operator.station.StationFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GeneratedTreeTest {

    private static final TreeLimits LIMITS = new TreeLimits(10, 100, 150);

    @ParameterizedTest
    @ValueSource(
            strings = {
                "main.py",
                "src/app/main.py",
                ".env.example",
                "a..b/c",
                "..hidden",
                "dir.with.dots/x"
            })
    void pathsInsideTheSourceAreAccepted(String path) throws Exception {
        assertThat(GeneratedTree.parse(answerWith(path, "x"), LIMITS).files()).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/etc/passwd",
                "../x",
                "a/../../x",
                "a/..",
                "./a",
                "a/./b",
                "a//b",
                "a/",
                "",
                "a\\..\\b",
                "a\u0000b",
                ".",
                "..",
                "x\n/../../.darkfactory/out/usage.json",
                "x\r/../../y",
                "x\u0085/../y",
                "x\u2028/../y",
                "x\u2029/../y"
            })
    void pathsThatCouldLeaveTheSourceAreRejected(String path) {
        assertThatThrownBy(() -> GeneratedTree.parse(answerWith(path, "x"), LIMITS))
                .isInstanceOf(StationFailure.class)
                .hasMessageContaining("is not a relative path inside the source directory");
    }

    @ParameterizedTest
    @ValueSource(strings = {"```json\n%s\n```", "```\n%s\n```", "  %s  "})
    void aFencedAnswerIsAccepted(String wrapping) throws Exception {
        assertThat(
                        GeneratedTree.parse(wrapping.formatted(answerWith("main.py", "x")), LIMITS)
                                .files())
                .hasSize(1);
    }

    @Test
    void fileAndTotalSizesAreBounded() {
        assertThatThrownBy(() -> GeneratedTree.parse(answerWith("big.py", "x".repeat(101)), LIMITS))
                .hasMessageEndingWith("'big.py' has 101 bytes, more than the limit of 100");
        String twoFiles =
                "{\"files\": [{\"path\": \"a\", \"content\": \""
                        + "x".repeat(80)
                        + "\"}, {\"path\": \"b\", \"content\": \""
                        + "x".repeat(80)
                        + "\"}], \"manifest\": {\"baseImage\": \"b\", \"entrypoint\": [\"e\"]}}";
        assertThatThrownBy(() -> GeneratedTree.parse(twoFiles, LIMITS))
                .hasMessageEndingWith("its files have 160 bytes, more than the limit of 150");
    }

    @Test
    void theManifestIsNotAFileAndPathsAreUnique() {
        assertThatThrownBy(
                        () -> GeneratedTree.parse(answerWith("darkfactory-app.json", "{}"), LIMITS))
                .hasMessageContaining("the manifest belongs in the field manifest");
        String twice =
                "{\"files\": [{\"path\": \"a\", \"content\": \"\"}, {\"path\": \"a\", \"content\": \"\"}],"
                        + " \"manifest\": {\"baseImage\": \"b\", \"entrypoint\": [\"e\"]}}";
        assertThatThrownBy(() -> GeneratedTree.parse(twice, LIMITS))
                .hasMessageEndingWith("the path 'a' appears twice");
        assertThatThrownBy(
                        () ->
                                GeneratedTree.parse(
                                        "{\"files\": [{\"path\": \"a\", \"content\": \"\"}]}",
                                        LIMITS))
                .hasMessageEndingWith("it has no manifest");
    }

    private static String answerWith(String path, String content) throws Exception {
        return "{\"files\": [{\"path\": "
                + Json.MAPPER.writeValueAsString(path)
                + ", \"content\": \""
                + content
                + "\"}], \"manifest\": {\"baseImage\": \"b\", \"entrypoint\": [\"e\"]}}";
    }
}
