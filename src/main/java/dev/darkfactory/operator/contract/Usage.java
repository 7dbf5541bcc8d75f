package dev.darkfactory.operator.contract;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** Tokens a generator used, from {@code /workspace/.darkfactory/out/usage.json}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Usage(Long inputTokens, Long outputTokens, Long totalTokens) {
}
