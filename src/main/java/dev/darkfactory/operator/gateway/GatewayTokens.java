package dev.darkfactory.operator.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Mints and verifies per-attempt tokens: {@code dfgw1.<claims>.<signature>}, both parts base64url,
 * the signature an HMAC-SHA256 of the claims with the key that the operator and the gateway share
 * (a Secret). Not a JWT on purpose: one algorithm, no header to negotiate, nothing to confuse.
 */
public final class GatewayTokens {

    static final String PREFIX = "dfgw1.";

    /**
     * Tokens are a few hundred bytes; anything much longer is not one of ours and is not parsed.
     */
    static final int MAX_LENGTH = 2048;

    /** A key shorter than this is a configuration mistake, not a secret. */
    static final int MIN_KEY_BYTES = 32;

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final SecretKeySpec key;

    public GatewayTokens(byte[] key) {
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException(
                    "the gateway signing key must have at least "
                            + MIN_KEY_BYTES
                            + " bytes, it has "
                            + key.length);
        }
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
    }

    public String mint(AttemptClaims claims) {
        ObjectNode json =
                MAPPER.createObjectNode()
                        .put("ns", claims.namespace())
                        .put("run", claims.run())
                        .put("uid", claims.runUid())
                        .put("a", claims.attempt())
                        .put("exp", claims.expiresAt().getEpochSecond());
        if (claims.maxTokens() != null) {
            json.put("mt", claims.maxTokens());
        }
        if (claims.maxCost() != null) {
            json.put("mc", claims.maxCost().toPlainString());
        }
        String payload = ENCODER.encodeToString(json.toString().getBytes(StandardCharsets.UTF_8));
        return PREFIX + payload + "." + ENCODER.encodeToString(mac(payload));
    }

    /** The claims of a token signed with this key and not expired at {@code now}. */
    public AttemptClaims verify(String token, Instant now) throws TokenRejected {
        if (token == null || token.isEmpty()) {
            throw new TokenRejected(
                    "no gateway token: send it as 'Authorization: Bearer <token>' or 'x-api-key'");
        }
        if (token.length() > MAX_LENGTH || !token.startsWith(PREFIX)) {
            throw new TokenRejected("not a gateway token");
        }
        String[] parts = token.substring(PREFIX.length()).split("\\.", -1);
        if (parts.length != 2) {
            throw new TokenRejected("malformed gateway token");
        }
        byte[] signature;
        try {
            signature = DECODER.decode(parts[1]);
        } catch (IllegalArgumentException e) {
            throw new TokenRejected("malformed gateway token");
        }
        // Checked before the claims are even parsed: nothing an attacker wrote is interpreted
        // unsigned.
        if (!MessageDigest.isEqual(mac(parts[0]), signature)) {
            throw new TokenRejected("gateway token with a wrong signature (foreign or altered)");
        }
        AttemptClaims claims = parse(parts[0]);
        if (!now.isBefore(claims.expiresAt())) {
            throw new TokenRejected(
                    "gateway token expired at " + claims.expiresAt() + " (the attempt's deadline)");
        }
        return claims;
    }

    private static AttemptClaims parse(String payload) throws TokenRejected {
        try {
            JsonNode json = MAPPER.readTree(DECODER.decode(payload));
            if (!json.path("ns").isTextual()
                    || !json.path("run").isTextual()
                    || !json.path("uid").isTextual()
                    || !json.path("a").canConvertToInt()
                    || !json.path("exp").canConvertToLong()) {
                throw new TokenRejected("malformed gateway token");
            }
            return new AttemptClaims(
                    json.get("ns").asText(),
                    json.get("run").asText(),
                    json.get("uid").asText(),
                    json.get("a").asInt(),
                    Instant.ofEpochSecond(json.get("exp").asLong()),
                    json.has("mt") ? json.get("mt").asLong() : null,
                    json.has("mc") ? new BigDecimal(json.get("mc").asText()) : null);
        } catch (IOException | IllegalArgumentException e) {
            throw new TokenRejected("malformed gateway token");
        }
    }

    private byte[] mac(String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(payload.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
