package dev.darkfactory.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The model provider(s) the darkfactory-gateway forwards this class's calls to (docs/gateway.md).
 * When set (and the operator is configured with a gateway), the generate container gets the
 * gateway's URL and a per-attempt token instead of any provider key.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ModelProvider {

    @JsonPropertyDescription(
            "An OpenAI-compatible endpoint (chat completions and responses): OpenAI, vLLM, Ollama, LiteLLM.")
    public ProviderEndpoint openai;

    @JsonPropertyDescription("An Anthropic messages endpoint.")
    public ProviderEndpoint anthropic;
}
