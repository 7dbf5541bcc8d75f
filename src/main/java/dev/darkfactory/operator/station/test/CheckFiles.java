package dev.darkfactory.operator.station.test;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.darkfactory.operator.api.v1alpha1.HttpCheck;
import dev.darkfactory.operator.api.v1alpha1.Scenario;
import dev.darkfactory.operator.contract.FailureReason;
import dev.darkfactory.operator.station.Json;
import dev.darkfactory.operator.station.StationFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads what the tester runs: files holding JSON arrays of checks and of scenarios in the form of
 * {@code spec.acceptance.checks} and {@code spec.acceptance.scenarios}. A missing file holds none.
 * Everything from the held-out files counts as held out, whatever its own flag says, and a held-out
 * file that cannot be read is reported by position only: a parser's message quotes the text it
 * choked on, and held-out text never leaves the tester.
 */
final class CheckFiles {

    record Paths(
            Path visibleChecks, Path heldOutChecks, Path visibleScenarios, Path heldOutScenarios) {}

    private CheckFiles() {}

    static List<TestCase> read(Paths paths) throws IOException, StationFailure {
        List<TestCase> cases = new ArrayList<>();
        List<HttpCheck> visibleChecks = readFile(paths.visibleChecks(), HttpCheck[].class, false);
        List<HttpCheck> heldOutChecks = readFile(paths.heldOutChecks(), HttpCheck[].class, true);
        heldOutChecks.forEach(check -> check.holdout = true);
        List<HttpCheck> checks = new ArrayList<>(visibleChecks);
        checks.addAll(heldOutChecks);
        for (int i = 0; i < checks.size(); i++) {
            cases.add(TestCase.of(checks.get(i), i));
        }
        readFile(paths.visibleScenarios(), Scenario[].class, false)
                .forEach(s -> cases.add(TestCase.of(s)));
        for (Scenario scenario : readFile(paths.heldOutScenarios(), Scenario[].class, true)) {
            scenario.holdout = true;
            cases.add(TestCase.of(scenario));
        }
        return cases;
    }

    private static <T> List<T> readFile(Path file, Class<T[]> type, boolean heldOut)
            throws IOException, StationFailure {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            T[] items = Json.read(file, type);
            return items == null ? List.of() : new ArrayList<>(Arrays.asList(items));
        } catch (JsonProcessingException e) {
            if (!heldOut) {
                throw e;
            }
            JsonLocation at = e.getLocation();
            throw new StationFailure(
                    FailureReason.TesterFailed.name(),
                    "the held-out file "
                            + file
                            + " is not a JSON array of the expected form"
                            + (at == null
                                    ? ""
                                    : " (line "
                                            + at.getLineNr()
                                            + ", column "
                                            + at.getColumnNr()
                                            + ")"));
        }
    }
}
