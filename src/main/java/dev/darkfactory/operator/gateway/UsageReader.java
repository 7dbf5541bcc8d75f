package dev.darkfactory.operator.gateway;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads token usage from the provider's answers: a whole JSON body, or the events of a streamed one
 * fed in order. Pure; what a provider says is what is billed, so nothing is estimated here.
 */
public final class UsageReader {

    private final ModelApi api;
    private long input;
    private long output;

    public UsageReader(ModelApi api) {
        this.api = api;
    }

    /** Usage of a whole (not streamed) answer. */
    public static TokenCount ofBody(ModelApi api, JsonNode body) {
        UsageReader reader = new UsageReader(api);
        switch (api) {
            case OPENAI_CHAT -> reader.openAiChat(body.path("usage"));
            case OPENAI_RESPONSES -> reader.openAiResponses(body.path("usage"));
            case ANTHROPIC_MESSAGES -> reader.anthropic(body.path("usage"));
            default -> throw new IllegalStateException(api.name());
        }
        return reader.count();
    }

    /** One server-sent event's data, parsed; events without usage are ignored. */
    public void onEvent(JsonNode data) {
        switch (api) {
            // The usage chunk (stream_options.include_usage) comes last, with empty choices.
            case OPENAI_CHAT -> openAiChat(data.path("usage"));
            // response.completed (and .incomplete, .failed) carry the response with its usage.
            case OPENAI_RESPONSES -> openAiResponses(data.path("response").path("usage"));
            case ANTHROPIC_MESSAGES -> {
                String type = data.path("type").asText();
                if ("message_start".equals(type)) {
                    anthropic(data.path("message").path("usage"));
                } else if ("message_delta".equals(type)) {
                    // Cumulative output so far; newer APIs may repeat the input counts here too.
                    JsonNode usage = data.path("usage");
                    output = Math.max(output, usage.path("output_tokens").asLong(0));
                    long deltaInput = anthropicInput(usage);
                    input = Math.max(input, deltaInput);
                }
            }
            default -> throw new IllegalStateException(api.name());
        }
    }

    public TokenCount count() {
        return new TokenCount(input, output);
    }

    private void openAiChat(JsonNode usage) {
        if (usage.isObject()) {
            input = usage.path("prompt_tokens").asLong(0);
            output = usage.path("completion_tokens").asLong(0);
        }
    }

    private void openAiResponses(JsonNode usage) {
        if (usage.isObject()) {
            input = usage.path("input_tokens").asLong(0);
            output = usage.path("output_tokens").asLong(0);
        }
    }

    private void anthropic(JsonNode usage) {
        if (usage.isObject()) {
            input = anthropicInput(usage);
            output = Math.max(output, usage.path("output_tokens").asLong(0));
        }
    }

    /** Anthropic counts cache writes and reads apart from input_tokens; all of them are input. */
    private static long anthropicInput(JsonNode usage) {
        return usage.path("input_tokens").asLong(0)
                + usage.path("cache_creation_input_tokens").asLong(0)
                + usage.path("cache_read_input_tokens").asLong(0);
    }
}
