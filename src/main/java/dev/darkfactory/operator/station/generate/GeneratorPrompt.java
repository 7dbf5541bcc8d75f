package dev.darkfactory.operator.station.generate;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.darkfactory.operator.station.Json;
import dev.darkfactory.operator.station.Workspace;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The chat messages for the model: the generator's rules as the system message; the task that
 * prepare wrote (prompt.md) and the current source as the user message. Source files are shown in
 * full up to a byte budget, by name only after that.
 */
final class GeneratorPrompt {

    private static final String SYSTEM_PROMPT = resource("system-prompt.md");

    private GeneratorPrompt() {}

    static ArrayNode messages(Workspace workspace, int sourceBudgetBytes) throws IOException {
        StringBuilder user = new StringBuilder(Files.readString(workspace.prompt()));
        List<Path> sourceFiles = sourceFiles(workspace.source());
        if (!sourceFiles.isEmpty()) {
            user.append("\n\n# Current source\n");
            int budget = sourceBudgetBytes;
            for (Path file : sourceFiles) {
                String relative = workspace.source().relativize(file).toString();
                long size = Files.size(file);
                String content = size <= budget ? readText(file) : null;
                if (content == null) {
                    user.append("\n## ")
                            .append(relative)
                            .append(" (")
                            .append(size)
                            .append(" bytes, not shown)\n");
                } else {
                    budget -= (int) size;
                    user.append("\n## ")
                            .append(relative)
                            .append("\n```\n")
                            .append(content)
                            .append("\n```\n");
                }
            }
        }
        ArrayNode messages = Json.MAPPER.createArrayNode();
        messages.add(message("system", SYSTEM_PROMPT));
        messages.add(message("user", user.toString()));
        return messages;
    }

    private static List<Path> sourceFiles(Path source) throws IOException {
        if (!Files.isDirectory(source)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(source)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }

    /** The file as UTF-8 text, or null for a binary file, which the model could not edit anyway. */
    private static String readText(Path file) throws IOException {
        try {
            return Files.readString(file);
        } catch (CharacterCodingException binary) {
            return null;
        }
    }

    private static ObjectNode message(String role, String content) {
        return Json.MAPPER.createObjectNode().put("role", role).put("content", content);
    }

    private static String resource(String name) {
        try (InputStream in = GeneratorPrompt.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
