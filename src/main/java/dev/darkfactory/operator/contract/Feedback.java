package dev.darkfactory.operator.contract;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What went wrong in the previous attempt, for the generator: visible failures in full, held-out
 * checks only as counts, never their names or requests.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Feedback(
        int attempt,
        String reason,
        String message,
        List<VisibleFailure> failures,
        HeldOut heldOut,
        String log) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record VisibleFailure(String name, String request, String reason) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record HeldOut(int passed, int failed) {}
}
