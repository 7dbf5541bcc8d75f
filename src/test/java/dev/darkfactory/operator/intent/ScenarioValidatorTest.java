package dev.darkfactory.operator.intent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.darkfactory.operator.api.v1alpha1.Capture;
import dev.darkfactory.operator.api.v1alpha1.HttpCheck;
import dev.darkfactory.operator.api.v1alpha1.HttpMethod;
import dev.darkfactory.operator.api.v1alpha1.JsonFieldExpectation;
import dev.darkfactory.operator.api.v1alpha1.Scenario;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntent;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntentSpec;
import dev.darkfactory.operator.api.v1alpha1.Step;
import dev.darkfactory.operator.api.v1alpha1.Validation;
import dev.darkfactory.operator.testing.Fixtures;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Scenario rules in status: each message names the field that is wrong. */
class ScenarioValidatorTest {

    @Test
    void aWellFormedScenarioHasNoProblems() {
        assertThat(messages(List.of(createThenRead()))).isEmpty();
    }

    @Test
    void unknownVariablesAndUsesBeforeTheCaptureAreNamedWithTheirField() {
        Scenario scenario = createThenRead();
        scenario.steps.get(0).headers = Map.of("X-Owner", "{{owner}}");
        scenario.steps.get(0).jsonFields = List.of(new JsonFieldExpectation("/id", "{{id}}"));

        assertThat(messages(List.of(scenario)))
                .containsExactly(
                        "spec.acceptance.scenarios[0].steps[0].headers.X-Owner: unknown variable {{owner}}: "
                                + "not in vars and not captured by an earlier step",
                        "spec.acceptance.scenarios[0].steps[0].jsonFields[0].equals: {{id}} is used before steps[0] captures it");
    }

    @Test
    void badGeneratorsPlaceholdersAndVariableNamesAreNamed() {
        Scenario scenario = createThenRead();
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("title", "int 9 1");
        vars.put("uuid", "word");
        vars.put("n", "dice");
        scenario.vars = vars;
        scenario.steps.get(1).path = "/todos/{{id}}?x={{int 1}}&y={{two words}}";

        assertThat(messages(List.of(scenario)))
                .containsExactly(
                        "spec.acceptance.scenarios[0].vars.title: \"int 9 1\": the least value 9 is greater than the greatest 1",
                        "spec.acceptance.scenarios[0].vars.uuid: \"uuid\" is not a variable name: it starts with a letter or _, "
                                + "holds letters, digits and _, and is none of the generators (uuid, int, word, email)",
                        "spec.acceptance.scenarios[0].vars.n: \"dice\" is not a generator; use one of uuid, int, word, email",
                        "spec.acceptance.scenarios[0].steps[1].path: {{int 1}}: int takes two whole numbers, "
                                + "the least and the greatest value");
    }

    @Test
    void capturesNeedOneSourceAValidPointerAndTheirOwnName() {
        Scenario scenario = createThenRead();
        Capture both = Capture.fromBody("where", "/id");
        both.header = "Location";
        Capture badPointer = Capture.fromBody("other", "id");
        Capture again = Capture.fromHeader("title", "Location");
        scenario.steps.get(1).capture = List.of(both, badPointer, again);

        assertThat(messages(List.of(scenario)))
                .containsExactly(
                        "spec.acceptance.scenarios[0].steps[1].capture[0]: a capture takes exactly one of jsonPointer and header",
                        "spec.acceptance.scenarios[0].steps[1].capture[1].jsonPointer: \"id\" is not a JSON pointer (RFC 6901) "
                                + "such as /id or /items/0/name; ~ must be written ~0 and / in a name ~1",
                        "spec.acceptance.scenarios[0].steps[1].capture[2].name: the variable title is already defined by vars "
                                + "or an earlier capture");
    }

    @Test
    void checksTakeGeneratorsButNoVariablesAndNamesAreSharedWithScenarios() {
        SoftwareIntentSpec spec = spec(List.of(createThenRead()));
        HttpCheck generated = new HttpCheck("random-miss", HttpMethod.GET, "/todos/{{uuid}}", 404);
        HttpCheck variable =
                new HttpCheck("create-then-read", HttpMethod.GET, "/todos/{{id}}", 404);
        spec.acceptance.checks = new ArrayList<>(List.of(generated, variable));

        assertThat(SpecValidator.validate(spec).stream().map(SpecProblem::message))
                .containsExactly(
                        "spec.acceptance.checks[1].path: unknown variable {{id}}: not in vars and not captured by an earlier "
                                + "step (a check has no variables; use a scenario)",
                        "spec.acceptance.scenarios[0].name: names must be unique among checks and scenarios; "
                                + "\"create-then-read\" is used twice");
    }

    @Test
    void trialsAndMinSatisfactionAreBounded() {
        SoftwareIntentSpec spec = spec(List.of(createThenRead()));
        spec.acceptance.trials = 0;
        spec.acceptance.minSatisfaction = 1.5;

        assertThat(SpecValidator.validate(spec).stream().map(SpecProblem::message))
                .containsExactly(
                        "spec.acceptance.trials: must be between 1 and 20, got 0",
                        "spec.acceptance.minSatisfaction: must be between 0 and 1, got 1.5");
    }

    @Test
    void scenariosAloneAreEnoughAcceptance() {
        SoftwareIntentSpec spec = spec(List.of(createThenRead()));
        spec.acceptance.checks = List.of();

        assertThat(SpecValidator.validate(spec)).isEmpty();
    }

    @Test
    void theScenarioExampleIsValid() throws Exception {
        SoftwareIntent example =
                Serialization.unmarshal(
                        Files.readString(Path.of("examples/todo-scenarios.yaml")),
                        SoftwareIntent.class);

        assertThat(SpecValidator.validate(example.getSpec())).isEmpty();
        assertThat(example.getSpec().acceptance.scenarios)
                .extracting(s -> s.name, Scenario::heldOut)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("create-then-read", false),
                        org.assertj.core.groups.Tuple.tuple("priority-round-trip", true));
    }

    @Test
    void thePathPatternAllowsSpacesInsidePlaceholdersOnly() {
        java.util.regex.Pattern path =
                java.util.regex.Pattern.compile(Validation.HTTP_PATH_TEMPLATE);

        assertThat(
                        List.of(
                                "/",
                                "/todos/{{id}}",
                                "/n?x={{int 1 9}}&y={{ uuid }}",
                                "/a{b}",
                                "/{x}/{{word}}"))
                .allMatch(p -> path.matcher(p).matches());
        assertThat(List.of("todos", "/a b", "/{{int 1 9", "/x{ y}", "/a\n"))
                .noneMatch(p -> path.matcher(p).matches());
    }

    static Scenario createThenRead() {
        Step create = new Step("create", HttpMethod.POST, "/todos", 201);
        create.body = "{\"title\":\"{{title}}\"}";
        create.capture = List.of(Capture.fromBody("id", "/id"));
        Step read = new Step("read", HttpMethod.GET, "/todos/{{id}}", 200);
        read.jsonFields = List.of(new JsonFieldExpectation("/title", "{{title}}"));
        Scenario scenario =
                new Scenario("create-then-read", new ArrayList<>(List.of(create, read)));
        scenario.vars = Map.of("title", "word");
        return scenario;
    }

    private static SoftwareIntentSpec spec(List<Scenario> scenarios) {
        SoftwareIntentSpec spec = Fixtures.intent("ns", "todo", "builtin").getSpec();
        spec.acceptance.scenarios = scenarios;
        return spec;
    }

    private static List<String> messages(List<Scenario> scenarios) {
        return SpecValidator.validate(spec(scenarios)).stream().map(SpecProblem::message).toList();
    }
}
