package dev.darkfactory.operator.api.v1alpha1;

/** Patterns shared by the schema of every resource, kept in one place so they stay consistent. */
public final class Validation {

    /** A DNS-1123 label: what Kubernetes accepts for names that become part of other names. */
    public static final String DNS_LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

    /** A DNS-1123 subdomain: what Kubernetes accepts for object names. */
    public static final String DNS_SUBDOMAIN =
            "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    /**
     * A Go-style duration limited to whole units, for example {@code 90s}, {@code 15m}, {@code
     * 1h30m}.
     */
    public static final String DURATION = "^([0-9]+(ms|s|m|h))+$";

    /** A serving revision's name (a DNS label), or empty for "the latest verified one". */
    public static final String REVISION = "^([a-z0-9]([-a-z0-9]*[a-z0-9])?)?$";

    /** An HTTP request path: starts with a slash, no whitespace. */
    public static final String HTTP_PATH = "^/[^\\s]*$";

    /**
     * A request path that may hold placeholders: like {@link #HTTP_PATH}, but whitespace is allowed
     * inside {@code {{ }}}, as in {@code /items?n={{int 1 9}}}. RE2 (the API server's) has no
     * look-ahead.
     */
    public static final String HTTP_PATH_TEMPLATE = "^/([^\\s{]|\\{[^\\s{]|\\{\\{[^{}]*\\}\\})*$";

    /** The name of a scenario variable, used as {@code {{name}}}. */
    public static final String VARIABLE_NAME = "^[a-zA-Z_][a-zA-Z0-9_]{0,62}$";

    /** An environment variable name as Kubernetes accepts it. */
    public static final String ENV_NAME = "^[-._a-zA-Z][-._a-zA-Z0-9]*$";

    /** A resource quantity such as {@code 500m}, {@code 1}, {@code 256Mi}, {@code 1Gi}. */
    public static final String QUANTITY = "^[0-9]+(\\.[0-9]+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?$";

    /** A container image reference: optional registry and path, then a tag and/or digest. */
    public static final String IMAGE =
            "^[a-z0-9]+([._:/-][a-zA-Z0-9]+)*(:[\\w][\\w.-]{0,127})?(@sha256:[a-f0-9]{64})?$";

    /** A non-negative decimal such as 3 or 0.15: money without the rounding of floating point. */
    public static final String DECIMAL = "^[0-9]{1,9}(\\.[0-9]{1,9})?$";

    /** A JSON pointer (RFC 6901) into a response body, for example {@code /items/0/name}. */
    public static final String JSON_POINTER = "^(/([^/~]|~[01])*)+$";

    /**
     * An IPv4 or IPv6 address range in CIDR notation, such as {@code 10.0.0.0/8} or {@code
     * 2001:db8::/32}; the API server checks the address itself when the NetworkPolicy is written.
     */
    public static final String CIDR =
            "^([0-9]{1,3}(\\.[0-9]{1,3}){3}/([0-9]|[12][0-9]|3[0-2])|[0-9a-fA-F:]*:[0-9a-fA-F:.]*/([0-9]|[1-9][0-9]|1[01][0-9]|12[0-8]))$";

    private Validation() {}
}
