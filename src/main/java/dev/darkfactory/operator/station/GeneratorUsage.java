package dev.darkfactory.operator.station;

import dev.darkfactory.operator.contract.Usage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The tokens a generator reported in {@code .darkfactory/out/usage.json}. Read by report, and by
 * build when it fails, so the tokens of an attempt count against the budget whatever happens after
 * generate. The file is the generator's, hence untrusted: a link is not followed, and nonsense
 * (missing, negative, not JSON) is unknown, never zero.
 */
public final class GeneratorUsage {

    private GeneratorUsage() {}

    /**
     * The generator's usage.json, read only when it is a plain file the generator wrote (not a
     * link).
     */
    public static Optional<Long> tokens(Workspace workspace) throws IOException {
        Path file = workspace.usage();
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            System.err.println(
                    "warning: the generator reported no token usage ("
                            + file
                            + "); tokens are unknown");
            return Optional.empty();
        }
        try {
            SourcePaths.requireNoLinkOnTheWay(workspace.root(), file);
        } catch (SourcePaths.UnsafePath e) {
            System.err.println(
                    "warning: usage.json is not read: " + e.getMessage() + "; tokens are unknown");
            return Optional.empty();
        }
        Usage usage;
        try {
            usage = Json.read(file, Usage.class);
        } catch (IOException e) {
            // Not the parser's message: it quotes the file, and the file is the generator's.
            System.err.println(
                    "warning: usage.json is not the JSON object of docs/generators.md; tokens are unknown");
            return Optional.empty();
        }
        Optional<Long> total = usage.knownTotal();
        if (total.isEmpty()) {
            System.err.println(
                    "warning: usage.json holds no usable token count (missing or negative); tokens are unknown");
        }
        return total;
    }
}
