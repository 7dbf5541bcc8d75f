package dev.darkfactory.operator.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.darkfactory.operator.api.v1alpha1.AttemptStatus;
import dev.darkfactory.operator.api.v1alpha1.FactoryRun;
import dev.darkfactory.operator.api.v1alpha1.FactoryRunStatus;
import dev.darkfactory.operator.api.v1alpha1.ModelUsage;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;

/**
 * The format of the usage ConfigMap, shared by the gateway that writes it and the operator that
 * copies it into the run's status: one data key per attempt and gateway replica, {@code
 * a<attempt>.<replica>}, holding that replica's cumulative counts as JSON. Each replica writes only
 * its own keys, with absolute values, so writes are idempotent and never conflict.
 */
public final class UsageRecords {

    public static final String PREFIX = "darkfactory-usage-";
    public static final String RUN_UID_LABEL = "darkfactory.dev/run-uid";
    public static final String RUN_NAMESPACE_ANNOTATION = "darkfactory.dev/run-namespace";
    public static final String RUN_NAME_ANNOTATION = "darkfactory.dev/run-name";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final java.util.regex.Pattern KEY =
            java.util.regex.Pattern.compile("^a([0-9]{1,4})\\.([-._a-zA-Z0-9]+)$");

    /** A replica's note that it refused a call for budget: {@code refused.<replica>}. */
    private static final String REFUSED = "refused.";

    /** The gateway's messages are short; a longer one is cut before it reaches a status. */
    private static final int MAX_MESSAGE = 1024;

    private UsageRecords() {}

    /**
     * The ConfigMap of a run, in the gateway's namespace: named by UID, so a recreated run starts
     * from zero.
     */
    public static String configMapName(String runUid) {
        return PREFIX + runUid;
    }

    static String key(int attempt, String replica) {
        return "a" + attempt + "." + replica;
    }

    static String value(RunUsage.AttemptUsage usage) {
        return MAPPER.createObjectNode()
                .put("input", usage.tokens().input())
                .put("output", usage.tokens().output())
                .put("calls", usage.calls())
                .toString();
    }

    /** The run a usage ConfigMap belongs to, from its label and annotations. */
    public static Optional<RunRef> runOf(ConfigMap map) {
        var meta = map.getMetadata();
        String uid = meta.getLabels() == null ? null : meta.getLabels().get(RUN_UID_LABEL);
        Map<String, String> notes =
                meta.getAnnotations() == null ? Map.of() : meta.getAnnotations();
        String namespace = notes.get(RUN_NAMESPACE_ANNOTATION);
        String name = notes.get(RUN_NAME_ANNOTATION);
        if (uid == null || namespace == null || name == null) {
            return Optional.empty();
        }
        return Optional.of(new RunRef(namespace, name, uid));
    }

    /** Whether the ConfigMap holds the records of this run (by name and UID, not by name alone). */
    public static boolean isOf(ConfigMap map, FactoryRun run) {
        String uid = run.getMetadata().getUid();
        return uid != null
                && configMapName(uid).equals(map.getMetadata().getName())
                && runOf(map).map(r -> uid.equals(r.uid())).orElse(false);
    }

    static String refusalKey(String replica) {
        return REFUSED + replica;
    }

    static String refusalValue(BudgetRefusal refusal) {
        return MAPPER.createObjectNode()
                .put("attempt", refusal.attempt())
                .put("budget", refusal.budget())
                .put("message", refusal.message())
                .toString();
    }

    /**
     * Whether a replica refused a call of the run for budget: the refusal of the earliest attempt
     * (the first that ran out), whichever replica noted it. Values that are not ours are ignored.
     */
    public static Optional<BudgetRefusal> refusal(Map<String, String> data) {
        if (data == null) {
            return Optional.empty();
        }
        return data.entrySet().stream()
                .filter(e -> e.getKey().startsWith(REFUSED))
                .sorted(Map.Entry.comparingByKey())
                .map(e -> parseRefusal(e.getValue()))
                .flatMap(Optional::stream)
                .min(java.util.Comparator.comparingInt(BudgetRefusal::attempt));
    }

    private static Optional<BudgetRefusal> parseRefusal(String value) {
        try {
            JsonNode json = MAPPER.readTree(value);
            int attempt = json.path("attempt").asInt(0);
            String budget = json.path("budget").asText("");
            String message = json.path("message").asText("");
            if (message.length() > MAX_MESSAGE) {
                message = message.substring(0, MAX_MESSAGE);
            }
            if (attempt < 1
                    || !(BudgetRefusal.MAX_TOKENS.equals(budget)
                            || BudgetRefusal.MAX_COST.equals(budget))) {
                return Optional.empty();
            }
            return Optional.of(new BudgetRefusal(attempt, budget, message));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The usage of every attempt, summed over replicas; keys and values that are not ours are
     * ignored.
     */
    public static RunUsage parse(Map<String, String> data) {
        Map<Integer, RunUsage.AttemptUsage> attempts = new HashMap<>();
        if (data != null) {
            data.forEach(
                    (key, value) -> {
                        Matcher matcher = KEY.matcher(key);
                        if (matcher.matches()) {
                            parseValue(value)
                                    .ifPresent(
                                            usage ->
                                                    attempts.merge(
                                                            Integer.parseInt(matcher.group(1)),
                                                            usage,
                                                            RunUsage.AttemptUsage::plus));
                        }
                    });
        }
        return new RunUsage(attempts);
    }

    /** The counts a replica wrote under its own keys, by attempt. */
    static Map<Integer, RunUsage.AttemptUsage> ofReplica(Map<String, String> data, String replica) {
        Map<Integer, RunUsage.AttemptUsage> own = new HashMap<>();
        if (data != null) {
            data.forEach(
                    (key, value) -> {
                        Matcher matcher = KEY.matcher(key);
                        if (matcher.matches() && matcher.group(2).equals(replica)) {
                            parseValue(value)
                                    .ifPresent(
                                            usage ->
                                                    own.put(
                                                            Integer.parseInt(matcher.group(1)),
                                                            usage));
                        }
                    });
        }
        return own;
    }

    private static Optional<RunUsage.AttemptUsage> parseValue(String value) {
        try {
            JsonNode json = MAPPER.readTree(value);
            long input = json.path("input").asLong(-1);
            long output = json.path("output").asLong(-1);
            long calls = json.path("calls").asLong(-1);
            if (input < 0 || output < 0 || calls < 0) {
                return Optional.empty();
            }
            return Optional.of(new RunUsage.AttemptUsage(new TokenCount(input, output), calls));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The status form of some usage, with its cost when the class has pricing. */
    public static ModelUsage toStatus(RunUsage.AttemptUsage usage, Optional<Pricing> pricing) {
        return new ModelUsage(
                usage.tokens().input(),
                usage.tokens().output(),
                usage.calls(),
                pricing.map(p -> p.cost(usage.tokens()))
                        .map(BigDecimal::toPlainString)
                        .orElse(null),
                pricing.map(Pricing::currency).orElse(null));
    }

    /**
     * Copies the gateway's usage into a run's status: per attempt, and the run's total; also the
     * tokens fields the budget check reads. For the operator's reconciler to call.
     */
    public static void applyTo(FactoryRunStatus status, RunUsage usage, Optional<Pricing> pricing) {
        for (AttemptStatus attempt : status.attempts) {
            RunUsage.AttemptUsage ofAttempt = usage.attempt(attempt.number);
            if (ofAttempt.calls() > 0) {
                attempt.usage = toStatus(ofAttempt, pricing);
                attempt.tokens = ofAttempt.tokens().total();
            }
        }
        RunUsage.AttemptUsage total = usage.total();
        if (total.calls() > 0) {
            status.usage = toStatus(total, pricing);
            status.tokensUsed = total.tokens().total();
        }
    }
}
