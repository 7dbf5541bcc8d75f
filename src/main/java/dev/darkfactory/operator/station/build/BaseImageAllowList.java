package dev.darkfactory.operator.station.build;

import dev.darkfactory.operator.contract.FailureReason;
import dev.darkfactory.operator.station.StationFailure;
import java.util.List;

/** Base images an app manifest may name: exact references, or prefixes ending in '*'. */
record BaseImageAllowList(List<String> entries) {

    /**
     * Fails unless an entry allows {@code baseImage}. Whatever the entries say, a base image below
     * the namespace folder of {@code outputRepository} (the factory's own output, such as {@code
     * registry/team-a/*}) is refused; {@link BaseImages} refuses factory output elsewhere.
     */
    void check(String baseImage, String outputRepository) throws StationFailure {
        int lastSlash = outputRepository.lastIndexOf('/');
        String outputFolder =
                lastSlash < 0
                        ? outputRepository + "/"
                        : outputRepository.substring(0, lastSlash + 1);
        if (baseImage.startsWith(outputFolder)) {
            throw new StationFailure(
                    FailureReason.BaseImageNotAllowed.name(),
                    "base image "
                            + baseImage
                            + " is not allowed: it lies in "
                            + outputFolder
                            + ", where the factory pushes its own output");
        }
        if (entries.isEmpty()) {
            throw new StationFailure(
                    FailureReason.BaseImageNotAllowed.name(),
                    "base image "
                            + baseImage
                            + " is not allowed: no base images are allowed (set allowedBaseImages on the GeneratorClass)");
        }
        if (entries.stream().noneMatch(entry -> matches(entry, baseImage))) {
            throw new StationFailure(
                    FailureReason.BaseImageNotAllowed.name(),
                    "base image "
                            + baseImage
                            + " is not allowed; allowed: "
                            + String.join(", ", entries));
        }
    }

    private static boolean matches(String entry, String baseImage) {
        return entry.endsWith("*")
                ? baseImage.startsWith(entry.substring(0, entry.length() - 1))
                : baseImage.equals(entry);
    }
}
