package dev.darkfactory.operator.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.Optional;

/**
 * The provider APIs the gateway speaks, by the path a client calls. The client's base URL is the
 * gateway's {@code /openai/v1} or {@code /anthropic}, so the SDKs append their usual paths.
 */
public enum ModelApi {
    OPENAI_CHAT(
            Family.OPENAI,
            "/openai/v1/chat/completions",
            "/chat/completions",
            "max_completion_tokens",
            "max_tokens"),
    OPENAI_RESPONSES(Family.OPENAI, "/openai/v1/responses", "/responses", "max_output_tokens"),
    ANTHROPIC_MESSAGES(Family.ANTHROPIC, "/anthropic/v1/messages", "/v1/messages", "max_tokens");

    /** Which provider entry of the GeneratorClass serves the API, and how errors and keys look. */
    public enum Family {
        OPENAI,
        ANTHROPIC
    }

    private final Family family;
    private final String gatewayPath;
    private final String upstreamPath;
    private final String[] maxOutputFields;

    ModelApi(Family family, String gatewayPath, String upstreamPath, String... maxOutputFields) {
        this.family = family;
        this.gatewayPath = gatewayPath;
        this.upstreamPath = upstreamPath;
        this.maxOutputFields = maxOutputFields;
    }

    public Family family() {
        return family;
    }

    public String gatewayPath() {
        return gatewayPath;
    }

    /**
     * Appended to the provider's base URL (an OpenAI base ends in /v1; an Anthropic one does not).
     */
    public String upstreamPath() {
        return upstreamPath;
    }

    public static Optional<ModelApi> byPath(String path) {
        String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return Arrays.stream(values()).filter(api -> api.gatewayPath.equals(trimmed)).findFirst();
    }

    /** The output-token limit the request asks for, if it names one. */
    public Optional<Long> requestedMaxOutput(ObjectNode request) {
        return Arrays.stream(maxOutputFields)
                .filter(f -> request.path(f).canConvertToLong())
                .map(f -> request.get(f).asLong())
                .findFirst();
    }

    /** Lowers every output-token limit the request names to at most {@code max}. */
    public void capMaxOutput(ObjectNode request, long max) {
        for (String field : maxOutputFields) {
            if (request.path(field).canConvertToLong() && request.get(field).asLong() > max) {
                request.put(field, max);
            }
        }
    }

    /** Whether the client asked for a streamed (server-sent events) answer. */
    public static boolean streamed(ObjectNode request) {
        return request.path("stream").asBoolean(false);
    }

    /**
     * Makes a streamed answer carry its usage: OpenAI's chat completions send it only when asked
     * ({@code stream_options.include_usage}); the responses API and Anthropic always do.
     */
    public void askForStreamedUsage(ObjectNode request) {
        if (this == OPENAI_CHAT && streamed(request)) {
            ObjectNode options =
                    request.path("stream_options").isObject()
                            ? (ObjectNode) request.get("stream_options")
                            : request.putObject("stream_options");
            options.put("include_usage", true);
        }
    }
}
