package dev.darkfactory.operator.station.test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.darkfactory.operator.api.v1alpha1.HttpCheck;
import dev.darkfactory.operator.station.Json;

/**
 * Reads the checks the tester runs: each file holds a JSON array of checks in the form of
 * {@code spec.acceptance.checks}. A missing file holds no checks. Every check of the held-out
 * file counts as held out, whatever its own flag says.
 */
final class CheckFiles {

    private CheckFiles() {
    }

    static List<HttpCheck> read(Path visible, Path heldOut) throws IOException {
        List<HttpCheck> checks = new ArrayList<>(readFile(visible));
        for (HttpCheck check : readFile(heldOut)) {
            check.holdout = true;
            checks.add(check);
        }
        return checks;
    }

    private static List<HttpCheck> readFile(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        return Arrays.asList(Json.read(file, HttpCheck[].class));
    }
}
