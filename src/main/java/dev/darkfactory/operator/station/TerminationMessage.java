package dev.darkfactory.operator.station;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.darkfactory.operator.contract.StationLimits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * Writes a station's termination message within the kubelet's 4096 bytes, always as whole JSON.
 * When a document is too long, the largest list at its top level loses elements from its end and
 * the number dropped is added to the top-level field {@code truncated}; if that is not enough, the
 * longest strings are shortened and marked with an ellipsis.
 */
public final class TerminationMessage {

    private static final String TRUNCATED_FIELD = "truncated";
    private static final String CUT_MARK = "…";
    private static final int SHORTEST_CUT_STRING = 32;

    private TerminationMessage() {}

    /** Writes the document, cut to fit, to {@code file}; returns the text written. */
    public static String write(Path file, Object document) throws IOException {
        String text = fit(document, StationLimits.TERMINATION_MESSAGE_BYTES);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return text;
    }

    /** The document as compact JSON of at most {@code maxBytes} UTF-8 bytes. */
    static String fit(Object document, int maxBytes) {
        ObjectNode node = Json.MAPPER.valueToTree(document);
        if (fits(node, maxBytes)) {
            return text(node);
        }
        Optional<String> longestList = longestListField(node);
        if (longestList.isPresent()) {
            node = cutList(node, longestList.get(), maxBytes);
        }
        while (!fits(node, maxBytes)) {
            shortenLongestString(node, bytes(node) - maxBytes);
        }
        return text(node);
    }

    private static ObjectNode cutList(ObjectNode node, String field, int maxBytes) {
        int size = node.get(field).size();
        int low = 0;
        int high = size;
        // The largest number of leading elements that fits: fewer elements never make it longer.
        while (low < high) {
            int middle = (low + high + 1) / 2;
            if (fits(withListCut(node, field, middle), maxBytes)) {
                low = middle;
            } else {
                high = middle - 1;
            }
        }
        return withListCut(node, field, low);
    }

    private static ObjectNode withListCut(ObjectNode node, String field, int keep) {
        ObjectNode copy = node.deepCopy();
        ArrayNode list = (ArrayNode) copy.get(field);
        int dropped = list.size() - keep;
        while (list.size() > keep) {
            list.remove(list.size() - 1);
        }
        copy.put(TRUNCATED_FIELD, copy.path(TRUNCATED_FIELD).asInt(0) + dropped);
        return copy;
    }

    private static Optional<String> longestListField(ObjectNode node) {
        return node.properties().stream()
                .filter(field -> field.getValue().isArray() && !field.getValue().isEmpty())
                .max(Comparator.comparingInt(field -> field.getValue().size()))
                .map(Map.Entry::getKey);
    }

    private static void shortenLongestString(JsonNode root, int excessBytes) {
        StringSlot longest =
                longestString(root, null, null)
                        .filter(slot -> slot.value().length() > SHORTEST_CUT_STRING)
                        .orElseThrow(
                                () ->
                                        new IllegalStateException(
                                                "the termination message cannot be made to fit"));
        String value = longest.value();
        // Cutting characters by the excess in bytes is enough for ASCII; the caller loops for the
        // rest.
        int keep =
                Math.max(SHORTEST_CUT_STRING, value.length() - excessBytes - CUT_MARK.length() * 3);
        longest.replace(value.substring(0, keep) + CUT_MARK);
    }

    private static Optional<StringSlot> longestString(JsonNode node, JsonNode parent, Object key) {
        if (node.isTextual()) {
            return Optional.of(new StringSlot(parent, key, node.textValue()));
        }
        if (node.isObject()) {
            return node.properties().stream()
                    .flatMap(
                            field -> longestString(field.getValue(), node, field.getKey()).stream())
                    .max(Comparator.comparingInt(slot -> slot.value().length()));
        }
        if (node.isArray()) {
            ArrayNode array = (ArrayNode) node;
            return IntStream.range(0, array.size())
                    .boxed()
                    .flatMap(index -> longestString(array.get(index), array, index).stream())
                    .max(Comparator.comparingInt(slot -> slot.value().length()));
        }
        return Optional.empty();
    }

    /** Where a string value sits, so that it can be replaced. */
    private record StringSlot(JsonNode parent, Object key, String value) {
        void replace(String newValue) {
            if (parent instanceof ObjectNode object) {
                object.set((String) key, TextNode.valueOf(newValue));
            } else {
                ((ArrayNode) parent).set((Integer) key, TextNode.valueOf(newValue));
            }
        }
    }

    private static boolean fits(ObjectNode node, int maxBytes) {
        return bytes(node) <= maxBytes;
    }

    private static int bytes(ObjectNode node) {
        return text(node).getBytes(StandardCharsets.UTF_8).length;
    }

    private static String text(JsonNode node) {
        try {
            return Json.MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }
}
