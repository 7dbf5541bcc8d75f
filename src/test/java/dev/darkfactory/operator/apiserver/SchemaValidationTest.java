package dev.darkfactory.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.darkfactory.operator.testing.Fixtures;
import dev.darkfactory.operator.testing.TestApiServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generated CRDs on a real API server: a valid object of each kind is accepted, and a catalogue
 * of invalid ones is rejected with a message that names the field at fault. CEL rules are enforced
 * from Kubernetes 1.25 on; on older servers their cases are skipped with a message (the reconciler
 * reports those in status instead, see IntentReconcilerTest).
 */
// Its namespaces and operators are its own: in the parallel lane, its tests one by one.
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock("SchemaValidationTest")
class SchemaValidationTest {

    private static KubernetesClient client;
    private static String namespace;

    @BeforeAll
    static void start() {
        client = TestApiServer.client();
        namespace = TestApiServer.newNamespace("schema");
    }

    /**
     * One way of spoiling a valid object, the field the rejection must name, and whether it is a
     * CEL rule.
     */
    record Case(
            String title,
            String kind,
            Consumer<Map<String, Object>> spoil,
            String expectedInMessage,
            boolean cel) {
        @Override
        public String toString() {
            return title;
        }
    }

    static Stream<Arguments> invalidObjects() {
        List<Case> cases =
                List.of(
                        intent("spec is required", o -> o.remove("spec"), "spec", false),
                        intent(
                                "description is required",
                                o -> remove(o, "spec.description"),
                                "spec.description",
                                false),
                        intent(
                                "description may not be empty",
                                o -> set(o, "spec.description", ""),
                                "spec.description",
                                false),
                        intent(
                                "description is bounded",
                                o -> set(o, "spec.description", "x".repeat(20001)),
                                "spec.description",
                                false),
                        intent(
                                "acceptance is required",
                                o -> remove(o, "spec.acceptance"),
                                "spec.acceptance",
                                false),
                        intent(
                                "method is an enum",
                                o -> setCheck(o, 0, "method", "FETCH"),
                                "spec.acceptance.checks[0].method",
                                false),
                        intent(
                                "path starts with a slash",
                                o -> setCheck(o, 0, "path", "healthz"),
                                "spec.acceptance.checks[0].path",
                                false),
                        intent(
                                "expected status at most 599",
                                o -> setCheck(o, 0, "expectStatus", 700),
                                "spec.acceptance.checks[0].expectStatus",
                                false),
                        intent(
                                "expected status at least 100",
                                o -> setCheck(o, 0, "expectStatus", 99),
                                "spec.acceptance.checks[0].expectStatus",
                                false),
                        intent(
                                "check name is a DNS label",
                                o -> setCheck(o, 1, "name", "List_Todos"),
                                "spec.acceptance.checks[1].name",
                                false),
                        intent(
                                "JSON field pointer is a JSON pointer",
                                o ->
                                        setCheck(
                                                o,
                                                1,
                                                "jsonFields",
                                                List.of(Map.of("pointer", "items", "equals", "1"))),
                                "spec.acceptance.checks[1].jsonFields[0].pointer",
                                false),
                        intent(
                                "latency bound is a duration",
                                o -> setCheck(o, 1, "maxLatency", "fast"),
                                "spec.acceptance.checks[1].maxLatency",
                                false),
                        intent(
                                "at most 100 checks",
                                o ->
                                        set(
                                                o,
                                                "spec.acceptance.checks",
                                                Collections.nCopies(101, Map.of("path", "/"))),
                                "spec.acceptance.checks",
                                false),
                        intent(
                                "trials at most 20",
                                o -> set(o, "spec.acceptance.trials", 21),
                                "spec.acceptance.trials",
                                false),
                        intent(
                                "minSatisfaction at most 1",
                                o -> set(o, "spec.acceptance.minSatisfaction", 1.5),
                                "spec.acceptance.minSatisfaction",
                                false),
                        intent(
                                "a scenario needs steps",
                                o ->
                                        set(
                                                o,
                                                "spec.acceptance.scenarios",
                                                List.of(Map.of("name", "s"))),
                                "spec.acceptance.scenarios[0].steps",
                                false),
                        intent(
                                "a capture name is a variable name",
                                o ->
                                        set(
                                                o,
                                                "spec.acceptance.scenarios",
                                                List.of(
                                                        scenario(
                                                                Map.of(
                                                                        "path",
                                                                        "/",
                                                                        "capture",
                                                                        List.of(
                                                                                Map.of(
                                                                                        "name",
                                                                                        "1-id",
                                                                                        "jsonPointer",
                                                                                        "/id")))))),
                                "spec.acceptance.scenarios[0].steps[0].capture[0].name",
                                false),
                        intent(
                                "spaces only inside placeholders",
                                o ->
                                        set(
                                                o,
                                                "spec.acceptance.scenarios",
                                                List.of(
                                                        scenario(
                                                                Map.of(
                                                                        "path",
                                                                        "/a b/{{int 1 2}}")))),
                                "spec.acceptance.scenarios[0].steps[0].path",
                                false),
                        intent(
                                "maxAttempts at least 1",
                                o -> set(o, "spec.budget.maxAttempts", 0),
                                "spec.budget.maxAttempts",
                                false),
                        intent(
                                "maxAttempts at most 20",
                                o -> set(o, "spec.budget.maxAttempts", 21),
                                "spec.budget.maxAttempts",
                                false),
                        intent(
                                "attemptTimeout is a duration",
                                o -> set(o, "spec.budget.attemptTimeout", "ten minutes"),
                                "spec.budget.attemptTimeout",
                                false),
                        intent(
                                "maxTokens is positive",
                                o -> set(o, "spec.budget.maxTokens", 0),
                                "spec.budget.maxTokens",
                                false),
                        intent(
                                "port at most 65535",
                                o -> set(o, "spec.serve.port", 70000),
                                "spec.serve.port",
                                false),
                        intent(
                                "replicas not negative",
                                o -> set(o, "spec.serve.replicas", -1),
                                "spec.serve.replicas",
                                false),
                        intent(
                                "memory is a quantity",
                                o -> set(o, "spec.serve.resources.limits.memory", "lots"),
                                "spec.serve.resources.limits.memory",
                                false),
                        intent(
                                "env name is a variable name",
                                o ->
                                        set(
                                                o,
                                                "spec.serve.env",
                                                List.of(Map.of("name", "1 BAD", "value", "x"))),
                                "spec.serve.env[0].name",
                                false),
                        intent(
                                "generatorClassName is an object name",
                                o -> set(o, "spec.generatorClassName", "Bad_Name"),
                                "spec.generatorClassName",
                                false),
                        intent(
                                "paused is a boolean",
                                o -> set(o, "spec.paused", "yes"),
                                "spec.paused",
                                false),
                        generatorClass("spec is required", o -> o.remove("spec"), "spec", false),
                        generatorClass(
                                "image is required",
                                o -> remove(o, "spec.image"),
                                "spec.image",
                                false),
                        generatorClass(
                                "pull policy is one of three",
                                o -> set(o, "spec.imagePullPolicy", "Sometimes"),
                                "spec.imagePullPolicy",
                                false),
                        generatorClass(
                                "timeout is a duration",
                                o -> set(o, "spec.timeout", "1 hour"),
                                "spec.timeout",
                                false),
                        // CEL rules (Kubernetes 1.25+)
                        intent(
                                "a held-out check needs a name",
                                o -> setCheck(o, 2, "name", null),
                                "held-out check",
                                true),
                        intent(
                                "check names are unique",
                                o -> setCheck(o, 1, "name", "health"),
                                "check names must be unique",
                                true),
                        intent(
                                "no body with GET",
                                o -> setCheck(o, 0, "body", "{}"),
                                "body is not allowed",
                                true),
                        intent(
                                "acceptance needs a check or an image",
                                o -> set(o, "spec.acceptance.checks", List.of()),
                                "at least one check",
                                true),
                        intent(
                                "acceptance command needs an image",
                                o -> set(o, "spec.acceptance.command", List.of("run")),
                                "acceptance.command needs acceptance.image",
                                true),
                        intent(
                                "env takes a value or a secret, not both",
                                o ->
                                        set(
                                                o,
                                                "spec.serve.env",
                                                List.of(
                                                        Map.of(
                                                                "name",
                                                                "A",
                                                                "value",
                                                                "x",
                                                                "secretKeyRef",
                                                                Map.of("name", "s", "key", "k")))),
                                "exactly one of value and secretKeyRef",
                                true),
                        intent(
                                "attemptTimeout at least 1m",
                                o -> set(o, "spec.budget.attemptTimeout", "30s"),
                                "attemptTimeout must be between 1m and 24h",
                                true),
                        intent(
                                "a capture takes a pointer or a header",
                                o ->
                                        set(
                                                o,
                                                "spec.acceptance.scenarios",
                                                List.of(
                                                        scenario(
                                                                Map.of(
                                                                        "path",
                                                                        "/",
                                                                        "capture",
                                                                        List.of(
                                                                                Map.of(
                                                                                        "name",
                                                                                        "id")))))),
                                "exactly one of jsonPointer and header",
                                true),
                        intent(
                                "scenario names are unique",
                                o ->
                                        set(
                                                o,
                                                "spec.acceptance.scenarios",
                                                List.of(
                                                        scenario(Map.of("path", "/")),
                                                        scenario(Map.of("path", "/")))),
                                "scenario names must be unique",
                                true),
                        intent(
                                "rolloutTimeout at least 10s",
                                o -> set(o, "spec.serve.rolloutTimeout", "5s"),
                                "rolloutTimeout must be between 10s and 24h",
                                true),
                        intent(
                                "revisionHistoryLimit is not negative",
                                o -> set(o, "spec.serve.revisionHistoryLimit", -1),
                                "spec.serve.revisionHistoryLimit",
                                false),
                        intent(
                                "a pinned revision is a DNS label",
                                o -> set(o, "spec.serve.revision", "G2_a1"),
                                "spec.serve.revision",
                                false));
        return cases.stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidObjects")
    void rejectsInvalidObjectNamingTheField(Case invalid) {
        if (invalid.cel()) {
            assumeTrue(
                    TestApiServer.enforcesCel(),
                    "CEL rules are enforced from Kubernetes 1.25; this API server is "
                            + TestApiServer.serverVersion()
                            + ", so the reconciler reports this rule in status instead");
        }
        Map<String, Object> object = valid(invalid.kind());
        invalid.spoil().accept(object);

        KubernetesClientException rejection =
                catchThrowableOfType(KubernetesClientException.class, () -> create(object));

        assertThat(rejection).as("the API server must reject: %s", invalid.title()).isNotNull();
        assertThat(rejection.getCode()).isEqualTo(422);
        // API servers before 1.26 leave the list indices out of field paths; compare without them.
        assertThat(withoutIndices(rejection.getMessage()))
                .contains(withoutIndices(invalid.expectedInMessage()));
    }

    @Test
    void acceptsValidObjectsOfEveryKind() {
        for (String kind : List.of("SoftwareIntent", "GeneratorClass")) {
            GenericKubernetesResource created = create(valid(kind));
            assertThat(created.getMetadata().getUid()).as(kind).isNotBlank();
        }
    }

    @Test
    void appliesDefaultsFromTheSchema() {
        Map<String, Object> object = valid("SoftwareIntent");
        set(object, "spec.serve.port", 9000);
        GenericKubernetesResource created = create(object);
        Map<String, Object> serve = nested(created.getAdditionalProperties(), "spec.serve");
        assertThat(serve)
                .containsEntry("port", 9000)
                .containsEntry("replicas", 1)
                .containsEntry("healthPath", "/healthz")
                .containsEntry("revisionHistoryLimit", 1)
                .doesNotContainKey("revision");
        Map<String, Object> firstCheck = checks(created.getAdditionalProperties()).get(0);
        assertThat(firstCheck).containsEntry("holdout", false).containsEntry("method", "GET");
    }

    private static Map<String, Object> scenario(Map<String, Object> step) {
        return Map.of("name", "story", "steps", List.of(step));
    }

    private static String withoutIndices(String fieldPath) {
        return fieldPath.replaceAll("\\[\\d+\\]", "");
    }

    // ---- building the objects

    private static Case intent(
            String title, Consumer<Map<String, Object>> spoil, String field, boolean cel) {
        return new Case(title, "SoftwareIntent", spoil, field, cel);
    }

    private static Case generatorClass(
            String title, Consumer<Map<String, Object>> spoil, String field, boolean cel) {
        return new Case(title, "GeneratorClass", spoil, field, cel);
    }

    private static int counter;

    @SuppressWarnings("unchecked")
    private static Map<String, Object> valid(String kind) {
        String name = "valid-" + (++counter);
        Object typed =
                kind.equals("SoftwareIntent")
                        ? Fixtures.intent(namespace, name, "builtin")
                        : Fixtures.generatorClass(name, false);
        return Serialization.jsonMapper().convertValue(typed, LinkedHashMap.class);
    }

    private static GenericKubernetesResource create(Map<String, Object> object) {
        GenericKubernetesResource resource =
                Serialization.jsonMapper().convertValue(object, GenericKubernetesResource.class);
        var api = client.genericKubernetesResources("darkfactory.dev/v1alpha1", resource.getKind());
        return resource.getMetadata().getNamespace() != null
                ? api.inNamespace(resource.getMetadata().getNamespace()).resource(resource).create()
                : api.resource(resource).create();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> checks(Map<String, Object> object) {
        return (List<Map<String, Object>>) nested(object, "spec.acceptance").get("checks");
    }

    private static void setCheck(
            Map<String, Object> object, int index, String field, Object value) {
        List<Map<String, Object>> checks = new ArrayList<>(checks(object));
        Map<String, Object> check = new LinkedHashMap<>(checks.get(index));
        if (value == null) {
            check.remove(field);
        } else {
            check.put(field, value);
        }
        checks.set(index, check);
        nested(object, "spec.acceptance").put("checks", checks);
    }

    private static void set(Map<String, Object> object, String path, Object value) {
        String parent = path.substring(0, path.lastIndexOf('.'));
        nested(object, parent).put(path.substring(path.lastIndexOf('.') + 1), value);
    }

    private static void remove(Map<String, Object> object, String path) {
        String parent = path.substring(0, path.lastIndexOf('.'));
        nested(object, parent).remove(path.substring(path.lastIndexOf('.') + 1));
    }

    /** The map at a dotted path, created on the way when missing. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> nested(Map<String, Object> object, String path) {
        Map<String, Object> current = object;
        for (String key : path.split("\\.")) {
            current =
                    (Map<String, Object>)
                            current.computeIfAbsent(key, k -> new LinkedHashMap<String, Object>());
        }
        return current;
    }
}
