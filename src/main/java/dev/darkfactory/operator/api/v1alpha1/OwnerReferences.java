package dev.darkfactory.operator.api.v1alpha1;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;

/** The one place that says how the operator owns what it makes. */
public final class OwnerReferences {

    private OwnerReferences() {}

    /**
     * {@code owner} as the controller of the object that carries this reference: garbage collection
     * deletes the object with its owner, and the owner's deletion waits for it (blockOwnerDeletion,
     * which needs update on the owner's finalizers).
     */
    public static OwnerReference controlledBy(HasMetadata owner) {
        return new OwnerReferenceBuilder()
                .withApiVersion(owner.getApiVersion())
                .withKind(owner.getKind())
                .withName(owner.getMetadata().getName())
                .withUid(owner.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build();
    }

    /** Whether {@code owner} (by UID, never by name) is the controller of {@code object}. */
    public static boolean isControlledBy(HasMetadata object, HasMetadata owner) {
        String uid = controllerUid(object);
        return uid != null && uid.equals(owner.getMetadata().getUid());
    }

    /** The object's controller reference, or null when it has none. */
    public static OwnerReference controller(HasMetadata object) {
        return object.getMetadata().getOwnerReferences().stream()
                .filter(r -> Boolean.TRUE.equals(r.getController()))
                .findFirst()
                .orElse(null);
    }

    /** The UID of the object's controller, or null when it has none. */
    public static String controllerUid(HasMetadata object) {
        OwnerReference controller = controller(object);
        return controller == null ? null : controller.getUid();
    }

    /** The name of the object's controller, or null when it has none. */
    public static String controllerName(HasMetadata object) {
        OwnerReference controller = controller(object);
        return controller == null ? null : controller.getName();
    }
}
