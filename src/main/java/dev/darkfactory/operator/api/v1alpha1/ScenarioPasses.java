package dev.darkfactory.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * In how many trials one visible check or scenario passed. Held-out ones never appear here by name;
 * they are counted in the attempt's tests.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ScenarioPasses {

    @JsonPropertyDescription("Name of the visible check or scenario.")
    public String name;

    @JsonPropertyDescription("Trials in which it passed.")
    public int passed;

    @JsonPropertyDescription("Trials whose report gave its verdict.")
    public int run;

    public ScenarioPasses() {}

    public ScenarioPasses(String name) {
        this.name = name;
    }
}
