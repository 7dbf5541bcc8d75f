package dev.darkfactory.operator.api.v1alpha1;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A declarative HTTP acceptance check, run by the tester against the built app. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.holdout) || !self.holdout || has(self.name)",
        message = "a held-out check (holdout: true) needs a name")
@ValidationRule(value = "!has(self.body) || !(self.method in ['GET', 'HEAD'])",
        message = "body is not allowed with method GET or HEAD")
public class HttpCheck {

    @Size(min = 1, max = 63)
    @Pattern(Validation.DNS_LABEL)
    @JsonPropertyDescription("Name of the check, unique within the intent; shown in test reports and feedback.")
    public String name;

    @Default("GET")
    @JsonPropertyDescription("HTTP method of the request.")
    public HttpMethod method = HttpMethod.GET;

    @Required
    @Size(min = 1, max = 2048)
    @Pattern(Validation.HTTP_PATH)
    @JsonPropertyDescription("Request path and query, starting with '/'.")
    public String path;

    @Size(max = 32)
    @JsonPropertyDescription("Request headers.")
    public Map<String, String> headers;

    @Size(max = 65536)
    @JsonPropertyDescription("Request body, sent as given.")
    public String body;

    @Default("200")
    @Min(100)
    @Max(599)
    @JsonPropertyDescription("Expected HTTP status code.")
    public Integer expectStatus = 200;

    @Size(max = 4096)
    @JsonPropertyDescription("A substring the response body must contain.")
    public String bodyContains;

    @Size(max = 32)
    @JsonPropertyDescription("Values expected at fields of a JSON response body.")
    public List<JsonFieldExpectation> jsonFields;

    @Pattern(Validation.DURATION)
    @JsonPropertyDescription("Upper bound on the response time, as a duration such as 200ms or 2s.")
    public String maxLatency;

    @Default("false")
    @JsonPropertyDescription("A held-out check is never shown to the generator: only the tester sees it, and feedback reports held-out failures as counts alone.")
    public Boolean holdout = false;

    public HttpCheck() {
    }

    public HttpCheck(String name, HttpMethod method, String path, int expectStatus) {
        this.name = name;
        this.method = method;
        this.path = path;
        this.expectStatus = expectStatus;
    }

    public boolean heldOut() {
        return Boolean.TRUE.equals(holdout);
    }
}
