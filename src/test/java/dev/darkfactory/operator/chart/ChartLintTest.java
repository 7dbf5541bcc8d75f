package dev.darkfactory.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@code helm lint --strict}: the chart is well formed, and its templates render with the default
 * values.
 */
class ChartLintTest {

    @Test
    void lintsCleanInStrictMode() {
        var result = HelmChart.lintStrict();

        assertThat(result.isFailed()).as("helm lint --strict: %s", result.getMessages()).isFalse();
        assertThat(result.getMessages())
                .noneMatch(m -> m.startsWith("[WARNING]") || m.startsWith("[ERROR]"));
    }
}
