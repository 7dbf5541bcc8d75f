package dev.darkfactory.operator.testing;

import static org.awaitility.Awaitility.await;

import dev.darkfactory.operator.api.v1alpha1.AttemptStatus;
import dev.darkfactory.operator.api.v1alpha1.BudgetSpec;
import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.RunPhase;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntent;
import dev.darkfactory.operator.config.FactorySettings;
import dev.darkfactory.operator.contract.CheckResult;
import dev.darkfactory.operator.contract.StationOutcome;
import dev.darkfactory.operator.contract.TestReport;
import dev.darkfactory.operator.intent.IntentReconciler;
import dev.darkfactory.operator.metrics.FactoryMetrics;
import dev.darkfactory.operator.run.RunReconciler;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * One test's factory: a fresh namespace with a GeneratorClass, the operator's reconcilers
 * in-process, the fake kubelet, and the waits and fixtures the scenario tests share.
 */
public final class FactoryHarness implements AutoCloseable {

    public static final Duration WAIT = Duration.ofSeconds(30);

    public final KubernetesClient client = TestApiServer.client();
    public final String namespace = TestApiServer.newNamespace("factory");
    public final String className = "gen-" + namespace;
    public final FakeKubelet kubelet = new FakeKubelet(client, namespace);
    private FactorySettings settings;
    private InProcessOperator operator;

    public FactoryHarness(FactorySettings settings) {
        client.resource(Fixtures.generatorClass(className, false)).create();
        start(settings);
    }

    public void start(FactorySettings settings) {
        this.settings = settings;
        operator =
                InProcessOperator.start(
                        client,
                        namespace,
                        new IntentReconciler(settings, FactoryMetrics.inMemory()),
                        new RunReconciler(settings, FactoryMetrics.inMemory()));
    }

    /**
     * Stops the operator, does what happens meanwhile, and starts a new one, as a restart would.
     */
    public void restartWhile(Runnable whileDown) {
        operator.close();
        whileDown.run();
        start(settings);
    }

    @Override
    public void close() {
        operator.close();
    }

    public SoftwareIntent createIntent(String name, int maxAttempts, Long maxTokens) {
        SoftwareIntent intent = Fixtures.intent(namespace, name, className);
        intent.getSpec().budget = new BudgetSpec();
        intent.getSpec().budget.maxAttempts = maxAttempts;
        intent.getSpec().budget.maxTokens = maxTokens;
        return client.resource(intent).create();
    }

    public SoftwareIntent intent(String name) {
        return client.resources(SoftwareIntent.class).inNamespace(namespace).withName(name).get();
    }

    public SoftwareIntent awaitIntent(String name, Predicate<SoftwareIntent> until) {
        return await().atMost(WAIT)
                .until(
                        () -> intent(name),
                        i -> i != null && i.getStatus() != null && until.test(i));
    }

    /** Waits until the run the intent reports as its latest satisfies {@code until}. */
    public FactoryRun awaitRun(String intent, Predicate<FactoryRun> until) {
        return await().atMost(WAIT)
                .until(
                        () -> latestRun(intent),
                        r -> r != null && r.getStatus() != null && until.test(r));
    }

    public FactoryRun latestRun(String intent) {
        SoftwareIntent current = intent(intent);
        return current == null
                        || current.getStatus() == null
                        || current.getStatus().latestRun == null
                ? null
                : run(current.getStatus().latestRun);
    }

    public FactoryRun run(String name) {
        return client.resources(FactoryRun.class).inNamespace(namespace).withName(name).get();
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

    /** Plays one attempt to the end: the generator builds {@code image}, the tester reports. */
    public FactoryRun passAttempt(String intent, int n, String image) {
        FactoryRun run = awaitRun(intent, r -> hasPod(r, n, false));
        kubelet.generatorSucceeds(genPod(run, n), built(image, 10L));
        run = awaitRun(intent, r -> hasPod(r, n, true));
        kubelet.testerFinishes(
                testPod(run, n),
                report(List.of("health", "list-todos", "create-todo"), List.of()),
                0);
        return awaitRun(
                intent, r -> phase(r) == RunPhase.Succeeded && image.equals(r.getStatus().image));
    }

    public static RunPhase phase(FactoryRun run) {
        return run.getStatus() == null ? null : run.getStatus().phase;
    }

    public static String genPod(FactoryRun run, int n) {
        return run.getMetadata().getName() + "-a" + n + "-gen";
    }

    public static String testPod(FactoryRun run, int n) {
        return run.getMetadata().getName() + "-a" + n + "-test";
    }

    /** The base image every built fixture image was built on. */
    public static final String BASE_IMAGE =
            "registry.local:5000/base/python@sha256:"
                    + "0000000000000000000000000000000000000000000000000000000000000001";

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

    public List<String> eventReasons(String involvedName) {
        return client.v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(e -> involvedName.equals(e.getInvolvedObject().getName()))
                .map(Event::getReason)
                .toList();
    }
}
