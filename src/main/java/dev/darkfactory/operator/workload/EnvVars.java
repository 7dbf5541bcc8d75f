package dev.darkfactory.operator.workload;

import dev.darkfactory.operator.api.v1alpha1.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import java.util.List;
import java.util.stream.IntStream;

/** Turns the API's environment variables into container ones; Secret values stay references. */
public final class EnvVars {

    private EnvVars() {}

    public static List<io.fabric8.kubernetes.api.model.EnvVar> of(List<EnvVar> env) {
        if (env == null) {
            return List.of();
        }
        return env.stream().map(EnvVars::of).toList();
    }

    private static io.fabric8.kubernetes.api.model.EnvVar of(EnvVar variable) {
        EnvVarBuilder builder = new EnvVarBuilder().withName(variable.name);
        if (variable.secretKeyRef != null) {
            return builder.withNewValueFrom()
                    .withNewSecretKeyRef()
                    .withName(variable.secretKeyRef.name)
                    .withKey(variable.secretKeyRef.key)
                    .endSecretKeyRef()
                    .endValueFrom()
                    .build();
        }
        return builder.withValue(variable.value).build();
    }

    /**
     * The Secret references of {@code env} once more, under {@code prefix} and a number, for a
     * container that must know the values to redact them (the tester, docs/gate.md).
     */
    public static List<io.fabric8.kubernetes.api.model.EnvVar> secretsUnder(
            String prefix, List<EnvVar> env) {
        if (env == null) {
            return List.of();
        }
        List<EnvVar> secrets =
                env.stream().filter(variable -> variable.secretKeyRef != null).toList();
        return IntStream.range(0, secrets.size())
                .mapToObj(
                        i -> {
                            EnvVar copy = new EnvVar(prefix + i, null);
                            copy.secretKeyRef = secrets.get(i).secretKeyRef;
                            return of(copy);
                        })
                .toList();
    }

    public static io.fabric8.kubernetes.api.model.EnvVar plain(String name, String value) {
        return new EnvVarBuilder().withName(name).withValue(value).build();
    }
}
