package dev.darkfactory.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import java.util.Map;

/**
 * One HTTP request and what its answer must show: the part that a check and a scenario step share.
 * Paths, header values, bodies and expected values may hold placeholders such as {@code {{uuid}}}
 * (docs/gate.md).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HttpExchange {

    @Default("GET")
    @JsonPropertyDescription("HTTP method of the request.")
    public HttpMethod method = HttpMethod.GET;

    @Required
    @Size(min = 1, max = 2048)
    @Pattern(Validation.HTTP_PATH_TEMPLATE)
    @JsonPropertyDescription(
            "Request path and query, starting with '/'; may hold placeholders such as {{id}}, whose values are percent-encoded.")
    public String path;

    @Size(max = 32)
    @JsonPropertyDescription("Request headers; values may hold placeholders.")
    public Map<String, String> headers;

    @Size(max = 65536)
    @JsonPropertyDescription("Request body, sent as given after placeholders are replaced.")
    public String body;

    @Default("200")
    @Min(100)
    @Max(599)
    @JsonPropertyDescription("Expected HTTP status code.")
    public Integer expectStatus = 200;

    @Size(max = 4096)
    @JsonPropertyDescription("A substring the response body must contain; may hold placeholders.")
    public String bodyContains;

    @Size(max = 32)
    @JsonPropertyDescription(
            "Values expected at fields of a JSON response body; expected values may hold placeholders.")
    public List<JsonFieldExpectation> jsonFields;

    @Pattern(Validation.DURATION)
    @JsonPropertyDescription("Upper bound on the response time, as a duration such as 200ms or 2s.")
    public String maxLatency;

    public HttpMethod methodOrDefault() {
        return method != null ? method : HttpMethod.GET;
    }

    public int expectStatusOrDefault() {
        return expectStatus != null ? expectStatus : 200;
    }
}
