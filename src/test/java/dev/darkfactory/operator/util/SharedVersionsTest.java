package dev.darkfactory.operator.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SharedVersionsTest {

    private final SharedVersions versions = new SharedVersions();

    @Test
    void twoCopiesOfOneVersionAreKeptAsOneInstance() {
        Pod first = versions.shared(pod("7"));
        Pod second = versions.shared(pod("7"));

        assertThat(second).isSameAs(first);
    }

    @Test
    void aNewVersionIsANewInstance() {
        Pod first = versions.shared(pod("7"));
        Pod next = versions.shared(pod("8"));

        assertThat(next).isNotSameAs(first);
        assertThat(next.getMetadata().getResourceVersion()).isEqualTo("8");
    }

    @Test
    void anObjectWithoutAVersionIsKeptAsItIs() {
        Pod unversioned = pod(null);

        assertThat(versions.shared(unversioned)).isSameAs(unversioned);
        assertThat(versions.size()).isZero();
    }

    @Test
    void aVersionNoInformerKeepsIsForgotten() {
        versions.shared(pod("7"));

        await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> {
                            System.gc();
                            return versions.size() == 0;
                        });
    }

    private static Pod pod(String resourceVersion) {
        return new PodBuilder()
                .withNewMetadata()
                .withNamespace("team-a")
                .withName("todo-g1-4f1c9a-a1-gen")
                .withUid("6a0e1f52-0000-4000-8000-000000000001")
                .withResourceVersion(resourceVersion)
                .endMetadata()
                .build();
    }
}
