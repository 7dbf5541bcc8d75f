package dev.darkfactory.operator.station.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.darkfactory.operator.station.Json;
import dev.darkfactory.operator.station.StationEnvironment;
import dev.darkfactory.operator.station.StationMain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One run of a station through {@link StationMain}, in-process, with its exit code and termination
 * message.
 */
public record StationRun(int exitCode, String terminationMessage) {

    private static final AtomicInteger RUNS = new AtomicInteger();

    public static StationRun run(String station, Path dir, Map<String, String> env)
            throws IOException {
        Path terminationLog = dir.resolve("termination-log-" + RUNS.incrementAndGet());
        Map<String, String> variables = new HashMap<>(env);
        variables.put(StationMain.TERMINATION_LOG, terminationLog.toString());
        int exitCode = StationMain.run(new String[] {station}, new StationEnvironment(variables));
        return new StationRun(exitCode, Files.readString(terminationLog));
    }

    public JsonNode json() throws IOException {
        return Json.MAPPER.readTree(terminationMessage);
    }

    public <T> T as(Class<T> type) throws IOException {
        return Json.MAPPER.readValue(terminationMessage, type);
    }
}
