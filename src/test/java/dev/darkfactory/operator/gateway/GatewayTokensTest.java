package dev.darkfactory.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class GatewayTokensTest {

    static final byte[] KEY =
            "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    private final GatewayTokens tokens = new GatewayTokens(KEY);
    private final AttemptClaims claims =
            new AttemptClaims(
                    "team-a",
                    "todo-g1-abc",
                    "uid-1",
                    2,
                    NOW.plusSeconds(600),
                    1000L,
                    new BigDecimal("2.50"));

    @Test
    void aMintedTokenVerifiesToItsClaims() throws TokenRejected {
        assertThat(tokens.verify(tokens.mint(claims), NOW)).isEqualTo(claims);
    }

    @Test
    void claimsWithoutBudgetsRoundTrip() throws TokenRejected {
        AttemptClaims unbounded =
                new AttemptClaims("ns", "run", "uid", 1, NOW.plusSeconds(1), null, null);
        assertThat(tokens.verify(tokens.mint(unbounded), NOW)).isEqualTo(unbounded);
    }

    @Test
    void anExpiredTokenIsRefused() {
        String token = tokens.mint(claims);
        assertThatThrownBy(() -> tokens.verify(token, claims.expiresAt()))
                .isInstanceOf(TokenRejected.class)
                .hasMessageContaining("expired");
    }

    @Test
    void aTokenSignedWithAnotherKeyIsRefused() {
        String foreign =
                new GatewayTokens(
                                "another-key-another-key-another-key"
                                        .getBytes(StandardCharsets.US_ASCII))
                        .mint(claims);
        assertThatThrownBy(() -> tokens.verify(foreign, NOW))
                .isInstanceOf(TokenRejected.class)
                .hasMessageContaining("signature");
    }

    @Test
    void alteredClaimsAreRefused() {
        String token = tokens.mint(claims);
        String[] parts = token.substring(GatewayTokens.PREFIX.length()).split("\\.");
        String json = new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8);
        String raised = json.replace("\"mt\":1000", "\"mt\":1000000");
        assertThat(raised).isNotEqualTo(json);
        String forged =
                GatewayTokens.PREFIX
                        + Base64.getUrlEncoder()
                                .withoutPadding()
                                .encodeToString(raised.getBytes(StandardCharsets.UTF_8))
                        + "."
                        + parts[1];

        assertThatThrownBy(() -> tokens.verify(forged, NOW))
                .isInstanceOf(TokenRejected.class)
                .hasMessageContaining("signature");
    }

    @Test
    void malformedTokensAreRefused() {
        for (String bad :
                new String[] {
                    null,
                    "",
                    "sk-provider-key",
                    "dfgw1.",
                    "dfgw1.a.b.c",
                    "dfgw1.abc.!!!",
                    "dfgw1." + "a".repeat(GatewayTokens.MAX_LENGTH) + ".b"
                }) {
            assertThatThrownBy(() -> tokens.verify(bad, NOW))
                    .as(String.valueOf(bad))
                    .isInstanceOf(TokenRejected.class);
        }
    }

    @Test
    void aShortKeyIsAConfigurationError() {
        assertThatThrownBy(() -> new GatewayTokens(new byte[16]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 32");
    }
}
