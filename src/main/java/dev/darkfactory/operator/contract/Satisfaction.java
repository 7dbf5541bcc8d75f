package dev.darkfactory.operator.contract;

/**
 * Satisfaction: the share of trials in which every check and scenario passed, with its 95 % Wilson
 * score interval. Wilson rather than the normal approximation because trials are few (1 to 20) and
 * shares near 0 or 1 are the common case, where the normal interval collapses to a point or leaves
 * [0, 1]; Wilson stays inside and is honest about how little three trials prove.
 */
public record Satisfaction(int trialsPassed, int trials, double value, double low, double high) {

    /** The 97.5th percentile of the standard normal distribution. */
    private static final double Z_95 = 1.959963984540054;

    public static Satisfaction of(int trialsPassed, int trials) {
        if (trials < 1 || trialsPassed < 0 || trialsPassed > trials) {
            throw new IllegalArgumentException(
                    "need 0 <= passed <= trials and trials >= 1, got "
                            + trialsPassed
                            + " of "
                            + trials);
        }
        double n = trials;
        double share = trialsPassed / n;
        double z2 = Z_95 * Z_95;
        double denominator = 1 + z2 / n;
        double centre = (share + z2 / (2 * n)) / denominator;
        double half = Z_95 * Math.sqrt(share * (1 - share) / n + z2 / (4 * n * n)) / denominator;
        // At 0 and at 1 the bound is exact in theory; clamp away rounding.
        double low = trialsPassed == 0 ? 0 : Math.max(0, centre - half);
        double high = trialsPassed == trials ? 1 : Math.min(1, centre + half);
        return new Satisfaction(trialsPassed, trials, share, low, high);
    }

    /**
     * Whether the attempt passes the gate: the measured share reaches {@code
     * acceptance.minSatisfaction}.
     */
    public boolean meets(double minSatisfaction) {
        return trialsPassed >= trialsNeeded(minSatisfaction, trials);
    }

    /**
     * How many of {@code trials} must pass to reach {@code minSatisfaction}. Whole trials, so that
     * 2 of 3 meets 0.6667 and no rounding of k/n decides a verdict.
     */
    public static int trialsNeeded(double minSatisfaction, int trials) {
        return (int) Math.ceil(minSatisfaction * trials - 1e-9);
    }
}
