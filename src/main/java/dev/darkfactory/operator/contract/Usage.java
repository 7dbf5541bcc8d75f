package dev.darkfactory.operator.contract;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Optional;

/** Tokens a generator used, from {@code /workspace/.darkfactory/out/usage.json}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Usage(Long inputTokens, Long outputTokens, Long totalTokens) {

    /**
     * The total, or the sum of input and output when no total is given; empty (unknown, which is
     * not zero) when neither is there or a number is negative: a generator cannot give tokens back.
     */
    @JsonIgnore
    public Optional<Long> knownTotal() {
        if (totalTokens != null) {
            return totalTokens >= 0 ? Optional.of(totalTokens) : Optional.empty();
        }
        if (inputTokens != null && outputTokens != null && inputTokens >= 0 && outputTokens >= 0) {
            return Optional.of(inputTokens + outputTokens);
        }
        return Optional.empty();
    }
}
