package dev.darkfactory.operator.station.build;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class BaseImageAllowListTest {

    private static final String OUTPUT = "registry.local:5000/team-a/todo";

    private final BaseImageAllowList allowList =
            new BaseImageAllowList(
                    List.of("registry.local:5000/base/*", "docker.io/library/python:3.12-slim"));

    @Test
    void exactEntriesAndPrefixesMatch() {
        assertThatCode(() -> allowList.check("registry.local:5000/base/python:3.11", OUTPUT))
                .doesNotThrowAnyException();
        assertThatCode(() -> allowList.check("docker.io/library/python:3.12-slim", OUTPUT))
                .doesNotThrowAnyException();
    }

    @Test
    void anythingElseIsRefused() {
        assertThatThrownBy(() -> allowList.check("docker.io/library/python:3.12", OUTPUT))
                .hasMessageContaining("is not allowed");
        assertThatThrownBy(() -> allowList.check("registry.local:5000/other/python:3.11", OUTPUT))
                .hasMessageContaining("is not allowed");
        assertThatThrownBy(
                        () ->
                                new BaseImageAllowList(List.of())
                                        .check("registry.local:5000/base/python:3.11", OUTPUT))
                .hasMessageContaining("no base images are allowed");
    }

    @Test
    void theFactorysOwnOutputIsRefusedEvenWhenEverythingIsAllowed() {
        BaseImageAllowList everything = new BaseImageAllowList(List.of("*"));
        assertThatCode(() -> everything.check("registry.local:5000/base/python:3.11", OUTPUT))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> everything.check("registry.local:5000/team-a/todo:g1-a1", OUTPUT))
                .hasMessage(
                        "base image registry.local:5000/team-a/todo:g1-a1 is not allowed: it lies in "
                                + "registry.local:5000/team-a/, where the factory pushes its own output");
        assertThatThrownBy(
                        () ->
                                everything.check(
                                        "registry.local:5000/team-a/other-source@sha256:00",
                                        OUTPUT))
                .hasMessageContaining("where the factory pushes its own output");
    }
}
