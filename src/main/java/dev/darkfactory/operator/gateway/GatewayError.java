package dev.darkfactory.operator.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * An answer the gateway gives itself, in the error shape of the API the client speaks, so that a
 * coding agent shows the message rather than a parse failure. Messages never carry a key or token.
 */
final class GatewayError extends Exception {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final int status;
    private final String type;
    private final GatewayMetrics.Refusal refusal;
    private final Optional<String> retryAfter;

    GatewayError(int status, String type, GatewayMetrics.Refusal refusal, String message) {
        this(status, type, refusal, message, Optional.empty());
    }

    GatewayError(
            int status,
            String type,
            GatewayMetrics.Refusal refusal,
            String message,
            Optional<String> retryAfter) {
        super(message);
        this.status = status;
        this.type = type;
        this.refusal = refusal;
        this.retryAfter = retryAfter;
    }

    static GatewayError unauthorized(String message) {
        return new GatewayError(401, "authentication_error", GatewayMetrics.Refusal.token, message);
    }

    static GatewayError badRequest(int status, String message) {
        return new GatewayError(
                status, "invalid_request_error", GatewayMetrics.Refusal.request, message);
    }

    static GatewayError unavailable(int status, String message) {
        return new GatewayError(
                status, "api_error", GatewayMetrics.Refusal.unavailable, message, Optional.of("5"));
    }

    int status() {
        return status;
    }

    GatewayMetrics.Refusal refusal() {
        return refusal;
    }

    Optional<String> retryAfter() {
        return retryAfter;
    }

    String body(ModelApi.Family family) {
        ObjectNode body = MAPPER.createObjectNode();
        if (family == ModelApi.Family.ANTHROPIC) {
            body.put("type", "error");
            body.putObject("error").put("type", type).put("message", getMessage());
        } else {
            body.putObject("error")
                    .put("message", getMessage())
                    .put("type", type)
                    .put("code", type);
        }
        return body.toString();
    }
}
