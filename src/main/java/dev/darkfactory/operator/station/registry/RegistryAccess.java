package dev.darkfactory.operator.station.registry;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.event.EventHandlers;
import com.google.cloud.tools.jib.frontend.CredentialRetrieverFactory;
import com.google.cloud.tools.jib.http.FailoverHttpClient;
import com.google.cloud.tools.jib.registry.RegistryClient;
import com.google.cloud.tools.jib.registry.credentials.CredentialRetrievalException;
import dev.darkfactory.operator.contract.StationContract.Env;
import dev.darkfactory.operator.station.StationEnvironment;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;

/**
 * How the stations reach the image registry: credentials from a Docker config file (the {@code
 * .dockerconfigjson} of a Secret) and whether plain HTTP is allowed.
 */
public record RegistryAccess(Optional<Path> dockerConfig, boolean insecure) {

    /**
     * Path of a Docker config JSON file with the registry credentials; anonymous access when unset.
     */
    public static final String DOCKER_CONFIG = Env.DOCKER_CONFIG;

    /**
     * "true" allows plain HTTP (and TLS without verification) to the registry, credentials
     * included.
     */
    public static final String INSECURE = Env.REGISTRY_INSECURE;

    /**
     * Label of every image the build station pushes (app images and source archives): the build
     * refuses an image carrying it as a base image, wherever it was copied to.
     */
    public static final String OUTPUT_LABEL = "dev.darkfactory.output";

    static final Consumer<LogEvent> LOG =
            event -> {
                if (event.getLevel().compareTo(LogEvent.Level.LIFECYCLE) <= 0) {
                    System.err.println("jib: " + event.getMessage());
                }
            };

    public static RegistryAccess from(StationEnvironment env) {
        Optional<Path> dockerConfig = env.optional(DOCKER_CONFIG).map(Path::of);
        if (dockerConfig.isPresent() && !Files.isReadable(dockerConfig.get())) {
            throw new IllegalArgumentException(
                    DOCKER_CONFIG + ": cannot read " + dockerConfig.get());
        }
        RegistryAccess access = new RegistryAccess(dockerConfig, env.flag(INSECURE));
        if (access.insecure()) {
            // Jib withholds credentials over plain HTTP unless this JVM-wide switch is on; an
            // admin who marks the registry insecure and gives credentials wants them sent.
            System.setProperty("sendCredentialsOverHttp", "true");
        }
        return access;
    }

    /** How long the TLS check waits for the registry before leaving the question to Jib. */
    private static final Duration TLS_CHECK_TIMEOUT = Duration.ofSeconds(5);

    /**
     * Fails at once when {@code registry} (host and port) is not marked insecure and does not
     * complete a TLS handshake: it speaks plain HTTP, or its certificate is not trusted. Jib finds
     * the same, but only after retrying the handshake for about a minute (ten tries, backing off),
     * which no retry can change. Anything else (a refused connection, a timeout) is left to Jib's
     * own calls and retries, as an outage may pass; so is a plain-HTTP server that waits for more
     * rather than answering the handshake with a 400 at once, as Go's and nginx's do.
     */
    public void requireTls(String registry) throws IOException {
        if (insecure) {
            return;
        }
        HttpClient client =
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(TLS_CHECK_TIMEOUT)
                        .build();
        HttpRequest request =
                HttpRequest.newBuilder(URI.create("https://" + registry + "/v2/"))
                        .timeout(TLS_CHECK_TIMEOUT)
                        .GET()
                        .build();
        try {
            client.send(request, HttpResponse.BodyHandlers.discarding());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("checking TLS to the registry " + registry);
        } catch (IOException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof SSLException) {
                    throw new IOException(
                            "the registry "
                                    + registry
                                    + " does not speak TLS that this station trusts; plain HTTP"
                                    + " and unverified TLS are allowed only for a registry marked"
                                    + " insecure",
                            cause);
                }
            }
        }
    }

    /** The image with this access's credentials attached. */
    public RegistryImage image(ImageReference reference) {
        RegistryImage image = RegistryImage.named(reference);
        dockerConfig.ifPresent(
                config ->
                        image.addCredentialRetriever(credentials(reference).dockerConfig(config)));
        return image;
    }

    /**
     * Pushes to {@code target}, keeping Jib's caches in {@code cache} rather than the home
     * directory.
     */
    public Containerizer containerizer(ImageReference target, Path cache) {
        return Containerizer.to(image(target))
                .setAllowInsecureRegistries(insecure)
                .setBaseImageLayersCache(cache.resolve("base"))
                .setApplicationLayersCache(cache.resolve("app"))
                .setToolName("darkfactory")
                .addEventHandler(LogEvent.class, LOG);
    }

    Optional<Credential> credential(ImageReference reference) throws CredentialRetrievalException {
        return dockerConfig.isPresent()
                ? credentials(reference).dockerConfig(dockerConfig.get()).retrieve()
                : Optional.empty();
    }

    /** A client of {@code reference}'s repository, logged in the way Jib's own pull does it. */
    public RegistryClient client(ImageReference reference)
            throws IOException, RegistryException, CredentialRetrievalException {
        requireTls(reference.getRegistry());
        EventHandlers events = EventHandlers.builder().add(LogEvent.class, LOG).build();
        Credential credential = credential(reference).orElse(null);
        RegistryClient client =
                RegistryClient.factory(
                                events,
                                reference.getRegistry(),
                                reference.getRepository(),
                                httpClient())
                        .setCredential(credential)
                        .newRegistryClient();
        // A token when the registry hands them out, else basic auth.
        if (credential != null && !client.doPullBearerAuth()) {
            client.configureBasicAuth();
        }
        return client;
    }

    FailoverHttpClient httpClient() {
        return new FailoverHttpClient(insecure, insecure, LOG);
    }

    private static CredentialRetrieverFactory credentials(ImageReference reference) {
        return CredentialRetrieverFactory.forImage(reference, LOG);
    }
}
