package dev.darkfactory.operator.gateway;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs the {@link UsageRecordSweep} in the operator while it reads the gateway's usage records:
 * shortly after the start (records of runs deleted while the operator was down) and then every few
 * minutes. Deleting is idempotent, so every replica may sweep.
 */
@Singleton
public class UsageRecordSweeper {

    private static final Logger LOG = Logger.getLogger(UsageRecordSweeper.class);

    static final Duration FIRST = Duration.ofSeconds(30);
    static final Duration EVERY = Duration.ofMinutes(5);

    private ScheduledExecutorService timer;

    void onStart(
            @Observes StartupEvent event, GatewayCredentials gateway, KubernetesClient client) {
        gateway.usageNamespace()
                .ifPresent(
                        namespace -> {
                            UsageRecordSweep sweep = new UsageRecordSweep(client, namespace);
                            timer =
                                    Executors.newSingleThreadScheduledExecutor(
                                            r -> {
                                                Thread thread = new Thread(r, "usage-record-sweep");
                                                thread.setDaemon(true);
                                                return thread;
                                            });
                            timer.scheduleWithFixedDelay(
                                    () -> run(sweep),
                                    FIRST.toSeconds(),
                                    EVERY.toSeconds(),
                                    TimeUnit.SECONDS);
                        });
    }

    private static void run(UsageRecordSweep sweep) {
        try {
            sweep.sweep();
        } catch (RuntimeException e) {
            // The next pass tries again; a timer task that throws would never run again.
            LOG.warnf("Sweeping the gateway's usage records failed: %s", e.getMessage());
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
