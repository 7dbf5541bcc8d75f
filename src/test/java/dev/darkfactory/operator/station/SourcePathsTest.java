package dev.darkfactory.operator.station;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The one path check, with hand-picked hostile paths and thousands of random ones. */
class SourcePathsTest {

    private static final Path ROOT = Path.of("/workspace/src");

    @ParameterizedTest
    @ValueSource(
            strings = {
                "main.py",
                "src/app/main.py",
                ".env.example",
                "a..b/c",
                "..hidden",
                "...",
                "dir.with.dots/x",
                "%2e%2e/x",
                "..%2f..%2fetc",
                "ü/日本語.txt",
                "a b/c d",
                "x\u2215..\u2215y",
                "\uFF0E\uFF0E/x"
            })
    void plainRelativePathsAreAcceptedAndStayInside(String path) throws Exception {
        assertThat(SourcePaths.problem(path)).isEmpty();
        assertThat(SourcePaths.resolveInside(ROOT, path)).startsWithRaw(ROOT).isNotEqualTo(ROOT);
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
                ".",
                "..",
                "a\\..\\b",
                "a\u0000b",
                "x\n/../../.darkfactory/out/usage.json",
                "x\r/../../y",
                "x\u0085/../../y",
                "x\u2028/../../y",
                "x\u2029/../../y",
                "x\u000b/y",
                "x\u000c/y",
                "x\u001b[31m",
                "x\u007f",
                "x\u202e/y",
                "x\u200b/y",
                "x\ufeff",
                "x\ud800y"
            })
    void pathsThatCouldLeaveTheSourceOrBreakALineAreRejected(String path) {
        assertThat(SourcePaths.problem(path)).isPresent();
        assertThatThrownBy(() -> SourcePaths.resolveInside(ROOT, path))
                .isInstanceOf(SourcePaths.UnsafePath.class);
    }

    @Test
    void veryLongNamesAreRejected() {
        assertThat(SourcePaths.problem("a".repeat(255))).isEmpty();
        assertThat(SourcePaths.problem("a".repeat(256)))
                .contains("has a segment longer than 255 bytes");
        assertThat(SourcePaths.problem("ü".repeat(128)))
                .contains("has a segment longer than 255 bytes");
        assertThat(SourcePaths.problem(("a".repeat(200) + "/").repeat(6) + "b"))
                .contains("is longer than 1024 bytes");
    }

    @Test
    void theMessageNamesThePathWithLineBreaksEscaped() {
        assertThatThrownBy(() -> SourcePaths.resolveInside(ROOT, "x\n/../../y"))
                .hasMessage(
                        "the path 'x\\u000A/../../y' contains a control character at position 1");
        assertThat(SourcePaths.quote("a\u2028b\u0085c\\d"))
                .isEqualTo("'a\\u2028b\\u0085c\\u005Cd'");
    }

    /**
     * Property: every path the check accepts resolves strictly inside the root, and has no
     * character that could break a line; thousands of random paths built from hostile pieces.
     */
    @Test
    void fuzzedPathsAreEitherRejectedOrStayInside() {
        String[] pieces = {
            "/",
            "/",
            "..",
            ".",
            "a",
            "b.c",
            "\\",
            "\n",
            "\r",
            "\u0085",
            "\u2028",
            "\u2029",
            "\u0000",
            "%2e",
            "%2f",
            "%00",
            "\u002e\u002e",
            "\uFF0F",
            "\u2215",
            "\u202e",
            "\u200b",
            "\t",
            " ",
            "~",
            "$HOME",
            "\ud800",
            "\udc00",
            "\ud83d\ude00",
            "ü",
            "C:",
            "//",
            "./",
            "../",
            "\u001b",
            "\u009b",
            "x".repeat(300)
        };
        Random random = new Random(20261201L);
        int accepted = 0;
        List<String> leaks = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            StringBuilder path = new StringBuilder();
            int length = 1 + random.nextInt(8);
            for (int j = 0; j < length; j++) {
                path.append(
                        random.nextInt(5) == 0
                                ? randomChar(random)
                                : pieces[random.nextInt(pieces.length)]);
            }
            String candidate = path.toString();
            Optional<String> problem = SourcePaths.problem(candidate);
            try {
                Path resolved = SourcePaths.resolveInside(ROOT, candidate);
                accepted++;
                if (problem.isPresent()
                        || !resolved.startsWith(ROOT)
                        || resolved.equals(ROOT)
                        || candidate.codePoints().anyMatch(SourcePathsTest::breaksALine)) {
                    leaks.add(SourcePaths.quote(candidate));
                }
            } catch (SourcePaths.UnsafePath rejected) {
                if (problem.isEmpty()) {
                    leaks.add("rejected without a problem: " + SourcePaths.quote(candidate));
                }
            }
        }
        assertThat(leaks).isEmpty();
        assertThat(accepted).as("the fuzzer also produces acceptable paths").isGreaterThan(100);
    }

    private static char randomChar(Random random) {
        return (char) random.nextInt(0x3000);
    }

    private static boolean breaksALine(int codePoint) {
        return codePoint < 0x20
                || (codePoint >= 0x7f && codePoint <= 0x9f)
                || codePoint == 0x2028
                || codePoint == 0x2029;
    }
}
