package dev.darkfactory.operator.station.testing;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.tools.jib.api.Credential;
import dev.darkfactory.operator.station.Json;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * A real image registry (Debian's docker-registry, the CNCF distribution) on 127.0.0.1 and a free
 * port, storing into a temporary directory, optionally behind htpasswd basic auth. It also reads
 * manifests and blobs back over the registry HTTP API, for assertions.
 */
public final class LocalRegistry implements AutoCloseable {

    private static final Path BINARY = Path.of("/usr/bin/docker-registry");
    private static final String MANIFEST_TYPES =
            String.join(
                    ",",
                    "application/vnd.docker.distribution.manifest.v2+json",
                    "application/vnd.oci.image.manifest.v1+json");

    private final Process process;
    private final int port;
    private final Optional<Credential> login;
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private LocalRegistry(Process process, int port, Optional<Credential> login) {
        this.process = process;
        this.port = port;
        this.login = login;
    }

    public static LocalRegistry start(Path dir) throws IOException {
        return start(dir, null, null);
    }

    /** With {@code user} and {@code password} set, the registry demands them (htpasswd, bcrypt). */
    public static LocalRegistry start(Path dir, String user, String password) throws IOException {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(
                    BINARY
                            + " is missing: install the Debian package docker-registry (.ci/run does)");
        }
        int port = freePort();
        StringBuilder config =
                new StringBuilder()
                        .append("version: 0.1\n")
                        .append("log:\n  level: warn\n  accesslog:\n    disabled: true\n")
                        .append("storage:\n  filesystem:\n    rootdirectory: ")
                        .append(dir.resolve("storage"))
                        .append("\n")
                        .append("http:\n  addr: 127.0.0.1:")
                        .append(port)
                        .append("\n  secret: local-test-only\n");
        Optional<Credential> login = Optional.empty();
        if (user != null) {
            Path htpasswd = dir.resolve("htpasswd");
            Files.writeString(htpasswd, htpasswdLine(user, password));
            config.append("auth:\n  htpasswd:\n    realm: darkfactory-test\n    path: ")
                    .append(htpasswd)
                    .append("\n");
            login = Optional.of(Credential.from(user, password));
        }
        Path configFile = dir.resolve("config.yml");
        Files.writeString(configFile, config);
        Process process =
                new ProcessBuilder(BINARY.toString(), "serve", configFile.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("registry.log").toFile())
                        .start();
        LocalRegistry registry = new LocalRegistry(process, port, login);
        await("registry on 127.0.0.1:" + port)
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(50))
                .until(registry::answers);
        return registry;
    }

    /** host:port, as image references name it. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    /** The user and password this registry demands, if it demands any. */
    public Optional<Credential> login() {
        return login;
    }

    /** A Docker config JSON file that logs in to this registry as {@code user}. */
    public Path dockerConfig(Path dir, String user, String password) throws IOException {
        String auth =
                Base64.getEncoder()
                        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        Path file = dir.resolve("config.json");
        Files.writeString(file, "{\"auths\": {\"" + host() + "\": {\"auth\": \"" + auth + "\"}}}");
        return file;
    }

    /** The manifest {@code repository@reference} and the digest the registry computed for it. */
    public Manifest manifest(String repository, String reference)
            throws IOException, InterruptedException {
        HttpResponse<byte[]> response =
                get("/v2/" + repository + "/manifests/" + reference, MANIFEST_TYPES);
        return new Manifest(
                Json.MAPPER.readTree(response.body()),
                response.headers().firstValue("Docker-Content-Digest").orElseThrow(),
                response.body());
    }

    public byte[] blob(String repository, String digest) throws IOException, InterruptedException {
        return get("/v2/" + repository + "/blobs/" + digest, "*/*").body();
    }

    public JsonNode config(String repository, Manifest manifest)
            throws IOException, InterruptedException {
        return Json.MAPPER.readTree(
                blob(repository, manifest.json().path("config").path("digest").asText()));
    }

    private HttpResponse<byte[]> get(String path, String accept)
            throws IOException, InterruptedException {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create("http://" + host() + path))
                        .header("Accept", accept);
        login.ifPresent(
                credential ->
                        request.header(
                                "Authorization",
                                "Basic "
                                        + Base64.getEncoder()
                                                .encodeToString(
                                                        (credential.getUsername()
                                                                        + ":"
                                                                        + credential.getPassword())
                                                                .getBytes(
                                                                        StandardCharsets.UTF_8))));
        HttpResponse<byte[]> response =
                http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + path + " answered " + response.statusCode());
        }
        return response;
    }

    private boolean answers() {
        try {
            int status =
                    http.send(
                                    HttpRequest.newBuilder(URI.create("http://" + host() + "/v2/"))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode();
            return status == 200 || status == 401;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A bcrypt htpasswd line, the only kind the registry accepts, from Apache's htpasswd. */
    private static String htpasswdLine(String user, String password) throws IOException {
        Process htpasswd = new ProcessBuilder("htpasswd", "-Bbn", user, password).start();
        String line =
                new String(htpasswd.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                        .strip();
        try {
            if (htpasswd.waitFor() != 0) {
                throw new IOException("htpasswd failed: install apache2-utils (.ci/run does)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return line + "\n";
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket =
                new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** A manifest as JSON, with the registry's digest and the exact bytes it was stored as. */
    public record Manifest(JsonNode json, String digest, byte[] bytes) {
        public List<String> layerDigests() {
            return json.path("layers").findValuesAsText("digest");
        }
    }
}
