package dev.darkfactory.operator.api.v1alpha1;

import java.util.Map;

/**
 * The labels the operator puts on what it makes. They are part of the API: users, dashboards and
 * NetworkPolicies select by them, and the operator's informers watch only objects that carry {@link
 * #MANAGED_BY}={@link #MANAGER}.
 */
public final class Labels {

    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGER = "darkfactory-operator";
    public static final String APP_NAME = "app.kubernetes.io/name";

    /** The intent an object belongs to (runs, pods, inputs, the serving Deployment and Service). */
    public static final String INTENT = "darkfactory.dev/intent";

    /** The run a pod or input belongs to. */
    public static final String RUN = "darkfactory.dev/run";

    /** The attempt a pod or input belongs to. */
    public static final String ATTEMPT = "darkfactory.dev/attempt";

    /**
     * The serving revision an app pod belongs to ({@code <run without the intent prefix>-a<N>}):
     * the intent's Service selects the serving one, the candidate Service only the candidate.
     */
    public static final String REVISION = "darkfactory.dev/revision";

    /** What an object is for: generator, tester, input, checks, holdout, app. */
    public static final String ROLE = "darkfactory.dev/role";

    /** {@link #ROLE} of generator pods. */
    public static final String GENERATOR = "generator";

    /** {@link #ROLE} of tester pods (the app under test beside its tester). */
    public static final String TESTER = "tester";

    /** {@link #ROLE} of the pod that verifies a candidate revision through its Service. */
    public static final String VERIFIER = "verifier";

    /** {@link #ROLE} of served app pods. */
    public static final String APP = "app";

    /**
     * On a generator pod whose GeneratorClass declares egress: a digest of those rules, which the
     * NetworkPolicy allowing them selects (docs/security.md).
     */
    public static final String EGRESS = "darkfactory.dev/egress";

    /** The label selector of everything the operator manages. */
    public static final String MANAGED_SELECTOR = MANAGED_BY + "=" + MANAGER;

    private Labels() {}

    /** {@link #MANAGED_BY} with the operator's name, as a map to start a label set from. */
    public static Map<String, String> managed() {
        return Map.of(MANAGED_BY, MANAGER);
    }
}
