package dev.darkfactory.operator.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.FactoryRunStatus;
import dev.darkfactory.operator.api.v1alpha1.RunPhase;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Admission under the caps: namespaces in turn, oldest waiting first within one, superseded runs
 * hold no place, Blocked runs wait for their retry time.
 */
class RunQueueTest {

    /** The time of every case: a Blocked run with retryAt second 5 is due, one with 7 is not. */
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:06Z");

    /**
     * @param runs [namespace/]name:phase:created-second[:retryAt-second], phase "-" for a run
     *     without status; namespace "ns" when none is given
     * @param cap the global cap
     * @param perNamespace the cap per namespace, 0 for none
     * @param superseded names of runs whose intent moved on
     * @param admitted the names the queue admits now, in the order the slots go to them
     */
    record Case(
            String name,
            List<String> runs,
            int cap,
            int perNamespace,
            Set<String> superseded,
            List<String> admitted) {
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
                        0,
                        Set.of(),
                        List.of("b", "c")),
                new Case(
                        "running runs take their slots",
                        List.of("a:Running:1", "b:Queued:2", "c:-:3"),
                        2,
                        0,
                        Set.of(),
                        List.of("b")),
                new Case(
                        "a full cap admits nobody",
                        List.of("a:Running:1", "b:Running:2", "c:Queued:0"),
                        2,
                        0,
                        Set.of(),
                        List.of()),
                new Case(
                        "finished runs free their slots",
                        List.of("a:Succeeded:1", "b:Failed:2", "c:Cancelled:3", "d:-:4"),
                        1,
                        0,
                        Set.of(),
                        List.of("d")),
                new Case(
                        "a superseded waiting run holds no place",
                        List.of("a:Queued:1", "b:Queued:2"),
                        1,
                        0,
                        Set.of("a"),
                        List.of("b")),
                new Case(
                        "equal creation times are ordered by name",
                        List.of("b:-:1", "a:-:1"),
                        1,
                        0,
                        Set.of(),
                        List.of("a")),
                new Case(
                        "a namespace with a run in flight lets another's first run go ahead",
                        List.of("A/a1:Running:1", "A/a2:Queued:2", "A/a3:Queued:3", "B/b1:-:4"),
                        2,
                        0,
                        Set.of(),
                        List.of("b1")),
                new Case(
                        "free slots go to namespaces in turn",
                        List.of(
                                "A/a1:Queued:1",
                                "A/a2:Queued:2",
                                "A/a3:Queued:3",
                                "B/b1:Queued:4",
                                "B/b2:Queued:5",
                                "C/c1:Queued:6"),
                        5,
                        0,
                        Set.of(),
                        List.of("a1", "b1", "c1", "a2", "b2")),
                new Case(
                        "the per-namespace cap holds a namespace back while others get slots",
                        List.of("A/a1:Running:1", "A/a2:Queued:2", "B/b1:Queued:3"),
                        3,
                        1,
                        Set.of(),
                        List.of("b1")),
                new Case(
                        "a Blocked run holds no slot, and waits until its retry is due",
                        List.of("a:Blocked:1:7", "b:Queued:2"),
                        1,
                        0,
                        Set.of(),
                        List.of("b")),
                new Case(
                        "a Blocked run whose retry is due queues behind those that waited before",
                        List.of("a:Blocked:1:3", "b:Queued:2"),
                        1,
                        0,
                        Set.of(),
                        List.of("b")),
                new Case(
                        "a Blocked run whose retry is due goes ahead of those queued after",
                        List.of("a:Blocked:1:3", "b:-:5"),
                        1,
                        0,
                        Set.of(),
                        List.of("a")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void admits(Case c) {
        List<FactoryRun> runs = c.runs().stream().map(RunQueueTest::run).toList();
        RunQueue.Caps caps = new RunQueue.Caps(c.cap(), c.perNamespace());

        List<String> inOrder =
                RunQueue.admitted(runs, caps, NOW, s -> c.superseded().contains(name(s))).stream()
                        .map(RunQueueTest::name)
                        .toList();
        List<String> admitted =
                runs.stream()
                        .filter(
                                r ->
                                        RunQueue.admits(
                                                r,
                                                runs,
                                                caps,
                                                NOW,
                                                s -> c.superseded().contains(name(s))))
                        .map(RunQueueTest::name)
                        .toList();

        assertThat(inOrder).containsExactlyElementsOf(c.admitted());
        assertThat(admitted).containsExactlyInAnyOrderElementsOf(c.admitted());
        assertThat(RunQueue.running(runs))
                .isEqualTo(c.runs().stream().filter(r -> r.contains(":Running:")).count());
    }

    @Test
    void aThousandQueuedRunsOfOneNamespaceDelayAnothersFirstRunByNoMoreThanOneSlot() {
        List<FactoryRun> runs = new ArrayList<>();
        runs.add(run("A/a0:Running:0"));
        for (int i = 1; i <= 1000; i++) {
            runs.add(run("A/a" + i + ":Queued:1"));
        }
        runs.add(run("B/b:-:9"));

        assertThat(RunQueue.admitted(runs, new RunQueue.Caps(2, 0), NOW, r -> false))
                .extracting(RunQueueTest::name)
                .containsExactly("b");
    }

    @ParameterizedTest(name = "{0} live, caps {1}/{2} -> {3}")
    @CsvSource({
        // live runs | global cap | per-namespace cap | contended
        "2, 2, 0, false",
        "3, 2, 0, true",
        "0, 2, 0, false",
        "1, 5, 1, true",
    })
    void admissionOrderMattersOnlyWhenLiveRunsOutnumberTheSlotsOrANamespaceCapIsSet(
            int live, int cap, int perNamespace, boolean contended) {
        assertThat(RunQueue.contended(live, new RunQueue.Caps(cap, perNamespace)))
                .isEqualTo(contended);
    }

    @Test
    void withEverySlotTakenNoRunIsAdmittedAndTheRunsHoldingThemAreEnoughToTellIt() {
        FactoryRun a = run("a:Running:1");
        FactoryRun b = run("b:Running:2");
        List<FactoryRun> waiting = List.of(run("c:Queued:3"), run("d:-:4"), run("e:Blocked:1:5"));
        List<FactoryRun> all = Stream.concat(Stream.of(a, b), waiting.stream()).toList();
        RunQueue.Caps caps = new RunQueue.Caps(2, 0);

        assertThat(RunQueue.slotFree(2, caps)).isFalse();
        assertThat(RunQueue.slotFree(1, caps)).isTrue();
        for (FactoryRun candidate : waiting) {
            assertThat(RunQueue.admits(candidate, all, caps, NOW, r -> false)).isFalse();
            assertThat(RunQueue.admits(candidate, List.of(a, b, candidate), caps, NOW, r -> false))
                    .isFalse();
        }
        assertThat(RunQueue.admits(waiting.get(0), all, new RunQueue.Caps(3, 0), NOW, r -> false))
                .isTrue();
    }

    @Test
    void uncontendedEveryRunWaitingNowIsAdmittedUnlessItHoldsNoPlace() {
        List<FactoryRun> runs =
                Stream.of("a:Running:1", "b:-:2", "c:Queued:3", "d:Blocked:4:7", "e:Blocked:4:5")
                        .map(RunQueueTest::run)
                        .toList();
        List<FactoryRun> withSuperseded =
                Stream.concat(runs.stream(), Stream.of(run("f:-:1"))).toList();
        RunQueue.Caps caps = new RunQueue.Caps(6, 0);

        assertThat(withSuperseded)
                .filteredOn(
                        r ->
                                RunQueue.admits(
                                        r, withSuperseded, caps, NOW, s -> name(s).equals("f")))
                .extracting(RunQueueTest::name)
                .containsExactly("b", "c", "e");
        // The same answer as the order the queue works out when it has to.
        assertThat(RunQueue.admitted(withSuperseded, caps, NOW, s -> name(s).equals("f")))
                .extracting(RunQueueTest::name)
                .containsExactlyInAnyOrder("b", "c", "e");
    }

    @ParameterizedTest(name = "{0} -> live {1}, waits {2}")
    @CsvSource({
        // run | live: holds or may claim a slot | waits for a slot
        "a:-:1, true, true",
        "a:Queued:1, true, true",
        "a:Blocked:1:7, true, true",
        "a:Running:1, true, false",
        "a:Succeeded:1, false, false",
        "a:Failed:1, false, false",
        "a:Cancelled:1, false, false",
    })
    void onlyUnfinishedRunsAreLiveAndOnlyNewQueuedOrBlockedOnesWait(
            String spec, boolean live, boolean waits) {
        assertThat(RunQueue.live(run(spec))).isEqualTo(live);
        assertThat(RunQueue.waitsForSlot(run(spec))).isEqualTo(waits);
    }

    @Test
    void aRunBeingDeletedIsNeitherLiveNorHoldingItsSlot() {
        FactoryRun deleting = run("a:Running:1");
        deleting.getMetadata().setDeletionTimestamp("2026-01-01T00:00:05Z");

        assertThat(RunQueue.live(deleting)).isFalse();
        assertThat(RunQueue.gone(Optional.of(deleting))).isTrue();
        assertThat(RunQueue.gone(Optional.empty())).isTrue();
        assertThat(RunQueue.gone(Optional.of(run("a:Running:1")))).isFalse();
    }

    private static String name(FactoryRun run) {
        return run.getMetadata().getName();
    }

    private static FactoryRun run(String spec) {
        String[] parts = spec.split(":");
        String[] qualified = parts[0].split("/");
        String namespace = qualified.length == 2 ? qualified[0] : "ns";
        String name = qualified[qualified.length - 1];
        FactoryRun run = new FactoryRun();
        run.setMetadata(
                new ObjectMetaBuilder()
                        .withName(name)
                        .withNamespace(namespace)
                        .withUid("uid-" + namespace + "-" + name)
                        .withCreationTimestamp("2026-01-01T00:00:0" + parts[2] + "Z")
                        .build());
        if (!parts[1].equals("-")) {
            run.setStatus(new FactoryRunStatus());
            run.getStatus().phase = RunPhase.valueOf(parts[1]);
            if (parts.length > 3) {
                run.getStatus().retryAt = "2026-01-01T00:00:0" + parts[3] + "Z";
            }
        }
        return run;
    }
}
