package dev.darkfactory.operator.station.test;

import dev.darkfactory.operator.api.v1alpha1.HttpCheck;
import dev.darkfactory.operator.api.v1alpha1.HttpExchange;
import dev.darkfactory.operator.api.v1alpha1.Scenario;
import java.util.List;
import java.util.Map;

/**
 * What the tester runs: a scenario, or a check as a scenario of one step, so that one runner serves
 * both. {@code steps} are {@link dev.darkfactory.operator.api.v1alpha1.Step}s for a scenario and
 * the check itself otherwise.
 */
record TestCase(
        String name,
        boolean heldOut,
        Map<String, String> vars,
        List<? extends HttpExchange> steps) {

    static TestCase of(HttpCheck check, int index) {
        return new TestCase(
                check.name != null ? check.name : "check-" + (index + 1),
                check.heldOut(),
                Map.of(),
                List.of(check));
    }

    static TestCase of(Scenario scenario) {
        return new TestCase(
                scenario.name,
                scenario.heldOut(),
                scenario.vars == null ? Map.of() : scenario.vars,
                scenario.steps == null ? List.of() : scenario.steps);
    }
}
