package dev.darkfactory.operator.station.build;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BaseImageAllowListTest {

    private final BaseImageAllowList allowList = new BaseImageAllowList(
            List.of("registry.local:5000/base/*", "docker.io/library/python:3.12-slim"));

    @Test
    void exactEntriesAndPrefixesMatch() {
        assertThatCode(() -> allowList.check("registry.local:5000/base/python:3.11")).doesNotThrowAnyException();
        assertThatCode(() -> allowList.check("docker.io/library/python:3.12-slim")).doesNotThrowAnyException();
    }

    @Test
    void anythingElseIsRefused() {
        assertThatThrownBy(() -> allowList.check("docker.io/library/python:3.12")).hasMessageContaining("is not allowed");
        assertThatThrownBy(() -> allowList.check("registry.local:5000/other/python:3.11")).hasMessageContaining("is not allowed");
        assertThatThrownBy(() -> new BaseImageAllowList(List.of()).check("registry.local:5000/base/python:3.11"))
                .hasMessageContaining("no base images are allowed");
    }
}
