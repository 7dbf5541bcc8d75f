package dev.darkfactory.operator.gateway;

import dev.darkfactory.operator.api.v1alpha1.ModelPricing;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;

/** Prices per million tokens; cost in decimal, never floating point. */
public record Pricing(BigDecimal inputPerMillion, BigDecimal outputPerMillion, String currency) {

    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    /**
     * Cost is kept to a millionth of the currency unit: far below a cent, far above rounding noise.
     */
    static final int SCALE = 6;

    public static Optional<Pricing> of(ModelPricing pricing) {
        if (pricing == null) {
            return Optional.empty();
        }
        return Optional.of(
                new Pricing(
                        new BigDecimal(pricing.inputPerMillion),
                        new BigDecimal(pricing.outputPerMillion),
                        pricing.currency == null ? "USD" : pricing.currency));
    }

    public BigDecimal cost(TokenCount tokens) {
        return inputPerMillion
                .multiply(BigDecimal.valueOf(tokens.input()))
                .add(outputPerMillion.multiply(BigDecimal.valueOf(tokens.output())))
                .divide(MILLION, SCALE, RoundingMode.HALF_UP);
    }

    /** The most output tokens that {@code money} pays for; unbounded when output is free. */
    long outputTokensFor(BigDecimal money) {
        if (outputPerMillion.signum() == 0) {
            return Long.MAX_VALUE;
        }
        return money.multiply(MILLION).divide(outputPerMillion, 0, RoundingMode.FLOOR).longValue();
    }

    BigDecimal inputCost(long tokens) {
        return cost(new TokenCount(tokens, 0));
    }
}
