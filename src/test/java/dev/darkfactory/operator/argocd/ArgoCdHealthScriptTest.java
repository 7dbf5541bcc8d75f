package dev.darkfactory.operator.argocd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.darkfactory.operator.argocd.ArgoCdHealthScript.Health;
import dev.darkfactory.operator.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.LuaError;

/** The test's Lua runner is as strict as Argo CD, so a script that passes here also runs there. */
class ArgoCdHealthScriptTest {

    @Test
    void objectsArriveAsNestedTablesWithArraysFromOne() {
        ArgoCdHealthScript script =
                ArgoCdHealthScript.of(
                        "probe.lua",
                        "return { status = 'Healthy', message = obj.metadata.name .. ' ' .. obj.spec.acceptance.checks[1].name"
                                + " .. ' ' .. #obj.spec.acceptance.checks .. ' ' .. tostring(obj.spec.generatorClassName) }");

        assertThat(script.healthOf(Fixtures.intent("ns", "todo", null)))
                .isEqualTo(new Health("Healthy", "todo health 3 nil"));
    }

    @Test
    void theStringLibraryIsMissingAsInArgoCd() {
        ArgoCdHealthScript script =
                ArgoCdHealthScript.of("probe.lua", "return { status = string.lower('HEALTHY') }");

        assertThatThrownBy(() -> script.healthOf(Fixtures.intent("ns", "todo", null)))
                .isInstanceOf(LuaError.class);
    }

    @Test
    void aStatusArgoCdDoesNotKnowIsAnError() {
        ArgoCdHealthScript script =
                ArgoCdHealthScript.of("probe.lua", "return { status = 'Paused' }");

        assertThatThrownBy(() -> script.healthOf(Fixtures.intent("ns", "todo", null)))
                .hasMessageContaining("Paused");
    }
}
