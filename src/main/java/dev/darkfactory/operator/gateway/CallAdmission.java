package dev.darkfactory.operator.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.darkfactory.operator.api.v1alpha1.ProviderEndpoint;
import java.io.IOException;
import java.util.Locale;

/**
 * Decides whether a call with a verified token may go to the provider: finds the run's provider,
 * checks the budget against the usage records, caps the call's output and reads the provider key.
 * Blocking (Kubernetes API reads), so it runs on a Vert.x worker thread, never on an event loop.
 */
final class CallAdmission {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A call allowed through: what the provider is sent, and what its usage is charged to. */
    record Admitted(
            ModelApi api,
            AttemptClaims claims,
            RunRoute route,
            ProviderEndpoint endpoint,
            String key,
            byte[] body) {}

    private final RunDirectory runs;
    private final ProviderKeys keys;
    private final UsageLedger ledger;

    CallAdmission(RunDirectory runs, ProviderKeys keys, UsageLedger ledger) {
        this.runs = runs;
        this.keys = keys;
        this.ledger = ledger;
    }

    Admitted admit(ModelApi api, AttemptClaims claims, byte[] requestBytes) throws GatewayError {
        RunRoute route;
        try {
            route = runs.route(claims);
        } catch (TokenRejected rejected) {
            throw GatewayError.unauthorized(rejected.getMessage());
        } catch (IOException e) {
            throw GatewayError.unavailable(
                    503, "the gateway cannot read the run: " + e.getMessage());
        }
        ProviderEndpoint endpoint =
                route.endpoint(api.family())
                        .orElseThrow(
                                () ->
                                        GatewayError.badRequest(
                                                400,
                                                "GeneratorClass "
                                                        + route.className()
                                                        + " names no provider."
                                                        + api.family()
                                                                .name()
                                                                .toLowerCase(Locale.ROOT)
                                                        + " endpoint, so "
                                                        + api.gatewayPath()
                                                        + " is not available to it"));
        ObjectNode request = parseRequest(requestBytes);

        TokenCount used;
        try {
            used = ledger.usage(claims.runRef()).total().tokens();
        } catch (IOException e) {
            throw GatewayError.unavailable(
                    503,
                    "the gateway cannot read the run's usage, so it cannot check the budget: "
                            + e.getMessage());
        }
        BudgetDecision decision =
                BudgetDecision.decide(claims, used, route.pricing(), requestBytes.length);
        if (!decision.allowed()) {
            noteRefusal(
                    claims,
                    new BudgetRefusal(
                            claims.attempt(), decision.budget(), decision.refusal().get()));
            throw new GatewayError(
                    402,
                    "budget_exceeded",
                    GatewayMetrics.Refusal.budget,
                    decision.refusal().get());
        }
        decision.maxOutput().ifPresent(max -> api.capMaxOutput(request, max));
        api.askForStreamedUsage(request);

        String key = null;
        if (endpoint.apiKeySecretRef != null) {
            try {
                key = keys.key(endpoint.apiKeySecretRef);
            } catch (IOException e) {
                throw GatewayError.unavailable(503, e.getMessage());
            }
        }
        try {
            return new Admitted(
                    api, claims, route, endpoint, key, MAPPER.writeValueAsBytes(request));
        } catch (IOException e) {
            throw GatewayError.badRequest(400, "the request body cannot be written back as JSON");
        }
    }

    private static ObjectNode parseRequest(byte[] bytes) throws GatewayError {
        try {
            JsonNode json = MAPPER.readTree(bytes);
            if (json instanceof ObjectNode object) {
                return object;
            }
        } catch (IOException e) {
            // Reported below.
        }
        throw GatewayError.badRequest(400, "the request body must be a JSON object");
    }

    /**
     * Tells the operator, through the usage ConfigMap, that the run's budget refused a call; if
     * that write fails, the next refused call (of this attempt or the next) writes it.
     */
    private void noteRefusal(AttemptClaims claims, BudgetRefusal refusal) {
        try {
            ledger.refused(claims.runRef(), refusal);
        } catch (IOException e) {
            System.err.println(
                    "gateway: budget refusal of "
                            + claims.runRef()
                            + " attempt "
                            + claims.attempt()
                            + " not recorded ("
                            + e.getMessage()
                            + ")");
        }
    }
}
