package dev.darkfactory.operator.station.registry;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The TLS check before Jib's calls: a registry that answers in plain HTTP fails at once unless it
 * is marked insecure; one that does not answer is left to Jib's retries, as an outage may pass.
 */
class RegistryAccessTlsTest {

    /**
     * A plain-HTTP server as registries are (Go's net/http, nginx): whatever bytes arrive, it
     * answers 400 at once and closes.
     */
    private ServerSocket plainHttp;

    private Thread server;

    @BeforeEach
    void startPlainHttpRegistry() throws IOException {
        plainHttp = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        server =
                new Thread(
                        () -> {
                            while (!plainHttp.isClosed()) {
                                try (Socket client = plainHttp.accept()) {
                                    client.getInputStream().read(new byte[512]);
                                    client.getOutputStream()
                                            .write(
                                                    "HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n"
                                                            .getBytes(StandardCharsets.US_ASCII));
                                } catch (IOException closed) {
                                    // the test is over, or the client went away
                                }
                            }
                        },
                        "plain-http-registry");
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        plainHttp.close();
        server.join(5_000);
    }

    @Test
    void aPlainHttpRegistryNotMarkedInsecureFailsAtOnceNamingTheRegistryAndTheSetting() {
        String registry = "127.0.0.1:" + plainHttp.getLocalPort();

        assertThatThrownBy(() -> new RegistryAccess(Optional.empty(), false).requireTls(registry))
                .isInstanceOf(IOException.class)
                .hasCauseInstanceOf(SSLException.class)
                .hasMessageContaining("the registry " + registry + " does not speak TLS")
                .hasMessageContaining("marked insecure");
    }

    @Test
    void aRegistryMarkedInsecureIsNotChecked() {
        String registry = "127.0.0.1:" + plainHttp.getLocalPort();

        assertThatCode(() -> new RegistryAccess(Optional.empty(), true).requireTls(registry))
                .doesNotThrowAnyException();
    }

    @Test
    void aRegistryThatDoesNotAnswerIsLeftToJibsRetries() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        String registry = "127.0.0.1:" + closed;

        assertThatCode(() -> new RegistryAccess(Optional.empty(), false).requireTls(registry))
                .doesNotThrowAnyException();
    }
}
