package dev.darkfactory.operator.testing;

import static org.awaitility.Awaitility.await;

import dev.darkfactory.operator.api.v1alpha1.AttemptStatus;
import dev.darkfactory.operator.api.v1alpha1.BudgetSpec;
import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntent;
import dev.darkfactory.operator.contract.CheckResult;
import dev.darkfactory.operator.contract.StationOutcome;
import dev.darkfactory.operator.contract.TestReport;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Takes a {@link Fixtures#intent} through the factory loop for tests that need real objects in a
 * given state: creates it, waits for what the reconcilers do, and plays the kubelet for the pods of
 * its attempts. Works as the administrator, whoever the operator runs as.
 */
public final class IntentDriver {

    public static final Duration WAIT = Duration.ofSeconds(60);
    public static final String IMAGE = "registry.test/ns/todo@sha256:" + "a".repeat(64);
    private static final String SOURCE_IMAGE =
            "registry.test/ns/todo-source@sha256:" + "b".repeat(64);

    private final KubernetesClient client;
    private final String namespace;
    private final FakeKubelet kubelet;

    public IntentDriver(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
        this.kubelet = new FakeKubelet(client, namespace);
    }

    /**
     * Creates the fixture intent {@code name}, using {@code generatorClass}, with at most {@code
     * maxAttempts} attempts per run.
     */
    public SoftwareIntent create(String name, String generatorClass, int maxAttempts) {
        SoftwareIntent intent = Fixtures.intent(namespace, name, generatorClass);
        intent.getSpec().budget = new BudgetSpec();
        intent.getSpec().budget.maxAttempts = maxAttempts;
        return client.resource(intent).create();
    }

    /**
     * Edits the intent as a user would; an edit that races the operator's status patch is tried
     * again.
     */
    public SoftwareIntent edit(String name, UnaryOperator<SoftwareIntent> change) {
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

    public SoftwareIntent get(String name) {
        return client.resources(SoftwareIntent.class).inNamespace(namespace).withName(name).get();
    }

    public SoftwareIntent awaitIntent(String name, Predicate<SoftwareIntent> until) {
        return await().atMost(WAIT)
                .until(() -> get(name), i -> i != null && i.getStatus() != null && until.test(i));
    }

    public FactoryRun run(String name) {
        return client.resources(FactoryRun.class).inNamespace(namespace).withName(name).get();
    }

    /** The run the intent reports as its latest, once it satisfies {@code until}. */
    public FactoryRun awaitLatestRun(String intent, Predicate<FactoryRun> until) {
        return await().atMost(WAIT)
                .until(
                        () -> latestRun(intent),
                        r -> r != null && r.getStatus() != null && until.test(r));
    }

    /**
     * The latest run once attempt {@code n} has its generator pod (or tester pod) recorded and
     * created.
     */
    public FactoryRun awaitPod(String intent, int n, boolean tester) {
        return awaitLatestRun(
                intent,
                r -> {
                    if (r.getStatus().attempts.size() < n) {
                        return false;
                    }
                    String pod = podName(r.getStatus().attempts.get(n - 1), tester);
                    return pod != null && kubelet.exists(pod);
                });
    }

    /**
     * Changes the spec of an intent whose first run has started its first attempt, and waits until
     * the intent's latest run builds the new generation. Returns the superseded run.
     */
    public FactoryRun supersede(String intent) {
        FactoryRun superseded = awaitPod(intent, 1, false);
        edit(
                intent,
                i -> {
                    i.getSpec().description = "A REST service for todo items, now with priorities.";
                    return i;
                });
        awaitLatestRun(
                intent,
                r -> r.getSpec().intentGeneration == superseded.getSpec().intentGeneration + 1);
        return superseded;
    }

    /** Attempt {@code n} of the latest run builds an image and passes every check. */
    public void passAttempt(String intent, int n) {
        FactoryRun run = awaitPod(intent, n, false);
        kubelet.generatorSucceeds(podName(run.getStatus().attempts.get(n - 1), false), built());
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
                podName(run.getStatus().attempts.get(n - 1), true),
                new TestReport(true, true, results.size(), 0, results, 0, null),
                TestReport.EXIT_PASSED);
    }

    /**
     * Plays the Deployment controller: the intent's Deployment, once made, reports itself rolled
     * out.
     */
    public void rollOut(String intent) {
        FakeDeploymentController deployments = new FakeDeploymentController(client, namespace);
        await().atMost(WAIT).until(() -> deployments.get(intent) != null);
        deployments.rolledOut(intent);
    }

    /** The build station of attempt {@code n} of the latest run fails. */
    public void failAttempt(String intent, int n) {
        FactoryRun run = awaitPod(intent, n, false);
        kubelet.stationFails(
                podName(run.getStatus().attempts.get(n - 1), false),
                "build",
                1,
                "Error",
                "{\"station\":\"build\",\"ok\":false,\"reason\":\"BaseImageNotAllowed\",\"message\":\"base image evil:1 is not on the allow-list\"}");
    }

    private FactoryRun latestRun(String intent) {
        SoftwareIntent current = get(intent);
        return current == null
                        || current.getStatus() == null
                        || current.getStatus().latestRun == null
                ? null
                : run(current.getStatus().latestRun);
    }

    private static String podName(AttemptStatus attempt, boolean tester) {
        return tester ? attempt.testerPod : attempt.generatorPod;
    }

    private static StationOutcome built() {
        return new StationOutcome("report", true, null, null, IMAGE, SOURCE_IMAGE, 8080, 100L, 3);
    }
}
