package dev.darkfactory.operator.station.test;

import dev.darkfactory.operator.contract.Placeholders.Generated;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * Makes the generated values of placeholders from a {@link SecureRandom}, never from a seed the
 * spec or the attempt could fix: an app that learned the values of one trial or attempt cannot
 * predict those of the next.
 */
final class ValueGenerator {

    private static final String CONSONANTS = "bcdfghjklmnprstvz";
    private static final String VOWELS = "aeiou";

    private final SecureRandom random;

    ValueGenerator(SecureRandom random) {
        this.random = random;
    }

    String next(Generated generated) {
        return switch (generated.kind()) {
            case UUID ->
                    new UUID(
                                    random.nextLong() & ~0xF000L | 0x4000L,
                                    random.nextLong() & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L)
                            .toString();
            case INT ->
                    Long.toString(
                            generated.min()
                                    + random.nextLong(generated.max() - generated.min() + 1));
            case WORD -> word();
            case EMAIL -> word() + "." + word() + "@example.com";
        };
    }

    /**
     * Four pronounceable syllables: about 2^26 words, lowercase letters only, safe in paths and
     * JSON.
     */
    private String word() {
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            word.append(CONSONANTS.charAt(random.nextInt(CONSONANTS.length())))
                    .append(VOWELS.charAt(random.nextInt(VOWELS.length())));
        }
        return word.toString();
    }
}
