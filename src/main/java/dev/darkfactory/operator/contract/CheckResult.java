package dev.darkfactory.operator.contract;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The verdict of one visible check or scenario; {@code request} is for example {@code GET /todos}
 * (for a failed scenario, the request of the step that failed). With more than one trial, {@code
 * ok} means it passed in every trial and {@code trialsPassed} says in how many it did.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record CheckResult(
        String name,
        boolean holdout,
        boolean ok,
        String request,
        String reason,
        Integer trialsPassed) {

    public CheckResult(String name, boolean holdout, boolean ok, String request, String reason) {
        this(name, holdout, ok, request, reason, null);
    }
}
