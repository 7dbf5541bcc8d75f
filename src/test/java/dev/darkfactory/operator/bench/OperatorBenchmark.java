package dev.darkfactory.operator.bench;

import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.IntentPhase;
import dev.darkfactory.operator.api.v1alpha1.Labels;
import dev.darkfactory.operator.api.v1alpha1.RunPhase;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntent;
import dev.darkfactory.operator.config.LeaderElection;
import dev.darkfactory.operator.process.OperatorProcess;
import dev.darkfactory.operator.testing.Fixtures;
import dev.darkfactory.operator.testing.TestApiServer;
import dev.darkfactory.operator.testing.Watchers;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Not a test: {@code make bench} runs it. The packaged operator, as a process, against a real
 * kube-apiserver and etcd from kube-api-test, with no kubelet: generator pods stay Pending, so the
 * figures are the operator's own. It creates BENCH_INTENTS intents (default 1000) at once, then
 * BENCH_STEADY more (default a fifth of them, at least 50) at BENCH_RATE per second (default 10),
 * and prints one table: API round-trip floor, latencies to each intent's FactoryRun and first
 * generator pod, API writes per intent by resource (from the API server's own counters), operator
 * CPU per intent, peak RSS and live heap, the size of /q/metrics, writes while idle
 * (BENCH_IDLE_SECONDS, default 60), SIGTERM to exit, and restart to all reconciled; then
 * BENCH_QUEUED intents (default BENCH_INTENTS; 0 skips it) in a queue under a cap of two, and the
 * run reconciles and CPU that queue costs while nothing changes. BENCH_JAR names another build's
 * quarkus-run.jar (to compare before and after a change); BENCH_JVM_OPTIONS the operator's JVM
 * options (default: the chart's, in its 768Mi container); BENCH_RECONCILE_THREADS its reconcile
 * threads (default: the chart's).
 */
public final class OperatorBenchmark {

    /**
     * The chart's operator.jvmOptions in its 768Mi container: MaxRAM stands in for the container's
     * memory limit, from which the JVM sizes its heap, the heap's first size (a 64th) included.
     */
    public static final String CHART_JVM_OPTIONS =
            "-XX:MaxRAM=768m -XX:+UseSerialGC -XX:MaxRAMPercentage=60 -XX:NewRatio=3 -XX:+ExitOnOutOfMemoryError";

    private static final String RECONCILE_THREADS =
            "QUARKUS_OPERATOR_SDK_CONCURRENT_RECONCILIATION_THREADS";

    /**
     * The chart's operator settings that bear on its performance, as the environment it passes them
     * in (operator.reconcileThreads). BENCH_RECONCILE_THREADS overrides it.
     */
    public static final Map<String, String> CHART_ENVIRONMENT = Map.of(RECONCILE_THREADS, "20");

    private static final Duration PHASE_LIMIT = Duration.ofMinutes(15);
    private static final Duration EXIT_LIMIT = Duration.ofSeconds(30);
    private static final Pattern SUCCESS =
            Pattern.compile(
                    "(?m)^operator_sdk_reconciliations_success_total\\{([^}]*)\\} ([0-9.eE+-]+)$");

    private final Map<String, String> rows = new LinkedHashMap<>();
    private final KubernetesClient client = TestApiServer.client();
    private final Map<String, Long> created = new ConcurrentHashMap<>();
    private final Map<String, Long> runSeen = new ConcurrentHashMap<>();
    private final Map<String, Long> podSeen = new ConcurrentHashMap<>();

    private OperatorBenchmark() {}

    public static void main(String[] args) throws Exception {
        int status = 0;
        try {
            new OperatorBenchmark().run();
        } catch (Exception e) {
            e.printStackTrace();
            status = 1;
        }
        System.exit(status); // kube-api-test's shutdown hook stops the API server
    }

    private void run() throws Exception {
        int burst = intEnv("BENCH_INTENTS", 1000);
        int steady = intEnv("BENCH_STEADY", Math.max(50, burst / 5));
        double rate = Double.parseDouble(env("BENCH_RATE", "10"));
        int idleSeconds = intEnv("BENCH_IDLE_SECONDS", 60);
        Path jar = Path.of(env("BENCH_JAR", OperatorProcess.JAR.toString()));
        List<String> jvm = Arrays.asList(env("BENCH_JVM_OPTIONS", CHART_JVM_OPTIONS).split("\\s+"));
        int total = burst + steady;
        int queued = intEnv("BENCH_QUEUED", burst);

        String namespace = TestApiServer.newNamespace("bench");
        String className = "bench-" + namespace;
        client.resource(Fixtures.generatorClass(className, false)).create();
        Map<String, String> settings = settings(namespace, total + 10);
        System.out.printf(
                "jar %s, %d cores, %d intents in a burst, %d at %.0f/s, JVM %s%n",
                jar, Runtime.getRuntime().availableProcessors(), burst, steady, rate, jvm);

        row("API round-trip floor (GET, min / p50 of 50)", roundTripFloor(namespace));
        watch(namespace);

        OperatorProcess operator =
                OperatorProcess.start(jar, TestApiServer.kubeconfig(), jvm, settings);
        waitFor(
                "operator to hold the Lease",
                () -> holder(namespace) != null && !holder(namespace).isEmpty(),
                operator);
        Map<String, Double> writesBefore = ApiServerRequests.snapshot(client);
        Map<String, Double> getsBefore = ApiServerRequests.gets(client);
        double cpuBefore = ProcessStats.cpuSeconds(operator.pid());

        long burstStart = System.nanoTime();
        createBurst(namespace, className, "b", burst);
        waitFor(
                "a generator pod for every intent of the burst",
                () -> podSeen.size() >= burst,
                operator);
        row("burst: all first pods after", seconds(System.nanoTime() - burstStart));
        latencies("burst", "b-");
        // The steady rate meets N intents present, not the tail of their burst: each burst
        // intent still writes its status once more after its pod (Building).
        waitForCount(
                "every intent of the burst to say Building",
                SoftwareIntent.class,
                namespace,
                i -> i.getStatus() != null && i.getStatus().phase == IntentPhase.Building,
                burst,
                operator);
        row("burst: all intents Building after", seconds(System.nanoTime() - burstStart));

        createSteady(namespace, className, "s", steady, rate);
        waitFor("a generator pod for every steady intent", () -> podSeen.size() >= total, operator);
        latencies("steady", "s-");
        Thread.sleep(5000); // the last status writes
        Map<String, Double> writes =
                ApiServerRequests.difference(ApiServerRequests.snapshot(client), writesBefore);
        writes.merge(
                "softwareintents", (double) -total, Double::sum); // the benchmark's own creates
        writes.forEach(
                (resource, count) -> {
                    if (count > 0) {
                        row(
                                "writes per intent: " + resource,
                                String.format(Locale.ROOT, "%.2f", count / total));
                    }
                });
        row(
                "writes per intent: all but leases",
                String.format(
                        Locale.ROOT,
                        "%.2f",
                        writes.entrySet().stream()
                                        .filter(e -> !e.getKey().startsWith("leases"))
                                        .mapToDouble(Map.Entry::getValue)
                                        .sum()
                                / total));
        ApiServerRequests.difference(ApiServerRequests.gets(client), getsBefore)
                .forEach(
                        (resource, count) ->
                                row(
                                        "reads by name per intent: " + resource,
                                        String.format(Locale.ROOT, "%.2f", count / total)));
        row(
                "operator CPU per intent",
                String.format(
                        Locale.ROOT,
                        "%.1f ms",
                        (ProcessStats.cpuSeconds(operator.pid()) - cpuBefore) * 1000 / total));
        HttpResponse<String> metrics = operator.get("/q/metrics");
        row(
                "/q/metrics size",
                metrics == null
                        ? "no answer"
                        : String.format(
                                Locale.ROOT,
                                "%.1f KiB (%d samples)",
                                metrics.body().length() / 1024.0,
                                metrics.body().lines().filter(l -> !l.startsWith("#")).count()));
        row(
                "peak RSS (VmHWM)",
                String.format(
                        Locale.ROOT, "%.0f MiB", ProcessStats.statusMiB(operator.pid(), "VmHWM")));
        row(
                "live heap after full GC",
                String.format(Locale.ROOT, "%.0f MiB", ProcessStats.liveHeapMiB(operator.pid())));

        row(
                "managedFields share of the JSON of an intent's objects",
                managedFieldsShare(namespace));

        Map<String, Double> idleBefore = ApiServerRequests.snapshot(client);
        Thread.sleep(idleSeconds * 1000L);
        Map<String, Double> idle =
                ApiServerRequests.difference(ApiServerRequests.snapshot(client), idleBefore);
        row(
                "idle writes over " + idleSeconds + " s (leases apart)",
                String.format(
                        Locale.ROOT,
                        "%.0f (%s)",
                        idle.entrySet().stream()
                                .filter(e -> !e.getKey().startsWith("leases"))
                                .mapToDouble(Map.Entry::getValue)
                                .sum(),
                        idle.isEmpty() ? "none" : idle.toString()));

        stop(operator, namespace, "SIGTERM -> exit");

        Map<String, Double> restartBefore = ApiServerRequests.snapshot(client);
        OperatorProcess restarted =
                OperatorProcess.start(jar, TestApiServer.kubeconfig(), jvm, settings);
        long firstReconcile = 0;
        long deadline = System.nanoTime() + PHASE_LIMIT.toNanos();
        while (System.nanoTime() < deadline && restarted.isAlive()) {
            Map<String, Double> successes = successes(restarted);
            if (firstReconcile == 0 && successes.values().stream().anyMatch(v -> v > 0)) {
                firstReconcile = restarted.nanosSinceStart();
            }
            if (successes.getOrDefault("SoftwareIntent", 0.0) >= total
                    && successes.getOrDefault("FactoryRun", 0.0) >= total) {
                row("restart: process start to first reconcile", seconds(firstReconcile));
                row(
                        "restart: process start to all reconciled",
                        seconds(restarted.nanosSinceStart()));
                break;
            }
            Thread.sleep(200);
        }
        Map<String, Double> restartWrites =
                ApiServerRequests.difference(ApiServerRequests.snapshot(client), restartBefore);
        row(
                "restart: writes (leases apart)",
                String.format(
                        Locale.ROOT,
                        "%.0f",
                        restartWrites.entrySet().stream()
                                .filter(e -> !e.getKey().startsWith("leases"))
                                .mapToDouble(Map.Entry::getValue)
                                .sum()));
        stop(restarted, namespace, "SIGTERM -> exit (after restart)");

        if (queued > 0) {
            queue(jar, jvm, className, queued, Math.max(idleSeconds, 60));
        }

        System.out.println();
        System.out.printf("| figure (%d + %d intents) | value |%n|---|---|%n", burst, steady);
        rows.forEach((k, v) -> System.out.printf("| %s | %s |%n", k, v));
    }

    /**
     * A queue that does not move: {@code count} intents in a namespace of their own under a cap of
     * two runs, all created at once; once every run but two is Queued, what the operator spends in
     * a window with nothing changing. Without a kubelet the two running runs never end, so every
     * reconcile in the window is a queued run looking at the queue again.
     */
    private void queue(Path jar, List<String> jvm, String className, int count, int seconds)
            throws InterruptedException {
        String namespace = TestApiServer.newNamespace("bench-queue");
        OperatorProcess operator =
                OperatorProcess.start(jar, TestApiServer.kubeconfig(), jvm, settings(namespace, 2));
        waitFor(
                "the queue's operator to hold the Lease",
                () -> holder(namespace) != null && !holder(namespace).isEmpty(),
                operator);
        atOnce(
                count,
                i -> client.resource(Fixtures.intent(namespace, "q-" + i, className)).create());
        waitForCount(
                "every run but two to be Queued",
                FactoryRun.class,
                namespace,
                r -> r.getStatus() != null && r.getStatus().phase == RunPhase.Queued,
                count - 2,
                operator);
        double cpuBefore = ProcessStats.cpuSeconds(operator.pid());
        double runReconcilesBefore = successes(operator).getOrDefault("FactoryRun", 0.0);
        Thread.sleep(seconds * 1000L);
        double runReconciles =
                successes(operator).getOrDefault("FactoryRun", 0.0) - runReconcilesBefore;
        double cpu = ProcessStats.cpuSeconds(operator.pid()) - cpuBefore;
        String label = "queue of " + count + " under a cap of 2, over " + seconds + " s: ";
        row(
                label + "run reconciles per second",
                String.format(Locale.ROOT, "%.1f", runReconciles / seconds));
        row(
                label + "operator CPU",
                String.format(Locale.ROOT, "%.1f %% of a core", 100 * cpu / seconds));
        stop(operator, namespace, "SIGTERM -> exit (queue)");
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Map<String, String> settings(String namespace, int maxConcurrentRuns) {
        // Generous Lease timings: on a shared machine a renewal can starve past JOSDK's 10 s
        // deadline, and the operator then (rightly) exits. Builds that do not know these settings
        // ignore them.
        Map<String, String> settings = new HashMap<>(CHART_ENVIRONMENT);
        String threads = System.getenv("BENCH_RECONCILE_THREADS");
        if (threads != null) {
            settings.put(RECONCILE_THREADS, threads);
        }
        settings.putAll(
                Map.of(
                        "quarkus.operator-sdk.namespaces",
                        namespace,
                        "darkfactory.max-concurrent-runs",
                        Integer.toString(maxConcurrentRuns),
                        LeaderElection.LEASE_NAME,
                        "bench",
                        LeaderElection.LEASE_NAMESPACE,
                        namespace,
                        LeaderElection.LEASE_DURATION,
                        env("BENCH_LEASE_DURATION", "60s"),
                        LeaderElection.RENEW_DEADLINE,
                        env("BENCH_RENEW_DEADLINE", "50s")));
        return settings;
    }

    private void createBurst(String namespace, String className, String prefix, int count)
            throws InterruptedException {
        atOnce(count, i -> create(namespace, className, prefix + "-" + i));
    }

    /** {@code create} for 0 to count - 1, eight at a time. */
    private static void atOnce(int count, IntConsumer create) throws InterruptedException {
        ExecutorService creators = Executors.newFixedThreadPool(8);
        for (int i = 0; i < count; i++) {
            int n = i;
            creators.submit(() -> create.accept(n));
        }
        creators.shutdown();
        creators.awaitTermination(PHASE_LIMIT.toMinutes(), TimeUnit.MINUTES);
    }

    private void createSteady(
            String namespace, String className, String prefix, int count, double perSecond)
            throws InterruptedException {
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long due = start + (long) (i * 1e9 / perSecond);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            create(namespace, className, prefix + "-" + i);
        }
    }

    private void create(String namespace, String className, String name) {
        created.put(name, System.nanoTime());
        client.resource(Fixtures.intent(namespace, name, className)).create();
    }

    private void watch(String namespace) {
        client.resources(FactoryRun.class)
                .inNamespace(namespace)
                .watch(
                        Watchers.each(
                                run ->
                                        runSeen.putIfAbsent(
                                                run.getSpec().intentName, System.nanoTime())));
        client.pods()
                .inNamespace(namespace)
                .watch(
                        Watchers.each(
                                pod -> {
                                    String intent =
                                            pod.getMetadata().getLabels() == null
                                                    ? null
                                                    : pod.getMetadata()
                                                            .getLabels()
                                                            .get(Labels.INTENT);
                                    if (intent != null
                                            && pod.getMetadata().getName().endsWith("-a1-gen")) {
                                        podSeen.putIfAbsent(intent, System.nanoTime());
                                    }
                                }));
    }

    private void latencies(String phase, String prefix) {
        List<Long> toRun = new ArrayList<>();
        List<Long> toPod = new ArrayList<>();
        created.forEach(
                (name, at) -> {
                    if (name.startsWith(prefix)) {
                        toRun.add(runSeen.getOrDefault(name, Long.MAX_VALUE) - at);
                        toPod.add(podSeen.getOrDefault(name, Long.MAX_VALUE) - at);
                    }
                });
        row(phase + ": create -> FactoryRun p50/p90/p99/max", percentiles(toRun));
        row(phase + ": create -> generator pod p50/p90/p99/max", percentiles(toPod));
    }

    private void stop(OperatorProcess operator, String namespace, String label)
            throws InterruptedException {
        long start = System.nanoTime();
        operator.terminate();
        long deadline = start + EXIT_LIMIT.toNanos();
        while (operator.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        String lease =
                "Lease holder after: "
                        + (holder(namespace).isEmpty() ? "none (released)" : holder(namespace));
        if (operator.isAlive()) {
            operator.close();
            row(label, "no exit within " + EXIT_LIMIT.toSeconds() + " s (SIGKILL); " + lease);
        } else {
            row(label, seconds(System.nanoTime() - start) + "; " + lease);
        }
    }

    /**
     * How much of the intents, runs, pods and ConfigMaps the informers cache is managedFields, in
     * serialized bytes: what trimming them from the caches could save at most.
     */
    /**
     * Waits until {@code count} objects of the kind in the namespace match, looking every two
     * seconds: a list of thousands is not free for the API server.
     */
    private <T extends HasMetadata> void waitForCount(
            String what,
            Class<T> kind,
            String namespace,
            Predicate<T> matching,
            long count,
            OperatorProcess operator)
            throws InterruptedException {
        waitFor(
                what,
                () -> {
                    sleepQuietly(2000);
                    return all(kind, namespace).stream().filter(matching).count() >= count;
                },
                operator);
    }

    /** Every object of a kind in the namespace, 500 at a time: 10,000 at once outlast a timeout. */
    private <T extends HasMetadata> List<T> all(Class<T> kind, String namespace) {
        List<T> all = new ArrayList<>();
        String next = null;
        do {
            var page =
                    client.resources(kind)
                            .inNamespace(namespace)
                            .list(
                                    new ListOptionsBuilder()
                                            .withLimit(500L)
                                            .withContinue(next)
                                            .build());
            all.addAll(page.getItems());
            next = page.getMetadata().getContinue();
        } while (next != null && !next.isEmpty());
        return all;
    }

    private String managedFieldsShare(String namespace) {
        List<HasMetadata> objects = new ArrayList<>();
        objects.addAll(all(SoftwareIntent.class, namespace));
        objects.addAll(all(FactoryRun.class, namespace));
        objects.addAll(all(Pod.class, namespace));
        objects.addAll(all(ConfigMap.class, namespace));
        long whole = 0;
        long trimmed = 0;
        for (HasMetadata object : objects) {
            whole += Serialization.asJson(object).length();
            object.getMetadata().setManagedFields(null);
            trimmed += Serialization.asJson(object).length();
        }
        return whole == 0
                ? "-"
                : String.format(
                        Locale.ROOT,
                        "%.0f %% of %.0f KiB per intent",
                        100.0 * (whole - trimmed) / whole,
                        whole / 1024.0 / created.size());
    }

    /** Successful reconciles by kind, summed over all series (per resource or not). */
    private static Map<String, Double> successes(OperatorProcess operator) {
        Map<String, Double> byKind = new ConcurrentHashMap<>();
        HttpResponse<String> metrics = operator.get("/q/metrics");
        if (metrics == null || metrics.statusCode() != 200) {
            return byKind;
        }
        Matcher sample = SUCCESS.matcher(metrics.body());
        while (sample.find()) {
            Matcher kind = Pattern.compile("kind=\"([^\"]*)\"").matcher(sample.group(1));
            byKind.merge(
                    kind.find() ? kind.group(1) : "?",
                    Double.parseDouble(sample.group(2)),
                    Double::sum);
        }
        return byKind;
    }

    private String roundTripFloor(String namespace) {
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            long start = System.nanoTime();
            client.namespaces().withName(namespace).get();
            times.add(System.nanoTime() - start);
        }
        times.sort(null);
        return millis(times.get(0)) + " / " + millis(times.get(times.size() / 2));
    }

    private String holder(String namespace) {
        Lease lease = client.leases().inNamespace(namespace).withName("bench").get();
        if (lease == null) {
            return null;
        }
        String holder = lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
        return holder == null ? "" : holder;
    }

    private static void waitFor(String what, BooleanSupplier condition, OperatorProcess operator)
            throws InterruptedException {
        long deadline = System.nanoTime() + PHASE_LIMIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (!operator.isAlive()) {
                throw new IllegalStateException(
                        "the operator exited while waiting for "
                                + what
                                + "; see "
                                + operator.log());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "gave up waiting for " + what + "; see " + operator.log());
            }
            Thread.sleep(50);
        }
    }

    private static String percentiles(List<Long> nanos) {
        if (nanos.isEmpty()) {
            return "-";
        }
        nanos.sort(null);
        return String.join(
                " / ",
                millis(at(nanos, 0.50)),
                millis(at(nanos, 0.90)),
                millis(at(nanos, 0.99)),
                millis(nanos.get(nanos.size() - 1)));
    }

    private static long at(List<Long> sorted, double quantile) {
        return sorted.get(
                (int) Math.min(sorted.size() - 1, Math.ceil(quantile * sorted.size()) - 1));
    }

    private static String millis(long nanos) {
        return nanos == Long.MAX_VALUE
                ? "never"
                : nanos >= 10_000_000_000L
                        ? seconds(nanos)
                        : String.format(Locale.ROOT, "%.0f ms", nanos / 1e6);
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    private void row(String name, String value) {
        rows.put(name, value);
        System.out.printf("%s: %s%n", name, value);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static int intEnv(String name, int fallback) {
        return Integer.parseInt(env(name, Integer.toString(fallback)));
    }
}
