package dev.darkfactory.operator.gateway;

import dev.darkfactory.operator.api.v1alpha1.BudgetSpec;
import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.util.Durations;
import dev.darkfactory.operator.workload.EnvVars;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a generate container gets instead of a provider key: the gateway's URL in the variables the
 * coding agents and the built-in generator read, and a token valid for this run's attempt only,
 * until the attempt's deadline. Applies to classes that name a {@code provider}; other classes keep
 * their own env (docs/gateway.md).
 */
public final class GatewayCredentials {

    public static final String GATEWAY_URL = "DF_GATEWAY_URL";
    public static final String GATEWAY_TOKEN = "DF_GATEWAY_TOKEN";
    public static final String OPENAI_BASE_URL = "OPENAI_BASE_URL";
    public static final String OPENAI_API_KEY = "OPENAI_API_KEY";
    public static final String ANTHROPIC_BASE_URL = "ANTHROPIC_BASE_URL";
    public static final String ANTHROPIC_API_KEY = "ANTHROPIC_API_KEY";

    /**
     * Names the gateway sets; a class's own entries of these names (a provider key among them) are
     * dropped.
     */
    public static final Set<String> NAMES =
            Set.of(
                    GATEWAY_URL,
                    GATEWAY_TOKEN,
                    OPENAI_BASE_URL,
                    OPENAI_API_KEY,
                    ANTHROPIC_BASE_URL,
                    ANTHROPIC_API_KEY,
                    "ANTHROPIC_AUTH_TOKEN");

    /**
     * The token outlives the pod's activeDeadlineSeconds a little: the pod, not the token, ends the
     * attempt.
     */
    static final Duration GRACE = Duration.ofMinutes(1);

    private static final GatewayCredentials DISABLED =
            new GatewayCredentials(null, null, Clock.systemUTC());

    private final String url;
    private final GatewayTokens tokens;
    private final Clock clock;
    private final String usageNamespace;

    public GatewayCredentials(String url, GatewayTokens tokens, Clock clock) {
        this(url, tokens, clock, null);
    }

    private GatewayCredentials(
            String url, GatewayTokens tokens, Clock clock, String usageNamespace) {
        this.url = url == null ? null : url.replaceAll("/+$", "");
        this.tokens = tokens;
        this.clock = clock;
        this.usageNamespace = usageNamespace;
    }

    /**
     * The same credentials, with the gateway's usage records read from {@code namespace}: the
     * operator then takes a metered run's usage from there, not from what its generator reports.
     */
    public GatewayCredentials withUsageIn(String namespace) {
        return new GatewayCredentials(url, tokens, clock, namespace);
    }

    /** The namespace of the gateway's usage ConfigMaps, when the operator reads them. */
    public Optional<String> usageNamespace() {
        return url == null ? Optional.empty() : Optional.ofNullable(usageNamespace);
    }

    /**
     * Whether the run's usage is what the gateway metered: it goes through the gateway, and the
     * operator reads the gateway's records.
     */
    public boolean meters(FactoryRun run) {
        return appliesTo(run) && usageNamespace != null;
    }

    /** No gateway configured: every class keeps its own env. */
    public static GatewayCredentials disabled() {
        return DISABLED;
    }

    public static GatewayCredentials of(String url, String signingKey, Clock clock) {
        return new GatewayCredentials(
                url, new GatewayTokens(signingKey.getBytes(StandardCharsets.UTF_8)), clock);
    }

    public boolean appliesTo(FactoryRun run) {
        return url != null && run.getSpec().generator.spec.provider != null;
    }

    /**
     * The generate container's env: the class's own, and when the run goes through the gateway, the
     * gateway's variables first, in place of any of the same name.
     */
    public List<EnvVar> applyTo(List<EnvVar> classEnv, FactoryRun run, int attempt) {
        if (!appliesTo(run)) {
            return classEnv;
        }
        // First, so that a class can name them in its own variables:
        // LLM_API_KEY=$(DF_GATEWAY_TOKEN).
        List<EnvVar> env = new ArrayList<>(forAttempt(run, attempt, deadline(run, attempt)));
        env.addAll(classEnv.stream().filter(e -> !NAMES.contains(e.getName())).toList());
        return env;
    }

    /** The gateway's variables for one attempt, with a token that expires at {@code deadline}. */
    public List<EnvVar> forAttempt(FactoryRun run, int attempt, Instant deadline) {
        BudgetSpec budget = run.getSpec().intent.budgetOrDefault();
        String token =
                tokens.mint(
                        new AttemptClaims(
                                run.getMetadata().getNamespace(),
                                run.getMetadata().getName(),
                                run.getMetadata().getUid(),
                                attempt,
                                deadline,
                                budget.maxTokens,
                                budget.maxCost == null ? null : new BigDecimal(budget.maxCost)));
        return List.of(
                EnvVars.plain(GATEWAY_URL, url),
                EnvVars.plain(GATEWAY_TOKEN, token),
                EnvVars.plain(OPENAI_BASE_URL, url + "/openai/v1"),
                EnvVars.plain(OPENAI_API_KEY, token),
                EnvVars.plain(ANTHROPIC_BASE_URL, url + "/anthropic"),
                EnvVars.plain(ANTHROPIC_API_KEY, token));
    }

    /**
     * The attempt's deadline: its start (from the run's status) plus the attempt timeout, and a
     * little grace. Derived from the status rather than the clock where it can be, so that building
     * the pod twice gives the same token.
     */
    Instant deadline(FactoryRun run, int attempt) {
        Duration timeout = Durations.parse(run.getSpec().intent.budgetOrDefault().attemptTimeout);
        Instant start =
                Optional.ofNullable(run.getStatus()).map(s -> s.attempts).orElse(List.of()).stream()
                        .filter(a -> a.number == attempt && a.startTime != null)
                        .map(a -> Instant.parse(a.startTime))
                        .findFirst()
                        .orElseGet(clock::instant);
        return start.plus(timeout).plus(GRACE);
    }

    @Override
    public String toString() {
        return url == null ? "gateway disabled" : "gateway at " + url;
    }
}
