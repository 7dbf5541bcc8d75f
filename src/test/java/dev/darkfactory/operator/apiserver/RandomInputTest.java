package dev.darkfactory.operator.apiserver;

import static dev.darkfactory.operator.testing.FactoryHarness.WAIT;
import static dev.darkfactory.operator.testing.FactoryHarness.phase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.darkfactory.operator.api.v1alpha1.AcceptanceSpec;
import dev.darkfactory.operator.api.v1alpha1.AttemptPhase;
import dev.darkfactory.operator.api.v1alpha1.AttemptStatus;
import dev.darkfactory.operator.api.v1alpha1.BudgetSpec;
import dev.darkfactory.operator.api.v1alpha1.Capture;
import dev.darkfactory.operator.api.v1alpha1.ComputeResources;
import dev.darkfactory.operator.api.v1alpha1.Condition;
import dev.darkfactory.operator.api.v1alpha1.Constraints;
import dev.darkfactory.operator.api.v1alpha1.EnvVar;
import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.FactoryRunSpec;
import dev.darkfactory.operator.api.v1alpha1.GeneratorClass;
import dev.darkfactory.operator.api.v1alpha1.GeneratorClassSpec;
import dev.darkfactory.operator.api.v1alpha1.GeneratorSnapshot;
import dev.darkfactory.operator.api.v1alpha1.HttpCheck;
import dev.darkfactory.operator.api.v1alpha1.HttpExchange;
import dev.darkfactory.operator.api.v1alpha1.HttpMethod;
import dev.darkfactory.operator.api.v1alpha1.IngressFrom;
import dev.darkfactory.operator.api.v1alpha1.JsonFieldExpectation;
import dev.darkfactory.operator.api.v1alpha1.ResourceAmounts;
import dev.darkfactory.operator.api.v1alpha1.RunPhase;
import dev.darkfactory.operator.api.v1alpha1.RunTrigger;
import dev.darkfactory.operator.api.v1alpha1.Scenario;
import dev.darkfactory.operator.api.v1alpha1.SecretKeySelector;
import dev.darkfactory.operator.api.v1alpha1.ServeSpec;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntent;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntentSpec;
import dev.darkfactory.operator.api.v1alpha1.Step;
import dev.darkfactory.operator.config.FactoryConfig;
import dev.darkfactory.operator.intent.IntentReconciler;
import dev.darkfactory.operator.metrics.FactoryMetrics;
import dev.darkfactory.operator.run.RunReconciler;
import dev.darkfactory.operator.status.ErrorStatus;
import dev.darkfactory.operator.testing.FactoryConfigs;
import dev.darkfactory.operator.testing.FactoryHarness;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Random objects the schema accepts, fed to both reconcilers on a real API server (1.20: the CRDs'
 * CEL rules are not enforced there, so cross-field mistakes reach the reconcilers too): names of 63
 * characters and with dots, empty lists, fields at their maximum size, unicode, zero and huge
 * numbers, missing optional blocks. No exception escapes a reconcile, and every object ends with
 * conditions in its status. The test plays the kubelet: every generator pod succeeds, so the inputs
 * of the tester pods are made from the random checks too.
 *
 * <p>Seeded: the seed is printed, and {@code -Drandom-input.seed=N} repeats a run.
 */
// Its namespaces and operators are its own: in the parallel lane, its tests one by one.
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock("RandomInputTest")
class RandomInputTest {

    private static final int INTENTS = 30;
    private static final int RUNS = 8;
    private static final int CLASSES = 2;

    private static final String IMAGE = "registry.test/ns/todo@sha256:" + "a".repeat(64);

    @RegisterExtension final FactoryHarness factory = FactoryHarness.withoutOperator();

    private final long seed = Long.getLong("random-input.seed", System.nanoTime());
    private final Random random = new Random(seed);

    /**
     * Bodies of the schema's full size left for the object being built: a few per object, since 32
     * steps of 65,536 characters each would exceed what etcd stores (1.5 MiB per object), which the
     * API server answers with a 500 before any reconciler sees the object.
     */
    private int largeBodiesLeft;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<GeneratorClass> classes = new ArrayList<>();

    /**
     * Whether the object being made may break what the reconcilers check (names, the class, CEL
     * rules a 1.20 server skips); otherwise it is valid but for its random sizes, scripts and
     * values, so that it gets as far as runs and pods.
     */
    private boolean wild;

    @AfterEach
    void deleteClasses() {
        classes.forEach(c -> factory.client.resource(c).delete());
    }

    @Test
    void randomSchemaValidObjectsEndWithConditionsAndNoExceptionEscapes() {
        System.out.println("RandomInputTest seed " + seed + " (-Drandom-input.seed=" + seed + ")");
        FactoryConfig settings = FactoryConfigs.with("darkfactory.max-concurrent-runs", "100");
        FactoryMetrics metrics = new FactoryMetrics(registry);
        factory.startWith(
                () ->
                        List.of(
                                new IntentReconciler(settings, metrics),
                                new RunReconciler(settings, metrics)));

        List<String> rejected = new ArrayList<>();
        for (int i = 0; i < CLASSES; i++) {
            GeneratorClass generatorClass = generatorClass(i);
            if (create(generatorClass, rejected)) {
                classes.add(generatorClass);
            }
        }
        List<SoftwareIntent> intents = new ArrayList<>();
        for (int i = 0; i < INTENTS; i++) {
            SoftwareIntent intent = intent(i);
            if (create(intent, rejected)) {
                intents.add(factory.intent(intent.getMetadata().getName()));
            }
        }
        for (int i = 0; i < RUNS; i++) {
            create(run(i, intents), rejected);
        }
        System.out.println("rejected by the schema: " + rejected);
        assertThat(rejected)
                .as("the generator makes what the schema accepts (seed %d)", seed)
                .hasSizeLessThanOrEqualTo((INTENTS + RUNS + CLASSES) / 10);

        Set<String> playedPods = new HashSet<>();
        await().atMost(WAIT.multipliedBy(2))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> settled(playedPods));

        System.out.println("RandomInputTest ended with: " + outcomes());
        assertThat(reconcileErrors())
                .as("exceptions that escaped a reconcile (seed %d)", seed)
                .isEmpty();
        for (HasMetadata object : objects()) {
            List<Condition> conditions = conditions(object);
            assertThat(conditions)
                    .as("conditions of %s (seed %d)", describe(object), seed)
                    .isNotEmpty()
                    .noneMatch(c -> ErrorStatus.REASON.equals(c.reason));
        }
    }

    /**
     * Every object has conditions, and every run that runs has gone through its generator pod (the
     * test makes each succeed once) to its tester pod.
     */
    private boolean settled(Set<String> playedPods) {
        boolean settled = true;
        for (FactoryRun run :
                factory.client
                        .resources(FactoryRun.class)
                        .inNamespace(factory.namespace)
                        .list()
                        .getItems()) {
            if (phase(run) == RunPhase.Running) {
                AttemptStatus attempt =
                        run.getStatus().attempts.get(run.getStatus().attempts.size() - 1);
                if (attempt.phase == AttemptPhase.Generating && attempt.generatorPod != null) {
                    if (playedPods.add(attempt.generatorPod)) {
                        factory.kubelet.generatorSucceeds(
                                attempt.generatorPod, FactoryHarness.built(IMAGE, 10L));
                    }
                    settled = false;
                } else if (attempt.testerPod == null) {
                    settled = false;
                }
            }
        }
        for (HasMetadata object : objects()) {
            if (conditions(object).isEmpty()) {
                settled = false;
            }
        }
        // An exception that escaped fails the test at once, naming itself, not after the wait.
        return settled || !reconcileErrors().isEmpty();
    }

    /** What the objects ended as, by kind and reason of their Reconciling condition. */
    private Map<String, Long> outcomes() {
        Map<String, Long> outcomes =
                objects().stream()
                        .collect(
                                Collectors.groupingBy(
                                        o ->
                                                o.getKind()
                                                        + " "
                                                        + conditions(o).stream()
                                                                .filter(
                                                                        c ->
                                                                                c.type.equals(
                                                                                        "Reconciling"))
                                                                .map(c -> c.reason)
                                                                .findFirst()
                                                                .orElse("-"),
                                        java.util.TreeMap::new,
                                        Collectors.counting()));
        outcomes.put(
                "Pods",
                (long)
                        factory.client
                                .pods()
                                .inNamespace(factory.namespace)
                                .list()
                                .getItems()
                                .size());
        return outcomes;
    }

    private List<HasMetadata> objects() {
        List<HasMetadata> objects = new ArrayList<>();
        objects.addAll(
                factory.client
                        .resources(SoftwareIntent.class)
                        .inNamespace(factory.namespace)
                        .list()
                        .getItems());
        objects.addAll(
                factory.client
                        .resources(FactoryRun.class)
                        .inNamespace(factory.namespace)
                        .list()
                        .getItems());
        return objects;
    }

    private static List<Condition> conditions(HasMetadata object) {
        List<Condition> conditions = null;
        if (object instanceof SoftwareIntent intent && intent.getStatus() != null) {
            conditions = intent.getStatus().conditions;
        } else if (object instanceof FactoryRun run && run.getStatus() != null) {
            conditions = run.getStatus().conditions;
        }
        return conditions == null ? List.of() : conditions;
    }

    /** The exceptions that reached updateErrorStatus, by controller and class. */
    private Map<String, Double> reconcileErrors() {
        return registry.find("darkfactory.reconcile.errors").counters().stream()
                .filter(c -> c.count() > 0)
                .collect(
                        Collectors.toMap(
                                c ->
                                        c.getId().getTag("controller")
                                                + ":"
                                                + c.getId().getTag("exception"),
                                Counter::count,
                                Double::sum));
    }

    private boolean create(HasMetadata object, List<String> rejected) {
        try {
            factory.client.resource(object).create();
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() != 422) {
                throw e;
            }
            rejected.add(describe(object) + ": " + e.getStatus().getMessage());
            return false;
        }
    }

    private static String describe(HasMetadata object) {
        return object.getKind() + " " + object.getMetadata().getName();
    }

    // ---- the generator: each choice is drawn from the seeded Random

    private GeneratorClass generatorClass(int i) {
        wild = true;
        GeneratorClassSpec spec = new GeneratorClassSpec();
        spec.description = maybe(() -> text(1024));
        spec.image =
                oneOf(
                        "darkfactory/operator:test",
                        "a",
                        "registry.test:5000/deep/path/to/gen:v1.2.3-rc_1",
                        "gen@sha256:" + "f".repeat(64));
        spec.imagePullPolicy = oneOf("Always", "IfNotPresent", "Never");
        spec.command = maybe(() -> strings(32));
        spec.args = maybe(() -> strings(64));
        spec.env = maybe(this::envVars);
        spec.resources = maybe(this::resources);
        spec.timeout = maybe(this::duration);
        spec.allowedBaseImages = maybe(() -> oneOf(List.of(), List.of("*"), List.of("x/y:1")));
        spec.runtimeClassName = maybe(() -> oneOf("gvisor", "kata.containers-" + i));
        GeneratorClass generatorClass = new GeneratorClass();
        generatorClass.setMetadata(
                new ObjectMetaBuilder().withName(factory.className + "-r" + i).build());
        generatorClass.setSpec(spec);
        return generatorClass;
    }

    private SoftwareIntent intent(int i) {
        wild = random.nextInt(3) == 0;
        SoftwareIntent intent = new SoftwareIntent();
        Map<String, String> annotations = new LinkedHashMap<>();
        if (random.nextInt(4) == 0) {
            annotations.put("note.example.com/text", text(200));
        }
        if (random.nextInt(6) == 0) {
            annotations.put("darkfactory.dev/rebuild", text(20));
        }
        intent.setMetadata(
                new ObjectMetaBuilder()
                        .withName(intentName(i))
                        .withNamespace(factory.namespace)
                        .withAnnotations(annotations)
                        .build());
        intent.setSpec(intentSpec());
        return intent;
    }

    /** Unique by {@code i}; DNS subdomains of every shape Kubernetes accepts. */
    private String intentName(int i) {
        String n = "i" + i;
        if (!wild) {
            return oneOf(n + "-app", n + "-" + "y".repeat(40 - n.length() - 1));
        }
        return switch (random.nextInt(7)) {
            case 0 -> n + "-" + "x".repeat(63 - n.length() - 1); // a label of 63
            case 1 -> "my." + n; // dots
            case 2 -> "2048-" + n; // starts with a digit
            case 3 -> n + "." + "a".repeat(60) + "." + "b".repeat(60) + ".c"; // a long subdomain
            case 4 -> n + "-y" + "y".repeat(random.nextInt(39)); // around the intent name limit
            default -> n + "-app";
        };
    }

    private SoftwareIntentSpec intentSpec() {
        SoftwareIntentSpec spec = new SoftwareIntentSpec();
        largeBodiesLeft = 2;
        spec.description = text(oneOf(1, 200, 20000));
        spec.constraints = maybe(this::constraints);
        spec.generatorClassName =
                !wild
                        ? factory.className
                        : oneOf(
                                factory.className,
                                factory.className,
                                factory.className,
                                "no-such-class",
                                factory.className + "-r0",
                                factory.className + "-r1",
                                null);
        spec.acceptance = acceptance();
        spec.serve = maybe(this::serve);
        spec.budget = maybe(this::budget);
        spec.paused = oneOf(null, false, false, true);
        return spec;
    }

    private Constraints constraints() {
        Constraints constraints = new Constraints();
        constraints.language = maybe(() -> text(64));
        constraints.runtime = maybe(() -> text(128));
        constraints.notes = maybe(() -> text(8192));
        return constraints;
    }

    private AcceptanceSpec acceptance() {
        AcceptanceSpec acceptance = new AcceptanceSpec();
        int checks = wild ? oneOf(0, 1, 2, 3, 5) : oneOf(1, 2, 3, 5);
        acceptance.checks = new ArrayList<>();
        for (int c = 0; c < checks; c++) {
            acceptance.checks.add(check(c));
        }
        if (random.nextInt(4) == 0) {
            acceptance.scenarios = new ArrayList<>();
            acceptance.scenarios.add(scenario());
        }
        acceptance.trials = maybe(() -> oneOf(1, 2, 20));
        acceptance.minSatisfaction = maybe(() -> oneOf(0.0, 0.5, 1.0));
        if (random.nextInt(8) == 0) {
            acceptance.image = "registry.test/tests:1";
            acceptance.command = maybe(() -> strings(32));
        } else if (wild && random.nextInt(3) == 0) {
            acceptance.command = List.of("sh"); // without image: the CEL rule is not enforced
        }
        return acceptance;
    }

    private HttpCheck check(int c) {
        HttpCheck check = new HttpCheck();
        // Names repeat now and then, and a held-out check may have none: CEL rules that a 1.20
        // server does not enforce.
        check.name = wild ? oneOf("c" + c, "dup", "x".repeat(63), null) : "c" + c;
        check.holdout = oneOf(null, false, true);
        exchange(check);
        return check;
    }

    private Scenario scenario() {
        Scenario scenario = new Scenario();
        scenario.name = wild ? oneOf("flow", "dup", "c0") : "flow";
        scenario.holdout = random.nextBoolean();
        scenario.vars =
                wild
                        ? maybe(
                                () ->
                                        Map.of(
                                                "id",
                                                oneOf("uuid", "int 1 1000", "no such generator")))
                        : Map.of("id", oneOf("uuid", "word", "int 1 1000"));
        scenario.steps = new ArrayList<>();
        int count = oneOf(1, 2, 32);
        for (int s = 0; s < count; s++) {
            Step step = new Step();
            step.name = maybe(() -> "s" + random.nextInt(3));
            exchange(step);
            if (random.nextBoolean()) {
                step.capture =
                        List.of(
                                oneOf(
                                        Capture.fromBody("id", "/id"),
                                        Capture.fromHeader("loc", "Location"),
                                        Capture.fromBody("id", "/a~1b/0")));
            }
            scenario.steps.add(step);
        }
        return scenario;
    }

    private void exchange(HttpExchange exchange) {
        exchange.method = oneOf(null, HttpMethod.values());
        exchange.path =
                oneOf(
                        "/",
                        "/todos",
                        wild ? "/todos/{{id}}?q={{int 1 9}}" : "/todos?q={{int 1 9}}",
                        "/" + "p".repeat(2047),
                        "/ünïcødé/😀");
        exchange.headers = maybe(() -> oneOf(Map.of(), Map.of("X-A", text(100))));
        // A body with GET or HEAD: a CEL rule a 1.20 server does not enforce.
        exchange.body = maybe(() -> text(oneOf(1, 10, largeBodiesLeft-- > 0 ? 65536 : 1024)));
        exchange.expectStatus = maybe(() -> oneOf(100, 200, 599));
        exchange.bodyContains = maybe(() -> text(4096));
        exchange.jsonFields =
                maybe(() -> oneOf(List.of(), List.of(new JsonFieldExpectation("/a/0", text(50)))));
        exchange.maxLatency = maybe(this::duration);
        boolean bodyless =
                exchange.method == null
                        || exchange.method == HttpMethod.GET
                        || exchange.method == HttpMethod.HEAD;
        if (!wild && exchange.body != null && bodyless) {
            exchange.method = HttpMethod.POST;
        }
    }

    private ServeSpec serve() {
        ServeSpec serve = new ServeSpec();
        serve.port = maybe(() -> oneOf(1, 8080, 65535));
        serve.replicas = maybe(() -> oneOf(0, 1, 50));
        serve.healthPath = maybe(() -> oneOf("/", "/healthz", "/" + "h".repeat(1023)));
        serve.resources = maybe(this::resources);
        serve.env = maybe(this::envVars);
        serve.rolloutTimeout = maybe(() -> wild ? duration() : oneOf("10s", "5m", "24h"));
        serve.forwardAppOutput = maybe(random::nextBoolean);
        serve.ingressFrom = maybe(() -> oneOf(IngressFrom.values()));
        serve.egress = maybe(List::of);
        return serve;
    }

    private BudgetSpec budget() {
        BudgetSpec budget = new BudgetSpec();
        budget.maxAttempts = maybe(() -> oneOf(1, 3, 20));
        // 0s and 999h break CEL rules a 1.20 server does not enforce
        budget.attemptTimeout = maybe(() -> wild ? duration() : oneOf("1m", "1h30m", "24h"));
        budget.maxTokens = maybe(() -> oneOf(1L, 1000L, Long.MAX_VALUE));
        budget.maxCost = maybe(() -> oneOf("0", "5.00", "999999999.999999999"));
        return budget;
    }

    private List<EnvVar> envVars() {
        List<EnvVar> env = new ArrayList<>();
        int count = oneOf(0, 1, 3);
        for (int e = 0; e < count; e++) {
            EnvVar var = new EnvVar();
            var.name = wild ? oneOf("A_" + e, "dup", "-._weird" + e) : "A_" + e;
            boolean value = random.nextBoolean();
            if (value || wild && random.nextBoolean()) {
                var.value = text(oneOf(1, 100, 4096));
            }
            if (!value || wild && random.nextBoolean()) {
                // both or neither: a CEL rule a 1.20 server does not enforce
                var.secretKeyRef = new SecretKeySelector("missing-secret", "key.with-dots_1");
            }
            env.add(var);
        }
        return env;
    }

    private ComputeResources resources() {
        return new ComputeResources(
                maybe(() -> new ResourceAmounts(maybe(this::quantity), maybe(this::quantity))),
                maybe(() -> new ResourceAmounts(maybe(this::quantity), maybe(this::quantity))));
    }

    private String quantity() {
        return oneOf("0", "1", "250m", "1.5", "999Ti", "0.001m", "128Mi");
    }

    private String duration() {
        return oneOf("0s", "1ms", "10s", "1m", "20m", "24h", "999h", "1h30m");
    }

    private RunTrigger trigger() {
        return oneOf(RunTrigger.values());
    }

    /**
     * Runs the operator never made: no controller, a controller of another kind, one that does not
     * match spec.intentName, or a live intent's name under an older UID. None may run a pod; each
     * ends with conditions that say why.
     */
    private FactoryRun run(int i, List<SoftwareIntent> intents) {
        wild = true;
        FactoryRunSpec spec = new FactoryRunSpec();
        spec.intentName = intents.isEmpty() ? "nobody" : intents.get(0).getMetadata().getName();
        spec.intentGeneration = oneOf(0L, 1L, Long.MAX_VALUE);
        spec.trigger = trigger();
        spec.intent = intentSpec();
        spec.generator =
                new GeneratorSnapshot(
                        factory.className,
                        maybe(() -> oneOf(0L, Long.MAX_VALUE)),
                        generatorClass(i).getSpec());
        spec.rebuildToken = maybe(() -> text(40));
        spec.previousSource = maybe(() -> IMAGE);
        FactoryRun run = new FactoryRun();
        var meta =
                new ObjectMetaBuilder()
                        .withName(oneOf("r" + i, "r" + i + "." + "z".repeat(60)))
                        .withNamespace(factory.namespace);
        var owner =
                new OwnerReferenceBuilder()
                        .withApiVersion("darkfactory.dev/v1alpha1")
                        .withKind("SoftwareIntent")
                        .withName(spec.intentName)
                        .withUid(UUID.randomUUID().toString())
                        .withController(true);
        switch (random.nextInt(4)) {
            case 0 -> {} // no owner
            case 1 -> meta.withOwnerReferences(owner.withKind("GeneratorClass").build());
            case 2 -> meta.withOwnerReferences(owner.withName("someone-else").build());
            default -> meta.withOwnerReferences(owner.build()); // the live intent, an old UID
        }
        run.setMetadata(meta.build());
        run.setSpec(spec);
        return run;
    }

    private static final String[] ALPHABETS = {
        "abcdefghijklmnopqrstuvwxyz0123456789 ",
        "äöüßéèçñ€ÆØÅ",
        "日本語の説明文中文",
        "שלום مرحبا",
        "😀🚀🧪",
        "\"\\'{}$<>&\n\t%",
    };

    /** Up to {@code max} characters (exactly {@code max} one time in three), of mixed scripts. */
    private String text(int max) {
        int length = max == 0 ? 0 : random.nextInt(3) == 0 ? max : 1 + random.nextInt(max);
        StringBuilder text = new StringBuilder();
        String alphabet = ALPHABETS[random.nextInt(ALPHABETS.length)];
        while (text.length() < length) {
            int c =
                    alphabet.codePointAt(
                            alphabet.offsetByCodePoints(
                                    0,
                                    random.nextInt(alphabet.codePointCount(0, alphabet.length()))));
            if (text.length() + Character.charCount(c) > length) {
                break;
            }
            text.appendCodePoint(c);
        }
        // The schema counts characters, not UTF-16 units: stay within max either way. Tame text
        // names no placeholder a check could not fill.
        String made = text.length() == 0 && max > 0 ? "a" : text.toString();
        return wild ? made : made.replace("{{", "{ ");
    }

    private List<String> strings(int max) {
        List<String> strings = new ArrayList<>();
        int count = oneOf(0, 1, max);
        for (int s = 0; s < count; s++) {
            strings.add(text(50));
        }
        return strings;
    }

    /** Null one time in three: optional blocks go missing. */
    private <T> T maybe(Supplier<T> value) {
        return random.nextInt(3) == 0 ? null : value.get();
    }

    @SafeVarargs
    private <T> T oneOf(T... values) {
        return values[random.nextInt(values.length)];
    }

    private <T> T oneOf(T first, T[] rest) {
        int i = random.nextInt(rest.length + 1);
        return i == 0 ? first : rest[i - 1];
    }
}
