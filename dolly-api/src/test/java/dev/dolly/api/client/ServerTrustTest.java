package dev.dolly.api.client;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.dolly.api.DollyException;
import dev.dolly.api.ErrorCode;
import dev.dolly.api.UpdateContainerRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A real HTTPS server whose certificate names another host than the address the client uses, reached by both of
 * {@link DollyClient}'s request paths (HttpURLConnection, and java.net.http for PATCH).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServerTrustTest
{
    private static final String PASSWORD = "test-password";
    private static final String CONTAINER = "{\"id\":1,\"name\":\"renamed\"}";

    @TempDir
    static Path directory;

    private HttpsServer server;
    private URI address;
    private String serverCertificate;
    private String otherCertificate;

    @BeforeAll
    void startServer()
            throws Exception
    {
        Path keyStore = generate("server", "dns:dolly.example.com");
        serverCertificate = exportCertificate(keyStore);
        otherCertificate = exportCertificate(generate("other", "dns:dolly.example.com"));

        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream input = Files.newInputStream(keyStore)) {
            store.load(input, PASSWORD.toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context));
        server.createContext("/", exchange -> {
            byte[] body = CONTAINER.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        address = URI.create("https://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterAll
    void stopServer()
    {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void pinnedCertificateIsTrustedWhateverTheHostNameOnBothPaths()
    {
        DollyClient client = new DollyClient(address, "token", ServerTrust.pinned(serverCertificate));

        assertThat(client.getContainer("c").name()).isEqualTo("renamed");
        assertThat(client.updateContainer("c", new UpdateContainerRequest("renamed", null)).name()).isEqualTo("renamed");
    }

    @Test
    void anotherCertificateThanThePinnedOneIsRefusedOnBothPaths()
    {
        DollyClient client = new DollyClient(address, "token", ServerTrust.pinned(otherCertificate));

        assertTlsFailure(() -> client.getContainer("c"), "The server's certificate is not the one in the local daemon's daemon.json");
        assertTlsFailure(() -> client.updateContainer("c", new UpdateContainerRequest("renamed", null)),
                "The server's certificate is not the one in the local daemon's daemon.json");
    }

    @Test
    void certificateAuthorityFileStillChecksTheHostNameOnBothPaths()
            throws IOException
    {
        Path file = Files.writeString(directory.resolve("ca.pem"), serverCertificate);
        DollyClient client = new DollyClient(address, "token", ServerTrust.withCertificateAuthorities(file, "--ca-certificate"));

        assertTlsFailure(() -> client.getContainer("c"), "127.0.0.1");
        assertTlsFailure(() -> client.updateContainer("c", new UpdateContainerRequest("renamed", null)), "127.0.0.1");
    }

    private static void assertTlsFailure(Runnable request, String reason)
    {
        assertThatThrownBy(request::run)
                .isInstanceOfSatisfying(DollyException.class, exception -> assertThat(exception.errorCode()).isEqualTo(ErrorCode.TLS_FAILURE))
                .hasMessageStartingWith("Cannot open a trusted TLS connection to ")
                .hasMessageContaining(reason);
    }

    private Path generate(String name, String subjectAlternativeNames)
            throws IOException, InterruptedException
    {
        Path keyStore = directory.resolve(name + ".p12");
        keytool("-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=" + name, "-ext", "san=" + subjectAlternativeNames,
                "-validity", "2", "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
        return keyStore;
    }

    private String exportCertificate(Path keyStore)
            throws IOException, InterruptedException
    {
        Path pem = Path.of(keyStore + ".pem");
        keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", keyStore.toString(), "-storepass", PASSWORD, "-file", pem.toString());
        return Files.readString(pem);
    }

    private static void keytool(String... arguments)
            throws IOException, InterruptedException
    {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
    }
}
