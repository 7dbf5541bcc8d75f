package dev.darkfactory.operator.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Test;

class InternedStringsTest {

    private final ObjectMapper mapper = new ObjectMapper();

    InternedStringsTest() {
        new InternedStrings().customize(mapper);
    }

    @Test
    void theSameShortTextInTwoObjectsIsOneInstance() throws Exception {
        Pod first = mapper.readValue(pod("todo-g1-a1-gen", "x"), Pod.class);
        Pod second = mapper.readValue(pod("todo-g2-a1-gen", "x"), Pod.class);

        assertThat(second.getSpec().getContainers().get(0).getImage())
                .isEqualTo("registry.darkfactory.svc:5000/base/station:1")
                .isSameAs(first.getSpec().getContainers().get(0).getImage());
        assertThat(second.getMetadata().getLabels().get("darkfactory.dev/intent"))
                .isSameAs(first.getMetadata().getLabels().get("darkfactory.dev/intent"));
        assertThat(second.getSpec().getContainers().get(0).getArgs().get(0))
                .isSameAs(first.getSpec().getContainers().get(0).getArgs().get(0));
        assertThat(second.getMetadata().getName()).isEqualTo("todo-g2-a1-gen");
    }

    @Test
    void aLongTextIsReadAsItIs() throws Exception {
        String prose = "x".repeat(InternedStrings.LONGEST + 1);
        Pod first = mapper.readValue(pod("a", prose), Pod.class);
        Pod second = mapper.readValue(pod("b", prose), Pod.class);

        String text = first.getMetadata().getAnnotations().get("note");
        assertThat(text).isEqualTo(prose);
        assertThat(second.getMetadata().getAnnotations().get("note")).isNotSameAs(text);
    }

    private static String pod(String name, String note) {
        return """
                {"apiVersion": "v1", "kind": "Pod",
                 "metadata": {"name": "%s", "namespace": "team-a",
                              "labels": {"darkfactory.dev/intent": "todo"},
                              "annotations": {"note": "%s"}},
                 "spec": {"containers": [{"name": "generate",
                          "image": "registry.darkfactory.svc:5000/base/station:1",
                          "args": ["generate"]}]}}
                """
                .formatted(name, note);
    }
}
