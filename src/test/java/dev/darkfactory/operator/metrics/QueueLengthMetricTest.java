package dev.darkfactory.operator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The queue length is counted when it is scraped, from what the operator's cache holds then. */
class QueueLengthMetricTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final FactoryMetrics metrics = new FactoryMetrics(registry);

    @Test
    void theGaugeReadsTheQueueAtEachScrape() {
        assertThat(queued()).isZero();

        AtomicLong waiting = new AtomicLong(3);
        metrics.queueLengthFrom(waiting::get);
        assertThat(queued()).isEqualTo(3.0);

        // The last waiting run admitted: no reconcile of a waiting run follows, the gauge follows.
        waiting.set(0);
        assertThat(queued()).isZero();
    }

    private double queued() {
        return registry.get("darkfactory.runs.queued").gauge().value();
    }
}
