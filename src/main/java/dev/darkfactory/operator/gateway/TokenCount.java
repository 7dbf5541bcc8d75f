package dev.darkfactory.operator.gateway;

/** Input and output tokens of one or more model calls. */
public record TokenCount(long input, long output) {

    public static final TokenCount ZERO = new TokenCount(0, 0);

    public long total() {
        return input + output;
    }

    public TokenCount plus(TokenCount other) {
        return new TokenCount(input + other.input, output + other.output);
    }
}
