package dev.darkfactory.operator.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedactorTest {

    @Test
    void replacesValuesAsWrittenJsonEscapedAndPercentEncoded() {
        Redactor redactor = Redactor.of(List.of("p@ss word\"1", "abc"));

        assertThat(redactor.redact("a p@ss word\"1 b")).isEqualTo("a [redacted] b");
        assertThat(redactor.redact("{\"x\":\"p@ss word\\\"1\"}"))
                .isEqualTo("{\"x\":\"[redacted]\"}");
        assertThat(redactor.redact("/u/p%40ss%20word%221 /v/p%40ss+word%221"))
                .isEqualTo("/u/[redacted] /v/[redacted]");
        assertThat(redactor.redact("xabcx")).isEqualTo("x[redacted]x");
        assertThat(redactor.redact(null)).isNull();
    }

    @Test
    void aValueContainingAnotherIsReplacedWhole() {
        assertThat(Redactor.of(List.of("secret", "secret-long")).redact("secret-long!"))
                .isEqualTo("[redacted]!");
    }

    @Test
    void readsOnlyTheRedactionVariables() {
        Redactor redactor =
                Redactor.fromEnvironment(
                        Map.of(
                                Redactor.ENV_PREFIX + "0",
                                "tok3n",
                                "HOME",
                                "/home/x",
                                Redactor.ENV_PREFIX + "1",
                                ""));

        assertThat(redactor.redact("tok3n /home/x")).isEqualTo("[redacted] /home/x");
        assertThat(Redactor.NONE.redact("tok3n")).isEqualTo("tok3n");
    }
}
