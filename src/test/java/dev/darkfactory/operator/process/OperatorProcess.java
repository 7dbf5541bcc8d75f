package dev.darkfactory.operator.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The packaged operator ({@code target/quarkus-app/quarkus-run.jar}, built by {@code mvn package})
 * started as its own process, in the prod profile as the image runs it (leader election on),
 * against a kubeconfig. Its memory, CPU and reaction to SIGTERM are real, which an operator inside
 * the test JVM cannot show. Output goes to target/operator-<port>.log.
 */
public final class OperatorProcess implements AutoCloseable {

    public static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");

    private final Process process;
    private final int httpPort;
    private final Path log;
    private final long startedNanos;

    private OperatorProcess(Process process, int httpPort, Path log, long startedNanos) {
        this.process = process;
        this.httpPort = httpPort;
        this.log = log;
        this.startedNanos = startedNanos;
    }

    /**
     * Starts the jar. {@code settings} become environment variables, as the chart passes them
     * (darkfactory.* keys that no @ConfigMapping declares fail validation as system properties);
     * {@code jvmOptions} and the defaults here (kubeconfig, a free HTTP port, no CRD apply) go on
     * the command line.
     */
    public static OperatorProcess start(
            Path kubeconfig, List<String> jvmOptions, Map<String, String> settings) {
        return start(JAR, kubeconfig, jvmOptions, settings);
    }

    /**
     * Like {@link #start(Path, List, Map)}, with another build's jar (the benchmark compares two).
     */
    public static OperatorProcess start(
            Path jar, Path kubeconfig, List<String> jvmOptions, Map<String, String> settings) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(
                    jar + " is missing: run mvn package (make build) first");
        }
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-Dkubeconfig=" + kubeconfig.toAbsolutePath());
        command.add("-Dquarkus.http.port=" + port);
        command.add("-Dquarkus.operator-sdk.crd.apply=false");
        command.add("-jar");
        command.add(jar.toAbsolutePath().toString());
        Path log = Path.of("target", "operator-" + port + ".log").toAbsolutePath();
        try {
            long started = System.nanoTime();
            ProcessBuilder builder =
                    new ProcessBuilder(command)
                            .redirectErrorStream(true)
                            .redirectOutput(log.toFile());
            settings.forEach(
                    (key, value) -> builder.environment().put(environmentName(key), value));
            Process process = builder.start();
            return new OperatorProcess(process, port, log, started);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Time since the process was started, in nanoseconds. */
    public long nanosSinceStart() {
        return System.nanoTime() - startedNanos;
    }

    /** SIGTERM, as the kubelet sends it when a pod stops. */
    public void terminate() {
        process.destroy();
    }

    /** The exit code, or null while it runs. */
    public Integer exitCode() {
        return process.isAlive() ? null : process.exitValue();
    }

    public Path log() {
        return log;
    }

    public String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** GET on the operator's HTTP port; null when it does not answer (yet). */
    public HttpResponse<String> get(String path) {
        try {
            URI uri = URI.create("http://127.0.0.1:" + httpPort + path);
            return HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                            HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    public boolean ready() {
        HttpResponse<String> health = get("/q/health/ready");
        return health != null && health.statusCode() == 200;
    }

    /** Kills the process if it still runs (a test that failed half-way). */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }

    /** The environment variable of a configuration key, as MicroProfile Config maps them. */
    static String environmentName(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(java.util.Locale.ROOT);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
