package dev.darkfactory.operator.gateway;

/**
 * A gateway token that is malformed, signed with another key, or expired; the message says which,
 * never the token.
 */
public final class TokenRejected extends Exception {

    public TokenRejected(String message) {
        super(message);
    }
}
