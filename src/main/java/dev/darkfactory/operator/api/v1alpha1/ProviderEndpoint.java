package dev.darkfactory.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** Where the gateway sends a class's calls, and the key it adds; the key never reaches a pod. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ProviderEndpoint {

    @Required
    @Size(min = 1, max = 2048)
    @Pattern("^https?://[^\\s]+$")
    @JsonPropertyDescription(
            "Base URL of the API, e.g. https://api.openai.com/v1 or https://api.anthropic.com (without /v1/messages).")
    public String url;

    @JsonPropertyDescription(
            "The provider key: a key of a Secret in the gateway's namespace, which only the gateway reads. Unset for endpoints without a key (a local vLLM or Ollama).")
    public SecretKeySelector apiKeySecretRef;

    public ProviderEndpoint() {}

    public ProviderEndpoint(String url, SecretKeySelector apiKeySecretRef) {
        this.url = url;
        this.apiKeySecretRef = apiKeySecretRef;
    }
}
