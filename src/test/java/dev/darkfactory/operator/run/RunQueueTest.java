package dev.darkfactory.operator.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.FactoryRunStatus;
import dev.darkfactory.operator.api.v1alpha1.RunPhase;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Admission under the concurrency cap: oldest waiting first, superseded runs hold no place. */
class RunQueueTest {

    /**
     * @param runs name:phase:created-second, phase "-" for a run without status
     * @param cap the cap
     * @param superseded names of runs whose intent moved on
     * @param admitted the names the queue admits now
     */
    record Case(
            String name, List<String> runs, int cap, Set<String> superseded, Set<String> admitted) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case(
                        "free slots admit the oldest waiting",
                        List.of("a:-:3", "b:-:1", "c:-:2"),
                        2,
                        Set.of(),
                        Set.of("b", "c")),
                new Case(
                        "running runs take their slots",
                        List.of("a:Running:1", "b:Queued:2", "c:-:3"),
                        2,
                        Set.of(),
                        Set.of("b")),
                new Case(
                        "a full cap admits nobody",
                        List.of("a:Running:1", "b:Running:2", "c:Queued:0"),
                        2,
                        Set.of(),
                        Set.of()),
                new Case(
                        "finished runs free their slots",
                        List.of("a:Succeeded:1", "b:Failed:2", "c:Cancelled:3", "d:-:4"),
                        1,
                        Set.of(),
                        Set.of("d")),
                new Case(
                        "a superseded waiting run holds no place",
                        List.of("a:Queued:1", "b:Queued:2"),
                        1,
                        Set.of("a"),
                        Set.of("b")),
                new Case(
                        "equal creation times are ordered by name",
                        List.of("b:-:1", "a:-:1"),
                        1,
                        Set.of(),
                        Set.of("a")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void admits(Case c) {
        List<FactoryRun> runs = c.runs().stream().map(RunQueueTest::run).toList();

        List<String> admitted =
                runs.stream()
                        .filter(
                                r ->
                                        RunQueue.admits(
                                                r,
                                                runs,
                                                c.cap(),
                                                s ->
                                                        c.superseded()
                                                                .contains(
                                                                        s.getMetadata().getName())))
                        .map(r -> r.getMetadata().getName())
                        .toList();

        assertThat(admitted).containsExactlyInAnyOrderElementsOf(c.admitted());
        assertThat(RunQueue.running(runs))
                .isEqualTo(c.runs().stream().filter(r -> r.contains(":Running:")).count());
    }

    private static FactoryRun run(String spec) {
        String[] parts = spec.split(":");
        FactoryRun run = new FactoryRun();
        run.setMetadata(
                new ObjectMetaBuilder()
                        .withName(parts[0])
                        .withNamespace("ns")
                        .withUid("uid-" + parts[0])
                        .withCreationTimestamp("2026-01-01T00:00:0" + parts[2] + "Z")
                        .build());
        if (!parts[1].equals("-")) {
            run.setStatus(new FactoryRunStatus());
            run.getStatus().phase = RunPhase.valueOf(parts[1]);
        }
        return run;
    }
}
