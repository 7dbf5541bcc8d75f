package dev.darkfactory.operator.station.generate;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.darkfactory.operator.contract.AppManifest;
import dev.darkfactory.operator.contract.FailureReason;
import dev.darkfactory.operator.station.Json;
import dev.darkfactory.operator.station.SourcePaths;
import dev.darkfactory.operator.station.StationFailure;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The model's answer: the complete source tree and the app manifest. {@link #parse} accepts it only
 * when every path stays inside the source directory and the tree keeps within its limits.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record GeneratedTree(List<GeneratedFile> files, AppManifest manifest) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    record GeneratedFile(String path, String content) {}

    /** Some local models wrap JSON in a Markdown fence even when asked for a JSON object. */
    private static final Pattern FENCE =
            Pattern.compile("^```(?:json)?\\s*(.*?)\\s*```$", Pattern.DOTALL);

    static GeneratedTree parse(String content, TreeLimits limits) throws StationFailure {
        GeneratedTree tree;
        try {
            tree =
                    Json.MAPPER.readValue(
                            FENCE.matcher(content.strip()).replaceFirst("$1"), GeneratedTree.class);
        } catch (JsonProcessingException e) {
            throw invalid("it is not the JSON object asked for (" + firstLine(e) + ")");
        }
        tree.validate(limits);
        return tree;
    }

    private void validate(TreeLimits limits) throws StationFailure {
        if (files == null || files.isEmpty()) {
            throw invalid("it has no files");
        }
        if (manifest == null) {
            throw invalid("it has no manifest");
        }
        if (files.size() > limits.maxFiles()) {
            throw invalid(
                    "it has "
                            + files.size()
                            + " files, more than the limit of "
                            + limits.maxFiles());
        }
        Set<String> seen = new HashSet<>();
        long totalBytes = 0;
        for (GeneratedFile file : files) {
            Optional<String> problem = SourcePaths.problem(file.path());
            if (problem.isPresent()) {
                throw invalid(
                        "the path "
                                + SourcePaths.quote(file.path())
                                + " is not a relative path inside the"
                                + " source directory: it "
                                + problem.get());
            }
            if (file.path().equals(AppManifest.FILE_NAME)) {
                throw invalid(
                        "it lists "
                                + AppManifest.FILE_NAME
                                + " as a file; the manifest belongs in the field manifest");
            }
            if (!seen.add(file.path())) {
                throw invalid("the path " + SourcePaths.quote(file.path()) + " appears twice");
            }
            int bytes =
                    file.content() == null
                            ? 0
                            : file.content().getBytes(StandardCharsets.UTF_8).length;
            if (bytes > limits.maxFileBytes()) {
                throw invalid(
                        SourcePaths.quote(file.path())
                                + " has "
                                + bytes
                                + " bytes, more than the limit of "
                                + limits.maxFileBytes());
            }
            totalBytes += bytes;
        }
        if (totalBytes > limits.maxTotalBytes()) {
            throw invalid(
                    "its files have "
                            + totalBytes
                            + " bytes, more than the limit of "
                            + limits.maxTotalBytes());
        }
    }

    /**
     * Jackson's message without the excerpt of the source it appends, plus where the problem is.
     */
    private static String firstLine(JsonProcessingException e) {
        String message = e.getOriginalMessage().split("[\\n(]", 2)[0].strip();
        return e.getLocation() == null
                ? message
                : message
                        + " at line "
                        + e.getLocation().getLineNr()
                        + ", column "
                        + e.getLocation().getColumnNr();
    }

    private static StationFailure invalid(String why) {
        return new StationFailure(
                FailureReason.GeneratorFailed.name(), "the model's answer was rejected: " + why);
    }
}
