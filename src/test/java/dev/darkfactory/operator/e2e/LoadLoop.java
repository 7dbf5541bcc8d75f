package dev.darkfactory.operator.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client that never stops asking: GETs one URL back to back (a new connection each time, as
 * busybox httpd closes each one) until closed, and counts what came back. A request that fails to
 * connect, times out or answers other than 200 is a failure; the first few are kept with when they
 * happened, for the assertion's message.
 */
final class LoadLoop implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final int KEPT_FAILURES = 10;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final URI target;
    private final Thread thread;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();
    private final Set<String> answers = new LinkedHashSet<>();
    private final List<String> failureNotes = new ArrayList<>();
    private volatile boolean running = true;

    private LoadLoop(URI target) {
        this.target = target;
        this.thread = new Thread(this::loop, "load-loop");
        this.thread.setDaemon(true);
    }

    static LoadLoop start(URI target) {
        LoadLoop loop = new LoadLoop(target);
        loop.thread.start();
        return loop;
    }

    private void loop() {
        while (running) {
            requests.incrementAndGet();
            try {
                HttpResponse<String> response =
                        http.send(
                                HttpRequest.newBuilder(target).timeout(TIMEOUT).GET().build(),
                                HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    synchronized (answers) {
                        answers.add(response.body().strip());
                    }
                } else {
                    fail("HTTP " + response.statusCode());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                fail(e.toString());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void fail(String what) {
        failures.incrementAndGet();
        synchronized (failureNotes) {
            if (failureNotes.size() < KEPT_FAILURES) {
                failureNotes.add(java.time.Instant.now() + " " + what);
            }
        }
    }

    int requests() {
        return requests.get();
    }

    int failures() {
        return failures.get();
    }

    /** The distinct bodies of the 200 answers, in the order first seen. */
    List<String> answers() {
        synchronized (answers) {
            return List.copyOf(answers);
        }
    }

    String summary() {
        synchronized (failureNotes) {
            return requests()
                    + " requests to "
                    + target
                    + ", "
                    + failures()
                    + " failed"
                    + (failureNotes.isEmpty() ? "" : ": " + failureNotes);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(TIMEOUT.multipliedBy(2).toMillis());
    }
}
