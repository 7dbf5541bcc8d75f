package dev.darkfactory.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UsageReaderTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void wholeAnswersOfEachApi() throws Exception {
        assertThat(
                        UsageReader.ofBody(
                                ModelApi.OPENAI_CHAT,
                                MAPPER.readTree(
                                        "{\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":7,\"total_tokens\":18}}")))
                .isEqualTo(new TokenCount(11, 7));
        assertThat(
                        UsageReader.ofBody(
                                ModelApi.OPENAI_RESPONSES,
                                MAPPER.readTree(
                                        "{\"usage\":{\"input_tokens\":5,\"output_tokens\":3}}")))
                .isEqualTo(new TokenCount(5, 3));
        assertThat(
                        UsageReader.ofBody(
                                ModelApi.ANTHROPIC_MESSAGES,
                                MAPPER.readTree(
                                        "{\"usage\":{\"input_tokens\":5,\"cache_read_input_tokens\":100,\"cache_creation_input_tokens\":20,"
                                                + "\"output_tokens\":9}}")))
                .isEqualTo(new TokenCount(125, 9));
    }

    @Test
    void openAiChatStreamCountsTheUsageChunk() {
        String stream =
                "data: {\"choices\":[{\"delta\":{\"content\":\"hi\"}}]}\n\n"
                        + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":4}}\n\n"
                        + "data: [DONE]\n\n";
        assertThat(read(ModelApi.OPENAI_CHAT, stream, 7)).isEqualTo(new TokenCount(12, 4));
    }

    @Test
    void responsesStreamCountsTheCompletedEvent() {
        String stream =
                "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"delta\":\"x\"}\n\n"
                        + "event: response.completed\ndata: {\"type\":\"response.completed\",\"response\":"
                        + "{\"usage\":{\"input_tokens\":30,\"output_tokens\":2}}}\n\n";
        assertThat(read(ModelApi.OPENAI_RESPONSES, stream, 5)).isEqualTo(new TokenCount(30, 2));
    }

    @Test
    void anthropicStreamTakesInputFromMessageStartAndOutputFromTheLastDelta() {
        String stream =
                "event: message_start\r\ndata: {\"type\":\"message_start\",\"message\":{\"usage\":"
                        + "{\"input_tokens\":25,\"cache_read_input_tokens\":5,\"output_tokens\":1}}}\r\n\r\n"
                        + "event: content_block_delta\r\ndata: {\"type\":\"content_block_delta\",\"delta\":{\"text\":\"a\"}}\r\n\r\n"
                        + "event: message_delta\r\ndata: {\"type\":\"message_delta\",\"usage\":{\"output_tokens\":15}}\r\n\r\n"
                        + "event: message_stop\r\ndata: {\"type\":\"message_stop\"}\r\n\r\n";
        assertThat(read(ModelApi.ANTHROPIC_MESSAGES, stream, 3)).isEqualTo(new TokenCount(30, 15));
    }

    @Test
    void aLastEventWithoutItsBlankLineStillCounts() {
        String stream = "data: {\"usage\":{\"prompt_tokens\":2,\"completion_tokens\":1}}";
        assertThat(read(ModelApi.OPENAI_CHAT, stream, 4)).isEqualTo(new TokenCount(2, 1));
    }

    @Test
    void overlongLinesAreSkippedNotBuffered() {
        List<String> seen = new ArrayList<>();
        SseEvents events = new SseEvents(seen::add, 16);
        byte[] bytes =
                ("data: " + "x".repeat(100) + "\n\ndata: short\n\n")
                        .getBytes(StandardCharsets.UTF_8);
        events.feed(bytes, 0, bytes.length);
        events.finish();
        assertThat(seen).containsExactly("short");
    }

    /** Feeds the stream in chunks of {@code chunk} bytes, as the network would split it. */
    private static TokenCount read(ModelApi api, String stream, int chunk) {
        UsageReader reader = new UsageReader(api);
        SseEvents events =
                new SseEvents(
                        data -> {
                            try {
                                reader.onEvent(MAPPER.readTree(data));
                            } catch (Exception e) {
                                // [DONE]
                            }
                        },
                        1 << 20);
        byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i += chunk) {
            events.feed(bytes, i, Math.min(chunk, bytes.length - i));
        }
        events.finish();
        return reader.count();
    }
}
