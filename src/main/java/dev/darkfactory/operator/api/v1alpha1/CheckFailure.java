package dev.darkfactory.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A visible acceptance check that failed, as the generator will read it in its feedback. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CheckFailure {

    @JsonPropertyDescription("Name of the check.")
    public String name;

    @JsonPropertyDescription("The request, for example GET /todos.")
    public String request;

    @JsonPropertyDescription("Why it failed, for example: expected status 200, got 404.")
    public String reason;

    public CheckFailure() {}

    public CheckFailure(String name, String request, String reason) {
        this.name = name;
        this.request = request;
        this.reason = reason;
    }
}
