package dev.darkfactory.operator.testing;

import static org.awaitility.Awaitility.await;

import dev.darkfactory.operator.api.v1alpha1.AttemptStatus;
import dev.darkfactory.operator.api.v1alpha1.BudgetSpec;
import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.RunPhase;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntent;
import dev.darkfactory.operator.config.FactoryConfig;
import dev.darkfactory.operator.contract.CheckResult;
import dev.darkfactory.operator.contract.StationOutcome;
import dev.darkfactory.operator.contract.TestReport;
import dev.darkfactory.operator.intent.IntentReconciler;
import dev.darkfactory.operator.metrics.FactoryMetrics;
import dev.darkfactory.operator.run.RunReconciler;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The one harness of the API-server tests: a fresh namespace with a GeneratorClass, the operator's
 * reconcilers in-process (started, stopped and restarted at will), the fake kubelet, and the verbs
 * that take an intent through the factory loop and wait for what the reconcilers do. It works as
 * the administrator, whoever the operator runs as.
 *
 * <p>Register it as a JUnit extension, a new one per test:
 *
 * <pre>
 * &#64;RegisterExtension final FactoryHarness factory = new FactoryHarness(FactoryConfigs.defaults());
 * </pre>
 *
 * Then a failing test prints what it saw in its namespace (events, pods, the statuses of intents,
 * runs and Deployments, see {@link NamespaceDump}) while the operator still runs, and the operator
 * stops after each test.
 */
public final class FactoryHarness
        implements AutoCloseable, AfterTestExecutionCallback, AfterEachCallback {

    /**
     * How long any wait of the harness waits at most; a passing wait returns as soon as it holds.
     */
    public static final Duration WAIT = Duration.ofSeconds(60);

    /** The image {@link #passAttempt(String, int)} builds. */
    public static final String IMAGE = "registry.test/ns/todo@sha256:" + "a".repeat(64);

    /** The base image every built fixture image was built on. */
    public static final String BASE_IMAGE =
            "registry.local:5000/base/python@sha256:"
                    + "0000000000000000000000000000000000000000000000000000000000000001";

    public final KubernetesClient client = TestApiServer.client();
    public final String namespace = TestApiServer.newNamespace("factory");
    public final String className = "gen-" + namespace;
    public final FakeKubelet kubelet = new FakeKubelet(client, namespace);
    private Supplier<List<Reconciler<? extends HasMetadata>>> reconcilers;
    private InProcessOperator operator;

    /** Every version of this namespace's runs the API server announced, oldest first. */
    private final Queue<FactoryRun> runVersions = new ConcurrentLinkedQueue<>();

    private final Watch runWatch;

    /** A namespace with a GeneratorClass, and the operator running with these settings. */
    public FactoryHarness(FactoryConfig settings) {
        this();
        start(settings);
    }

    private FactoryHarness() {
        client.resource(Fixtures.generatorClass(className, false)).create();
        runWatch =
                client.resources(FactoryRun.class)
                        .inNamespace(namespace)
                        .watch(Watchers.each(runVersions::add));
    }

    /**
     * A namespace with a GeneratorClass and no operator yet: the test starts one with {@link
     * #start}, or runs its own.
     */
    public static FactoryHarness withoutOperator() {
        return new FactoryHarness();
    }

    // ---- lifecycle

    /** Starts the intent and run reconcilers with these settings, watching this namespace. */
    public void start(FactoryConfig settings) {
        startWith(
                () ->
                        List.of(
                                new IntentReconciler(settings, FactoryMetrics.inMemory()),
                                new RunReconciler(settings, FactoryMetrics.inMemory())));
    }

    /**
     * Starts only these reconcilers, watching this namespace; a restart makes them afresh, as a new
     * process would.
     */
    @SuppressWarnings("unchecked")
    public void startWith(Supplier<List<Reconciler<? extends HasMetadata>>> reconcilers) {
        if (operator != null) {
            throw new IllegalStateException("the operator already runs; stop() it first");
        }
        this.reconcilers = reconcilers;
        operator =
                InProcessOperator.start(
                        client, namespace, reconcilers.get().toArray(new Reconciler[0]));
    }

    /** Stops the operator, if it runs. */
    public void stop() {
        if (operator != null) {
            operator.close();
            operator = null;
        }
    }

    /**
     * Stops the operator, does what happens meanwhile, and starts a new one with the same settings,
     * as a restart would.
     */
    public void restartWhile(Runnable whileDown) {
        stop();
        whileDown.run();
        startWith(reconcilers);
    }

    @Override
    public void close() {
        stop();
        runWatch.close();
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        context.getExecutionException()
                .ifPresent(
                        failure ->
                                TestDiagnostics.record(
                                        context.getRequiredTestClass().getSimpleName()
                                                + "."
                                                + context.getRequiredTestMethod().getName(),
                                        NamespaceDump.of(
                                                client,
                                                namespace,
                                                context.getRequiredTestClass().getSimpleName()
                                                        + "."
                                                        + context.getDisplayName())));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }

    // ---- objects

    /**
     * Creates the fixture intent {@code name} with this namespace's class and a budget of {@code
     * maxAttempts} attempts and {@code maxTokens} tokens (null: no cap).
     */
    public SoftwareIntent createIntent(String name, int maxAttempts, Long maxTokens) {
        return client.resource(fixture(name, className, maxAttempts, maxTokens)).create();
    }

    /** Creates the fixture intent {@code name} naming {@code generatorClass}. */
    public SoftwareIntent createIntent(String name, String generatorClass, int maxAttempts) {
        return client.resource(fixture(name, generatorClass, maxAttempts, null)).create();
    }

    private SoftwareIntent fixture(
            String name, String generatorClass, int maxAttempts, Long maxTokens) {
        SoftwareIntent intent = Fixtures.intent(namespace, name, generatorClass);
        intent.getSpec().budget = new BudgetSpec();
        intent.getSpec().budget.maxAttempts = maxAttempts;
        intent.getSpec().budget.maxTokens = maxTokens;
        return intent;
    }

    /**
     * Edits the intent as a user would; an edit that races the operator's status patch is tried
     * again.
     */
    public SoftwareIntent editIntent(String name, UnaryOperator<SoftwareIntent> change) {
        for (int attempt = 1; ; attempt++) {
            try {
                return client.resources(SoftwareIntent.class)
                        .inNamespace(namespace)
                        .withName(name)
                        .edit(change);
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 5) {
                    throw e;
                }
            }
        }
    }

    public SoftwareIntent intent(String name) {
        return client.resources(SoftwareIntent.class).inNamespace(namespace).withName(name).get();
    }

    public FactoryRun run(String name) {
        return client.resources(FactoryRun.class).inNamespace(namespace).withName(name).get();
    }

    /** The run the intent reports as its latest, if any. */
    public FactoryRun latestRun(String intent) {
        SoftwareIntent current = intent(intent);
        return current == null
                        || current.getStatus() == null
                        || current.getStatus().latestRun == null
                ? null
                : run(current.getStatus().latestRun);
    }

    public List<String> eventReasons(String involvedName) {
        return client.v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(e -> involvedName.equals(e.getInvolvedObject().getName()))
                .map(Event::getReason)
                .toList();
    }

    // ---- waits

    /** The intent once it has a status that satisfies {@code until}. */
    public SoftwareIntent awaitIntent(String name, Predicate<SoftwareIntent> until) {
        return diagnosed(
                () ->
                        await().atMost(WAIT)
                                .until(
                                        () -> intent(name),
                                        i -> i != null && i.getStatus() != null && until.test(i)));
    }

    /** The run the intent reports as its latest, once it satisfies {@code until}. */
    public FactoryRun awaitRun(String intent, Predicate<FactoryRun> until) {
        return diagnosed(
                () ->
                        await().atMost(WAIT)
                                .until(
                                        () -> latestRun(intent),
                                        r -> r != null && r.getStatus() != null && until.test(r)));
    }

    /**
     * The first version of a run of {@code intent} that satisfied {@code until}, as the API server
     * announced it: for a state a run may pass through faster than {@link #awaitRun} polls (Blocked
     * for a one-second retry backoff on a busy machine), which a poll could miss.
     */
    public FactoryRun awaitRunPassedThrough(String intent, Predicate<FactoryRun> until) {
        return diagnosed(
                () ->
                        await().atMost(WAIT)
                                .until(() -> firstVersion(intent, until), Optional::isPresent)
                                .orElseThrow());
    }

    private Optional<FactoryRun> firstVersion(String intent, Predicate<FactoryRun> until) {
        return runVersions.stream()
                .filter(r -> intent.equals(r.getSpec().intentName))
                .filter(r -> r.getStatus() != null && until.test(r))
                .findFirst();
    }

    /**
     * What {@code wait} returns; when it times out, the namespace and the operator's threads are
     * recorded at that moment (see {@link TestDiagnostics}), before teardown changes them, also in
     * tests that make their harness themselves rather than registering it.
     */
    private <T> T diagnosed(Supplier<T> wait) {
        try {
            return wait.get();
        } catch (ConditionTimeoutException e) {
            String test = TestDiagnostics.callingTest();
            TestDiagnostics.record(
                    test,
                    (operator == null ? "" : operator.eventStates())
                            + NamespaceDump.of(client, namespace, test));
            throw e;
        }
    }

    /**
     * The latest run once attempt {@code n} has its generator pod (or tester pod) recorded and
     * created.
     */
    public FactoryRun awaitPod(String intent, int n, boolean tester) {
        return awaitRun(intent, r -> hasPod(r, n, tester));
    }

    /** Whether attempt {@code n} has its generator (or tester) pod recorded and present. */
    public boolean hasPod(FactoryRun run, int n, boolean tester) {
        if (run.getStatus().attempts.size() < n) {
            return false;
        }
        AttemptStatus attempt = run.getStatus().attempts.get(n - 1);
        String pod = tester ? attempt.testerPod : attempt.generatorPod;
        return pod != null && kubelet.exists(pod);
    }

    // ---- the kubelet's and the Deployment controller's part

    /**
     * Attempt {@code n} of the latest run builds {@link #IMAGE} and passes every check; returns the
     * run once it has Succeeded.
     */
    public FactoryRun passAttempt(String intent, int n) {
        return passAttempt(intent, n, IMAGE);
    }

    /**
     * Attempt {@code n} of the latest run builds {@code image} and passes every check of its spec;
     * returns the run once it has Succeeded with that image.
     */
    public FactoryRun passAttempt(String intent, int n, String image) {
        FactoryRun run = awaitPod(intent, n, false);
        kubelet.generatorSucceeds(genPod(run, n), built(image, 10L));
        run = awaitPod(intent, n, true);
        List<CheckResult> results =
                run.getSpec().intent.acceptance.checks.stream()
                        .map(
                                c ->
                                        new CheckResult(
                                                c.name,
                                                c.heldOut(),
                                                true,
                                                c.method + " " + c.path,
                                                null))
                        .toList();
        kubelet.testerFinishes(
                testPod(run, n),
                new TestReport(true, true, results.size(), 0, results, 0, null),
                TestReport.EXIT_PASSED);
        return awaitRun(
                intent, r -> phase(r) == RunPhase.Succeeded && image.equals(r.getStatus().image));
    }

    /** The build station of attempt {@code n} of the latest run fails. */
    public void failAttempt(String intent, int n) {
        FactoryRun run = awaitPod(intent, n, false);
        kubelet.stationFails(
                genPod(run, n),
                "build",
                1,
                "Error",
                "{\"station\":\"build\",\"ok\":false,\"reason\":\"BaseImageNotAllowed\",\"message\":\"base image evil:1 is not on the allow-list\"}");
    }

    /**
     * Changes the spec of an intent whose first run has started its first attempt, and waits until
     * the intent's latest run builds the new generation. Returns the superseded run.
     */
    public FactoryRun supersede(String intent) {
        FactoryRun superseded = awaitPod(intent, 1, false);
        editIntent(
                intent,
                i -> {
                    i.getSpec().description = "A REST service for todo items, now with priorities.";
                    return i;
                });
        awaitRun(
                intent,
                r -> r.getSpec().intentGeneration == superseded.getSpec().intentGeneration + 1);
        return superseded;
    }

    /**
     * Plays the Deployment controller and the verification of a promotion: the intent's candidate
     * revision, once made, reports itself rolled out, and its verification pod passes. Returns the
     * revision, once it serves.
     */
    public String rollOut(String intent) {
        String revision = awaitCandidate(intent);
        FakeDeploymentController deployments = new FakeDeploymentController(client, namespace);
        deployments.rolledOut(intent + "-" + revision);
        passVerification(intent, revision);
        awaitIntent(intent, i -> revision.equals(i.getStatus().servingRevision));
        return revision;
    }

    /**
     * Waits until the intent promotes a candidate revision and its Deployment exists; returns the
     * revision.
     */
    public String awaitCandidate(String intent) {
        String revision =
                awaitIntent(
                                intent,
                                i ->
                                        i.getStatus().rollout != null
                                                && i.getStatus().rollout.revision != null
                                                && !i.getStatus().rollout.rollingBack())
                        .getStatus()
                        .rollout
                        .revision;
        FakeDeploymentController deployments = new FakeDeploymentController(client, namespace);
        await().atMost(WAIT).until(() -> deployments.get(intent + "-" + revision) != null);
        return revision;
    }

    /** The verification pod of the revision, once made, passes every check. */
    public void passVerification(String intent, String revision) {
        finishVerification(
                intent,
                revision,
                new TestReport(true, true, 1, 0, List.of(), 0, null),
                TestReport.EXIT_PASSED);
    }

    /** The verification pod of the revision, once made, ends with this report. */
    public void finishVerification(String intent, String revision, TestReport report, int exit) {
        String pod = verifierPod(intent, revision);
        await().atMost(WAIT).until(() -> kubelet.exists(pod));
        kubelet.verifierFinishes(pod, report, exit);
    }

    public static String verifierPod(String intent, String revision) {
        return intent + "-" + revision + "-verify";
    }

    // ---- names and fixtures

    public static RunPhase phase(FactoryRun run) {
        return run.getStatus() == null ? null : run.getStatus().phase;
    }

    public static String genPod(FactoryRun run, int n) {
        return run.getMetadata().getName() + "-a" + n + "-gen";
    }

    public static String testPod(FactoryRun run, int n) {
        return run.getMetadata().getName() + "-a" + n + "-test";
    }

    /** The report of a generator pod that built {@code image} on {@link #BASE_IMAGE}. */
    public static StationOutcome built(String image, Long tokens) {
        return new StationOutcome(
                "report",
                true,
                null,
                null,
                image,
                image.replace("@", "-source@"),
                8080,
                tokens,
                3,
                BASE_IMAGE);
    }

    /** A tester report; the fixture's held-out check is create-todo. */
    public static TestReport report(List<String> passed, List<String> failed) {
        List<CheckResult> results = new ArrayList<>();
        passed.forEach(
                n ->
                        results.add(
                                new CheckResult(
                                        n, n.equals("create-todo"), true, "GET /" + n, null)));
        failed.forEach(
                n ->
                        results.add(
                                new CheckResult(
                                        n,
                                        n.equals("create-todo"),
                                        false,
                                        "GET /" + n,
                                        "expected status 200, got 404")));
        return new TestReport(
                failed.isEmpty(), true, passed.size(), failed.size(), results, 0, null);
    }
}
