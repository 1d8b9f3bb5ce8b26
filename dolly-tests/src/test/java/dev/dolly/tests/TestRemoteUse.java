package dev.dolly.tests;

import dev.dolly.api.DaemonAddress;
import dev.dolly.api.DataContainer;
import dev.dolly.api.DataImage;
import dev.dolly.api.ResourceStatus;
import dev.dolly.core.tls.SelfSignedCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A daemon serving HTTPS with a self-signed certificate, and a CLI on "another machine" (its own DOLLY_HOME, the
 * server given by URL): trust through --ca-certificate, the definition's files uploaded, a container that listens on
 * every address and whose connection details name the advertised host.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestRemoteUse
{
    private static final Path CHINOOK = DaemonProcess.PROJECT_ROOT.resolve("examples/chinook/image.yaml");

    private Path certificates;
    private SelfSignedCertificates.Pair certificate;
    private DaemonProcess daemon;
    private String url;
    private Path clientHome;

    @BeforeAll
    void startDaemon()
            throws Exception
    {
        certificates = Files.createTempDirectory("dolly-it-certificates-");
        clientHome = Files.createTempDirectory("dolly-it-client-");
        certificate = SelfSignedCertificates.generate(certificates, "dolly-test-server", "RSA", "ip:127.0.0.1");
        daemon = DaemonProcess.withNewHome(Map.of(
                "DOLLY_TLS_CERTIFICATE", certificate.certificate().toString(),
                "DOLLY_TLS_KEY", certificate.key().toString(),
                // engines listen on every address; connection details name the host clients should use
                "DOLLY_CONTAINER_LISTEN", "0.0.0.0",
                "DOLLY_CONTAINER_HOST", "localhost")).start();
        url = daemon.address().url();
    }

    @AfterAll
    void stopDaemon()
            throws Exception
    {
        if (daemon != null) {
            Cli local = new Cli(daemon.environment());
            for (DataContainer container : local.json(DataContainer[].class, "get", "data-containers")) {
                local.succeed("delete", "data-container", container.name());
            }
            for (DataImage image : Arrays.asList(local.json(DataImage[].class, "get", "data-images")).reversed()) {
                local.succeed("delete", "data-image", String.valueOf(image.id()));
            }
            daemon.close();
        }
        for (Path directory : new Path[] {certificates, clientHome}) {
            if (directory != null) {
                try (var paths = Files.walk(directory)) {
                    for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(path);
                    }
                }
            }
        }
    }

    @Test
    void remoteClientBuildsFromAnUploadAndConnectsToTheAdvertisedHost()
            throws Exception
    {
        DaemonAddress address = daemon.address();
        assertThat(address.url()).startsWith("https://127.0.0.1:");
        assertThat(address.certificate()).isEqualTo(Files.readString(certificate.certificate()));
        Cli remote = remoteCli();
        String[] server = {"--server", url, "--access-token", daemon.adminToken(), "--ca-certificate", certificate.certificate().toString()};

        assertThat(remote.succeed(with(server, "info")).stdout()).contains(url);

        Cli.Result created = remote.succeed(with(server, "create", "data-image", "-f", CHINOOK.toString(), "-n", "remote-chinook"));
        long size = Files.size(CHINOOK.resolveSibling("Chinook_PostgreSql.sql"));
        assertThat(created.stderr()).startsWith("Uploading 1 file (").contains(") to " + url + "...").doesNotContain("sent (");
        assertThat(created.stdout()).contains("Data image 'remote-chinook'").contains("created!");
        DataImage image = remote.json(DataImage.class, with(server, "get", "data-image", "remote-chinook"));
        assertThat(image.status()).isEqualTo(ResourceStatus.READY);
        assertThat(daemon.log()).contains(": 1 files, " + size + " bytes");
        // the staging directory went with the build
        assertThat(daemon.home().resolve("uploads")).isEmptyDirectory();

        String name = remote.succeed(with(server, "create", "data-container", "-i", "remote-chinook", "-q")).stdout().strip();
        DataContainer container = remote.json(DataContainer.class, with(server, "get", "data-container", name));
        assertThat(container.host()).isEqualTo("localhost");
        assertThat(container.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:" + container.port() + "/chinook");
        assertThat(tracks(container.jdbcUrl(), container)).isEqualTo(3503);
        // it listens on every address, not only on loopback
        Optional<InetAddress> external = externalAddress();
        if (external.isPresent()) {
            assertThat(tracks("jdbc:postgresql://" + external.get().getHostAddress() + ":" + container.port() + "/chinook", container)).isEqualTo(3503);
        }

        // the local CLI of the same home trusts the certificate daemon.json names, and names the directory instead of uploading
        Cli local = new Cli(daemon.environment());
        Cli.Result localCreate = local.succeed("create", "data-image", "-f", CHINOOK.toString(), "-n", "local-chinook");
        assertThat(localCreate.stderr()).doesNotContain("Uploading");
        assertThat(local.json(DataImage.class, "get", "data-image", "local-chinook").status()).isEqualTo(ResourceStatus.READY);
    }

    @Test
    void clientWithoutTheCertificateAuthorityGetsATlsError()
            throws Exception
    {
        Cli remote = remoteCli();

        Cli.Result untrusted = remote.run("get", "data-images", "--server", url, "--access-token", daemon.adminToken());

        assertThat(untrusted.exitCode()).isEqualTo(10);
        assertThat(untrusted.stderr()).isEqualTo("Error: Cannot open a trusted TLS connection to " + url + ": its certificate is not signed by a "
                + "certificate authority this client trusts. If the server's certificate comes from a CA of your own (or is self-signed), pass that "
                + "CA's PEM certificate with --ca-certificate FILE or DOLLY_CA_CERTIFICATE=FILE.\n");

        // trusted, but by a name the certificate does not hold
        String byName = url.replace("127.0.0.1", "localhost");
        Cli.Result wrongName = remote.run("get", "data-images", "--server", byName, "--access-token", daemon.adminToken(),
                "--ca-certificate", certificate.certificate().toString());
        assertThat(wrongName.exitCode()).isEqualTo(10);
        assertThat(wrongName.stderr()).startsWith("Error: Cannot open a trusted TLS connection to " + byName + ": ")
                .contains("check that the server's certificate was issued by that CA for the host name in the URL");

        Cli.Result missingFile = remote.run("get", "data-images", "--server", url, "--access-token", daemon.adminToken(),
                "--ca-certificate", certificates.resolve("nope.pem").toString());
        assertThat(missingFile.exitCode()).isEqualTo(3);
        assertThat(missingFile.stderr()).isEqualTo("Error: --ca-certificate: the CA certificate file " + certificates.resolve("nope.pem") + " does not exist.\n");
    }

    @Test
    void remoteUserSignsInTrustingTheCertificateAuthority()
    {
        String password = "a remote user's long password";
        new Cli(daemon.environment()).succeedWithStdin(password + "\n", "create", "user", "remote-user", "--password-stdin");
        Cli remote = remoteCli().with(Map.of("DOLLY_CONFIG", clientHome.resolve("remote-user-config").toString()));

        Cli.Result login = remote.succeedWithStdin(password + "\n", "auth", "login", "--server", url, "--ca-certificate", certificate.certificate().toString(),
                "--username", "remote-user", "--password-stdin");
        assertThat(login.stdout()).startsWith("Signed in to " + url + " as remote-user.");

        // the commands that follow use the session; the certificate authority comes from the environment
        Cli signedIn = remote.with(Map.of("DOLLY_CA_CERTIFICATE", certificate.certificate().toString()));
        assertThat(signedIn.succeed("auth", "status", "-q").stdout()).isEqualTo("remote-user\n");
        signedIn.succeed("get", "data-images");
        assertThat(signedIn.succeed("auth", "logout").stdout()).isEqualTo("Signed out of " + url + ".\n");
        assertThat(signedIn.run("auth", "status").exitCode()).isEqualTo(7);
    }

    @Test
    void daemonRefusesAnAddressBeyondLoopbackWithoutTls()
            throws Exception
    {
        try (DaemonProcess insecure = DaemonProcess.withNewHome(Map.of("DOLLY_LISTEN", "0.0.0.0:0"))) {
            assertThatThrownBy(insecure::start)
                    .hasMessageContaining("The daemon exited with 3")
                    .hasMessageContaining("Error: DOLLY_LISTEN '0.0.0.0:0' is not a loopback address, and the API would be served without TLS")
                    .hasMessageContaining("Set DOLLY_TLS_CERTIFICATE (a PEM certificate chain) and DOLLY_TLS_KEY (its PKCS#8 PEM private key), or, "
                            + "behind a TLS proxy or on a trusted network only, set DOLLY_ALLOW_INSECURE_LISTEN=true.");
        }
    }

    private Cli remoteCli()
    {
        // its own configuration: never the sign-in of whoever runs the tests
        return new Cli(Map.of("DOLLY_HOME", clientHome.toString(), "DOLLY_CONFIG", clientHome.resolve("config").toString()));
    }

    private static String[] with(String[] server, String... arguments)
    {
        String[] all = Arrays.copyOf(arguments, arguments.length + server.length);
        System.arraycopy(server, 0, all, arguments.length, server.length);
        return all;
    }

    private static long tracks(String jdbcUrl, DataContainer container)
            throws Exception
    {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, container.user(), container.password());
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("select count(*) from track")) {
            result.next();
            return result.getLong(1);
        }
    }

    private static Optional<InetAddress> externalAddress()
            throws Exception
    {
        return NetworkInterface.networkInterfaces()
                .filter(network -> {
                    try {
                        return network.isUp() && !network.isLoopback();
                    }
                    catch (java.net.SocketException e) {
                        return false;
                    }
                })
                .flatMap(NetworkInterface::inetAddresses)
                .filter(address -> address instanceof Inet4Address && !address.isLoopbackAddress())
                .findFirst();
    }
}
