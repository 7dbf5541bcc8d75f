package dev.darkfactory.operator.testing;

import dev.darkfactory.operator.api.v1alpha1.AcceptanceSpec;
import dev.darkfactory.operator.api.v1alpha1.Annotations;
import dev.darkfactory.operator.api.v1alpha1.GeneratorClass;
import dev.darkfactory.operator.api.v1alpha1.GeneratorClassSpec;
import dev.darkfactory.operator.api.v1alpha1.HttpCheck;
import dev.darkfactory.operator.api.v1alpha1.HttpMethod;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntent;
import dev.darkfactory.operator.api.v1alpha1.SoftwareIntentSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Map;

/** Valid objects of every kind, for tests to start from and spoil one field at a time. */
public final class Fixtures {

    private Fixtures() {}

    public static SoftwareIntent intent(String namespace, String name, String generatorClassName) {
        SoftwareIntentSpec spec = new SoftwareIntentSpec();
        spec.description = "A REST service that stores todo items in memory.";
        spec.generatorClassName = generatorClassName;
        HttpCheck health = new HttpCheck("health", HttpMethod.GET, "/healthz", 200);
        HttpCheck list = new HttpCheck("list-todos", HttpMethod.GET, "/todos", 200);
        list.bodyContains = "[";
        HttpCheck hidden = new HttpCheck("create-todo", HttpMethod.POST, "/todos", 201);
        hidden.body = "{\"title\":\"milk\"}";
        hidden.headers = Map.of("Content-Type", "application/json");
        hidden.holdout = true;
        spec.acceptance = new AcceptanceSpec(List.of(health, list, hidden));
        SoftwareIntent intent = new SoftwareIntent();
        intent.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
        intent.setSpec(spec);
        return intent;
    }

    public static GeneratorClass generatorClass(String name, boolean markedDefault) {
        GeneratorClassSpec spec = new GeneratorClassSpec();
        spec.description = "Built-in generator against a test endpoint";
        spec.image = "darkfactory/operator:test";
        spec.command = List.of("/deployments/station", "generate-openai");
        GeneratorClass generatorClass = new GeneratorClass();
        var meta = new ObjectMetaBuilder().withName(name);
        if (markedDefault) {
            meta.addToAnnotations(Annotations.DEFAULT_CLASS, "true");
        }
        generatorClass.setMetadata(meta.build());
        generatorClass.setSpec(spec);
        return generatorClass;
    }
}
