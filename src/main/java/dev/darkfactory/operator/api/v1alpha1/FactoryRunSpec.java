package dev.darkfactory.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * An immutable snapshot of what one run builds: the intent's spec and the generator, as they were.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "self == oldSelf",
        message = "spec is immutable: a FactoryRun records one generation of an intent")
public class FactoryRunSpec {

    @Required
    @JsonPropertyDescription("Name of the SoftwareIntent this run builds.")
    public String intentName;

    @Required
    @JsonPropertyDescription("metadata.generation of the intent this run builds.")
    public Long intentGeneration;

    @Required
    @JsonPropertyDescription(
            "Why the run started: SpecChanged, GeneratorClassChanged or RebuildRequested.")
    public RunTrigger trigger;

    @Required
    @JsonPropertyDescription("The intent's spec as it was when the run started.")
    public SoftwareIntentSpec intent;

    @Required
    @JsonPropertyDescription("The generator as it was when the run started.")
    public GeneratorSnapshot generator;

    @JsonPropertyDescription(
            "Value of the darkfactory.dev/rebuild annotation that requested this run, if any.")
    public String rebuildToken;

    @JsonPropertyDescription(
            "Source archive image (by digest) of the intent's last attempt; attempt 1 starts from it.")
    public String previousSource;
}
