package dev.darkfactory.operator.gateway;

import java.util.Map;
import java.util.TreeMap;

/** What a run has used, per attempt. */
public record RunUsage(Map<Integer, AttemptUsage> attempts) {

    /** Tokens and forwarded calls of one attempt. */
    public record AttemptUsage(TokenCount tokens, long calls) {

        public static final AttemptUsage NONE = new AttemptUsage(TokenCount.ZERO, 0);

        public AttemptUsage plus(AttemptUsage other) {
            return new AttemptUsage(tokens.plus(other.tokens), calls + other.calls);
        }
    }

    public static final RunUsage NONE = new RunUsage(Map.of());

    public RunUsage {
        attempts = Map.copyOf(new TreeMap<>(attempts));
    }

    public AttemptUsage total() {
        return attempts.values().stream().reduce(AttemptUsage.NONE, AttemptUsage::plus);
    }

    public AttemptUsage attempt(int number) {
        return attempts.getOrDefault(number, AttemptUsage.NONE);
    }
}
