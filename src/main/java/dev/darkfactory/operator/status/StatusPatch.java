package dev.darkfactory.operator.status;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Objects;
import java.util.function.Supplier;

/** Writing a status with server-side apply: only when it changed, and never with the spec. */
public final class StatusPatch {

    private StatusPatch() {}

    public static boolean same(Object before, Object after) {
        return Objects.equals(Serialization.asJson(before), Serialization.asJson(after));
    }

    /**
     * A fresh resource that carries only its name and the status: what a server-side apply of the
     * status subresource needs. Sending the spec too would make the operator a co-owner of it.
     */
    public static <S, R extends CustomResource<?, S>> R statusOnly(
            R resource, S status, Supplier<R> empty) {
        R patch = empty.get();
        patch.setMetadata(
                new ObjectMetaBuilder()
                        .withName(resource.getMetadata().getName())
                        .withNamespace(resource.getMetadata().getNamespace())
                        .build());
        patch.setStatus(status);
        return patch;
    }
}
