package dev.darkfactory.operator.station;

import static org.assertj.core.api.Assertions.assertThat;

import dev.darkfactory.operator.contract.CheckResult;
import dev.darkfactory.operator.contract.StationLimits;
import dev.darkfactory.operator.contract.StationOutcome;
import dev.darkfactory.operator.contract.TestReport;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TerminationMessageTest {

    private static final int LIMIT = StationLimits.TERMINATION_MESSAGE_BYTES;

    @Test
    void aShortDocumentIsWrittenAsItIs() throws Exception {
        StationOutcome outcome = StationOutcome.failure("build", "PushFailed", "registry down");

        String text = TerminationMessage.fit(outcome, LIMIT);

        assertThat(Json.MAPPER.readValue(text, StationOutcome.class)).isEqualTo(outcome);
    }

    @Test
    void fiveHundredFailingChecksAreCutToWholeJsonWithinTheLimitAndCounted() throws Exception {
        List<CheckResult> results =
                IntStream.range(0, 500)
                        .mapToObj(
                                i ->
                                        new CheckResult(
                                                "check-" + i,
                                                false,
                                                false,
                                                "GET /items/" + i,
                                                "expected status 200, got 404"))
                        .toList();
        TestReport report =
                new TestReport(false, true, 0, 500, results, 0, "500 of 500 checks failed");

        String text = TerminationMessage.fit(report, LIMIT);

        assertThat(text.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(LIMIT);
        TestReport cut = Json.MAPPER.readValue(text, TestReport.class);
        assertThat(cut.results()).isNotEmpty().isEqualTo(results.subList(0, cut.results().size()));
        assertThat(cut.results().size() + cut.truncated()).isEqualTo(500);
        assertThat(cut.failed()).isEqualTo(500);
        // As many results as fit: one more would not.
        TestReport oneMore =
                new TestReport(
                        false,
                        true,
                        0,
                        500,
                        results.subList(0, cut.results().size() + 1),
                        cut.truncated() - 1,
                        cut.message());
        assertThat(Json.MAPPER.writeValueAsBytes(oneMore).length).isGreaterThan(LIMIT);
    }

    @Test
    void aLongMessageIsShortenedAndMarked() throws Exception {
        String longMessage = "é".repeat(5000);

        String text =
                TerminationMessage.fit(
                        StationOutcome.failure("generate", "GeneratorFailed", longMessage), LIMIT);

        assertThat(text.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(LIMIT);
        StationOutcome cut = Json.MAPPER.readValue(text, StationOutcome.class);
        assertThat(cut.reason()).isEqualTo("GeneratorFailed");
        assertThat(cut.message())
                .startsWith("éé")
                .endsWith("…")
                .hasSizeLessThan(longMessage.length());
    }
}
