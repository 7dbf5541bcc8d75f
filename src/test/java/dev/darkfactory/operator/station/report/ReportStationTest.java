package dev.darkfactory.operator.station.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.darkfactory.operator.contract.StationOutcome;
import dev.darkfactory.operator.contract.Usage;
import dev.darkfactory.operator.station.Json;
import dev.darkfactory.operator.station.Workspace;
import dev.darkfactory.operator.station.testing.StationRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportStationTest {

    private static final String IMAGE = "registry.local:5000/ns/todo@sha256:" + "a".repeat(64);
    private static final String SOURCE_IMAGE =
            "registry.local:5000/ns/todo-source@sha256:" + "b".repeat(64);

    @TempDir Path dir;
    private Workspace workspace;

    @BeforeEach
    void writeSource() throws Exception {
        workspace = new Workspace(dir.resolve("workspace"));
        Files.createDirectories(workspace.source().resolve("lib"));
        Files.writeString(workspace.source().resolve("main.py"), "");
        Files.writeString(workspace.source().resolve("lib/store.py"), "");
        Files.writeString(workspace.appManifest(), "{}");
    }

    @Test
    void gathersTheBuildTheTokensAndTheFileCount() throws Exception {
        Json.write(
                workspace.buildOutcome(),
                new StationOutcome(
                        "build", true, null, null, IMAGE, SOURCE_IMAGE, 8080, null, null));
        Json.write(workspace.usage(), new Usage(1200L, 800L, 2000L));

        StationRun run = report();

        assertThat(run.exitCode()).isZero();
        assertThat(run.as(StationOutcome.class))
                .isEqualTo(
                        new StationOutcome(
                                "report", true, null, null, IMAGE, SOURCE_IMAGE, 8080, 2000L, 3));
    }

    @Test
    void aGeneratorThatReportsNoUsageLeavesTokensOut() throws Exception {
        Json.write(
                workspace.buildOutcome(),
                new StationOutcome(
                        "build", true, null, null, IMAGE, SOURCE_IMAGE, 8080, null, null));

        assertThat(report().json().has("tokens")).isFalse();
    }

    @Test
    void negativeOrUnreadableUsageIsUnknownNotZeroAndTheBaseImageIsPassedOn() throws Exception {
        Json.write(
                workspace.buildOutcome(),
                new StationOutcome(
                        "build",
                        true,
                        null,
                        null,
                        IMAGE,
                        SOURCE_IMAGE,
                        8080,
                        null,
                        null,
                        "registry.local:5000/base/python@sha256:0123"));

        Json.write(workspace.usage(), new Usage(-10L, 5L, -5L));
        StationRun negative = report();
        Files.writeString(workspace.usage(), "{\"totalTokens\": \"lots\"");
        StationRun garbage = report();

        assertThat(negative.exitCode()).isZero();
        assertThat(negative.json().has("tokens")).isFalse();
        assertThat(negative.as(StationOutcome.class).baseImage())
                .isEqualTo("registry.local:5000/base/python@sha256:0123");
        assertThat(garbage.exitCode()).isZero();
        assertThat(garbage.json().has("tokens")).isFalse();
        assertThat(garbage.terminationMessage()).doesNotContain("lots");
    }

    @Test
    void aUsageFileThatIsASymlinkIsNotFollowed(@org.junit.jupiter.api.io.TempDir Path elsewhere)
            throws Exception {
        Json.write(
                workspace.buildOutcome(),
                new StationOutcome(
                        "build", true, null, null, IMAGE, SOURCE_IMAGE, 8080, null, null));
        Path secret = Files.writeString(elsewhere.resolve("secret.json"), "{\"totalTokens\": 7}");
        Files.createDirectories(workspace.usage().getParent());
        Files.createSymbolicLink(workspace.usage(), secret);

        assertThat(report().json().has("tokens")).isFalse();
    }

    @Test
    void aMissingBuildOutcomeIsReportFailed() throws Exception {
        StationRun run = report();

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.as(StationOutcome.class).reason()).isEqualTo("ReportFailed");
        assertThat(run.as(StationOutcome.class).message())
                .endsWith("build.json is missing: build did not run");
    }

    private StationRun report() throws Exception {
        return StationRun.run(
                "report", dir, Map.of(Workspace.WORKSPACE_DIR, workspace.root().toString()));
    }
}
