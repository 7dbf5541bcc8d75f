package dev.darkfactory.operator.station.build;

import java.util.List;

import dev.darkfactory.operator.contract.FailureReason;
import dev.darkfactory.operator.station.StationFailure;

/** Base images an app manifest may name: exact references, or prefixes ending in '*'. */
record BaseImageAllowList(List<String> entries) {

    void check(String baseImage) throws StationFailure {
        if (entries.isEmpty()) {
            throw new StationFailure(FailureReason.BaseImageNotAllowed.name(), "base image " + baseImage
                    + " is not allowed: no base images are allowed (set allowedBaseImages on the GeneratorClass)");
        }
        if (entries.stream().noneMatch(entry -> matches(entry, baseImage))) {
            throw new StationFailure(FailureReason.BaseImageNotAllowed.name(), "base image " + baseImage
                    + " is not allowed; allowed: " + String.join(", ", entries));
        }
    }

    private static boolean matches(String entry, String baseImage) {
        return entry.endsWith("*")
                ? baseImage.startsWith(entry.substring(0, entry.length() - 1))
                : baseImage.equals(entry);
    }
}
