package dev.darkfactory.operator.contract;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** The app manifest a generator writes to {@code /workspace/src/darkfactory-app.json}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record AppManifest(
        String baseImage,
        List<String> entrypoint,
        String workingDirectory,
        Integer port,
        String user,
        Map<String, String> env,
        List<FileCopy> files) {

    public static final String FILE_NAME = "darkfactory-app.json";

    /**
     * Copies {@code from} (relative to /workspace/src, file or directory) to {@code to} (absolute)
     * in the image.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record FileCopy(String from, String to) {}
}
