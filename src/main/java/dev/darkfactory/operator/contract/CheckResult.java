package dev.darkfactory.operator.contract;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** The verdict of one acceptance check; {@code request} is for example {@code GET /todos}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record CheckResult(String name, boolean holdout, boolean ok, String request, String reason) {
}
