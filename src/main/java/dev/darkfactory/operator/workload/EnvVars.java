package dev.darkfactory.operator.workload;

import java.util.List;

import dev.darkfactory.operator.api.v1alpha1.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;

/** Turns the API's environment variables into container ones; Secret values stay references. */
public final class EnvVars {

    private EnvVars() {
    }

    public static List<io.fabric8.kubernetes.api.model.EnvVar> of(List<EnvVar> env) {
        if (env == null) {
            return List.of();
        }
        return env.stream().map(EnvVars::of).toList();
    }

    private static io.fabric8.kubernetes.api.model.EnvVar of(EnvVar variable) {
        EnvVarBuilder builder = new EnvVarBuilder().withName(variable.name);
        if (variable.secretKeyRef != null) {
            return builder.withNewValueFrom().withNewSecretKeyRef()
                    .withName(variable.secretKeyRef.name).withKey(variable.secretKeyRef.key)
                    .endSecretKeyRef().endValueFrom().build();
        }
        return builder.withValue(variable.value).build();
    }

    public static io.fabric8.kubernetes.api.model.EnvVar plain(String name, String value) {
        return new EnvVarBuilder().withName(name).withValue(value).build();
    }
}
