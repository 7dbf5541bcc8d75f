package dev.darkfactory.operator.station.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.darkfactory.operator.contract.Placeholders;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ValueGeneratorTest {

    private final ValueGenerator generator = new ValueGenerator(new SecureRandom());

    @Test
    void integersStayWithinTheirBoundsAndReachBoth() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            seen.add(generator.next(Placeholders.generator("int -1 1")));
        }
        assertThat(seen).containsExactlyInAnyOrder("-1", "0", "1");
        assertThat(generator.next(Placeholders.generator("int 7 7"))).isEqualTo("7");
    }

    @Test
    void uuidsWordsAndEmailsHaveTheirFormAndDoNotRepeat() {
        String uuid = generator.next(Placeholders.generator("uuid"));
        assertThat(UUID.fromString(uuid).version()).isEqualTo(4);
        assertThat(generator.next(Placeholders.generator("word"))).matches("[a-z]{8}");
        assertThat(generator.next(Placeholders.generator("email")))
                .matches("[a-z]{8}\\.[a-z]{8}@example\\.com");
        Set<String> words = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            words.add(generator.next(Placeholders.generator("word")));
        }
        assertThat(words).hasSizeGreaterThan(95);
    }

    @Test
    void twoGeneratorsNeverShareASequence() {
        // No seed from the spec: two testers (two trials, two attempts) draw different values.
        ValueGenerator other = new ValueGenerator(new SecureRandom());
        assertThat(generator.next(Placeholders.generator("uuid")))
                .isNotEqualTo(other.next(Placeholders.generator("uuid")));
    }
}
