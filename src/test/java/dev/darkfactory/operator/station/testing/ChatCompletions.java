package dev.darkfactory.operator.station.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.darkfactory.operator.contract.AppManifest;
import dev.darkfactory.operator.station.Json;
import java.util.List;

/**
 * Canned answers of an OpenAI-compatible chat-completions endpoint, as the built-in generator
 * expects them.
 */
public final class ChatCompletions {

    public static final long PROMPT_TOKENS = 1000;
    public static final long COMPLETION_TOKENS = 500;

    private ChatCompletions() {}

    public static ObjectNode file(String path, String content) {
        return Json.MAPPER.createObjectNode().put("path", path).put("content", content);
    }

    /** A completion whose content is the file tree and manifest the generator asks for. */
    public static String treeAnswer(List<ObjectNode> files, AppManifest manifest) {
        ObjectNode tree = Json.MAPPER.createObjectNode();
        tree.putArray("files").addAll(files);
        tree.set("manifest", Json.MAPPER.valueToTree(manifest));
        return completion(tree.toString());
    }

    /** A chat-completions answer whose message content is {@code content}, with token usage. */
    public static String completion(String content) {
        ObjectNode body =
                Json.MAPPER
                        .createObjectNode()
                        .put("id", "chatcmpl-1")
                        .put("object", "chat.completion");
        body.putArray("choices")
                .addObject()
                .put("index", 0)
                .put("finish_reason", "stop")
                .putObject("message")
                .put("role", "assistant")
                .put("content", content);
        body.putObject("usage")
                .put("prompt_tokens", PROMPT_TOKENS)
                .put("completion_tokens", COMPLETION_TOKENS)
                .put("total_tokens", PROMPT_TOKENS + COMPLETION_TOKENS);
        return body.toString();
    }
}
