package dev.darkfactory.operator.station.generate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.darkfactory.operator.contract.FailureReason;
import dev.darkfactory.operator.station.Errors;
import dev.darkfactory.operator.station.Json;
import dev.darkfactory.operator.station.StationFailure;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Calls {@code POST <base>/chat/completions} of an OpenAI-compatible endpoint (hosted APIs, vLLM,
 * Ollama, LiteLLM), retrying what is worth retrying, all within one deadline.
 */
final class ChatCompletionsClient {

    private final HttpClient http =
            HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();
    private final URI endpoint;
    private final ApiKey apiKey;
    private final RetryPolicy retryPolicy;
    private final int maxResponseBytes;

    ChatCompletionsClient(
            String baseUrl, ApiKey apiKey, RetryPolicy retryPolicy, int maxResponseBytes) {
        this.endpoint = URI.create(baseUrl.replaceAll("/+$", "") + "/chat/completions");
        this.apiKey = apiKey;
        this.retryPolicy = retryPolicy;
        this.maxResponseBytes = maxResponseBytes;
    }

    /**
     * The parsed answer of the first successful call; fails when none succeeds by {@code deadline}.
     */
    JsonNode complete(ObjectNode request, Instant deadline)
            throws StationFailure, InterruptedException {
        String body = request.toString();
        String lastProblem = "no call was made";
        for (int attempt = 1; attempt <= retryPolicy.maxAttempts(); attempt++) {
            Duration left = Duration.between(Instant.now(), deadline);
            if (left.compareTo(Duration.ZERO) <= 0) {
                break;
            }
            Optional<String> retryAfter = Optional.empty();
            try {
                HttpResponse<InputStream> response =
                        http.send(
                                newRequest(body, left), HttpResponse.BodyHandlers.ofInputStream());
                String answer = boundedBody(response);
                if (response.statusCode() == 200) {
                    return Json.MAPPER.readTree(answer);
                }
                lastProblem = apiKey.redact("status " + response.statusCode() + errorText(answer));
                if (!RetryPolicy.retryable(response.statusCode())) {
                    throw new StationFailure(
                            RetryPolicy.credentialsRefused(response.statusCode())
                                    ? FailureReason.ModelUnavailable.name()
                                    : FailureReason.GeneratorFailed.name(),
                            "the model endpoint "
                                    + endpoint
                                    + " refused the request: "
                                    + lastProblem);
                }
                retryAfter = response.headers().firstValue("Retry-After");
            } catch (JsonProcessingException e) {
                throw new StationFailure(
                        FailureReason.GeneratorFailed.name(),
                        "the model endpoint "
                                + endpoint
                                + " answered 200 with a body that is not JSON");
            } catch (IOException e) {
                lastProblem = apiKey.redact(Errors.describe(e));
            }
            Duration wait = retryPolicy.backoff(attempt, retryAfter);
            if (Instant.now().plus(wait).isAfter(deadline)) {
                break;
            }
            System.err.println(
                    "generate: call "
                            + attempt
                            + " failed ("
                            + lastProblem
                            + "); next in "
                            + wait.toMillis()
                            + "ms");
            Thread.sleep(wait.toMillis());
        }
        // Errors, timeouts and rate limits through every retry: an outage, not the intent's fault.
        throw new StationFailure(
                FailureReason.ModelUnavailable.name(),
                "no answer from the model endpoint "
                        + endpoint
                        + " within the generate timeout or "
                        + retryPolicy.maxAttempts()
                        + " attempts; last: "
                        + lastProblem);
    }

    private HttpRequest newRequest(String body, Duration timeout) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(endpoint)
                        .timeout(timeout)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body));
        apiKey.authorize(request);
        return request.build();
    }

    /** The body, read up to {@code maxResponseBytes}: a larger answer is refused, not buffered. */
    private String boundedBody(HttpResponse<InputStream> response)
            throws IOException, StationFailure {
        try (InputStream in = response.body()) {
            byte[] bytes = in.readNBytes(maxResponseBytes + 1);
            if (bytes.length > maxResponseBytes) {
                throw new StationFailure(
                        FailureReason.GeneratorFailed.name(),
                        "the model endpoint "
                                + endpoint
                                + " answered (status "
                                + response.statusCode()
                                + ") with more than "
                                + maxResponseBytes
                                + " bytes; raise "
                                + OpenAiGeneratorStation.MAX_RESPONSE_BYTES
                                + " or ask for less");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** The {@code error.message} of an OpenAI-style error body, when there is one. */
    private static String errorText(String body) {
        try {
            String message = Json.MAPPER.readTree(body).path("error").path("message").asText("");
            return message.isEmpty() ? "" : ": " + message;
        } catch (IOException e) {
            return "";
        }
    }
}
