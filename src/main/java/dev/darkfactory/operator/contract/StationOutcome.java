package dev.darkfactory.operator.contract;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What a station of the generator pod leaves in its termination message. On success {@code ok} is
 * true and the fields that station produces are set; on failure {@code reason} is one of the
 * documented failure reasons and {@code message} says what to do. {@code tokens} is set on a
 * failure too when the station spent tokens before it failed; {@code null} means unknown. {@code
 * baseImage} is the base image the build pinned, by digest.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record StationOutcome(
        String station,
        boolean ok,
        String reason,
        String message,
        String image,
        String sourceImage,
        Integer port,
        Long tokens,
        Integer files,
        String baseImage) {

    /** Without a base image: every station but build and report. */
    public StationOutcome(
            String station,
            boolean ok,
            String reason,
            String message,
            String image,
            String sourceImage,
            Integer port,
            Long tokens,
            Integer files) {
        this(station, ok, reason, message, image, sourceImage, port, tokens, files, null);
    }

    public static StationOutcome failure(String station, String reason, String message) {
        return new StationOutcome(station, false, reason, message, null, null, null, null, null);
    }

    /** This outcome with the tokens spent. */
    public StationOutcome withTokens(Long spent) {
        return new StationOutcome(
                station, ok, reason, message, image, sourceImage, port, spent, files, baseImage);
    }
}
