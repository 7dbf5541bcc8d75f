package dev.darkfactory.operator.api.v1alpha1;

/**
 * The annotations of the API. Each is set by a person (or their tooling) and read by the operator,
 * or set by the operator for people to read; none carries a message from one of the operator's
 * controllers to another (they talk through status).
 */
public final class Annotations {

    /** On a SoftwareIntent: a new value requests a new run without a spec change. */
    public static final String REBUILD = "darkfactory.dev/rebuild";

    /**
     * On a GeneratorClass: {@code "true"} makes it serve intents that name no class, like a default
     * StorageClass.
     */
    public static final String DEFAULT_CLASS = "darkfactory.dev/is-default-class";

    /**
     * On the serving Deployment's pod template: the run whose image it carries, for people reading
     * it.
     */
    public static final String RUN = "darkfactory.dev/run";

    private Annotations() {}
}
