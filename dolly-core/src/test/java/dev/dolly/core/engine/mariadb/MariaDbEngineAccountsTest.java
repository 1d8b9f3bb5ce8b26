package dev.dolly.core.engine.mariadb;

import dev.dolly.api.DollyException;
import dev.dolly.core.engine.Endpoint;
import dev.dolly.core.engine.EngineInstallation;
import dev.dolly.core.engine.EngineUser;
import dev.dolly.core.engine.LoadPlan;
import dev.dolly.core.engine.ProgressListener;
import dev.dolly.core.engine.ServerSettings;
import dev.dolly.core.storage.FileTrees;
import dev.dolly.core.testing.ServerProcessFinder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * MariaDB initialised and run as an account of numeric IDs only, as a build's or container's account is when the
 * daemon runs as root: no name for {@code unix_socket} to match, so the installation's root logs in without a
 * password over the private socket of the first start, and keeps {@code unix_socket} only afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MariaDbEngineAccountsTest
{
    private static final String PASSWORD = "build password";
    private static final String SECRET = "the daemon's secret";

    private Path base;
    private EngineUser account;
    private MariaDbEngine engine;
    private EngineInstallation installation;
    private Path data;
    private Endpoint superuser;

    @BeforeAll
    void startServer()
            throws IOException
    {
        assumeTrue(EngineUser.daemonUser().uid() == 0, "accounts of their own need a daemon running as root");
        base = Files.createTempDirectory("dolly-mariadb-accounts-test");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwx--x--x"));
        Path cache = Path.of(System.getProperty("java.io.tmpdir"), "dolly-it-download-cache");
        MariaDbBinaries binaries = new MariaDbBinaries(base.resolve("engines"), cache, URI.create("https://repo1.maven.org/maven2/"), base.resolve("m2"), List.of(), Map.of());
        account = EngineUser.ofIds(2_000_099_991, 2_000_099_991);
        engine = new MariaDbEngine(MariaDbEngine.MARIADB, binaries, EngineUser.resolve("dolly"), base.resolve("run")).runningAs(account);
        installation = engine.install(null, ProgressListener.NONE);
        data = base.resolve("data");
        Files.createDirectories(data);
        engine.initialize(installation, data, PASSWORD);
        int port = freePort();
        engine.start(installation, data, new ServerSettings("127.0.0.1", port, engine.buildParameters(), base.resolve("logs/server.log")));
        superuser = new Endpoint("127.0.0.1", port, engine.defaultUser(), PASSWORD, engine.defaultDatabase());
    }

    @AfterAll
    void stopServer()
    {
        if (engine != null && data != null) {
            engine.stop(installation, data);
        }
        if (base != null) {
            FileTrees.deleteRecursively(base);
        }
    }

    @Test
    void theServerAndItsFilesBelongToTheAccount()
            throws IOException
    {
        assertThat(ServerProcessFinder.uidLine(ServerProcessFinder.serverOf(data, "mariadbd")))
                .isEqualTo("Uid:\t" + account.uid() + "\t" + account.uid() + "\t" + account.uid() + "\t" + account.uid());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwx------");
        try (var files = Files.walk(data)) {
            assertThat(files).allSatisfy(file -> assertThat(Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS)).as(file.toString()).isEqualTo(account.uid()));
        }
    }

    @Test
    void rootKeepsOnlyItsSocketAccount()
            throws SQLException
    {
        assertThat(query(superuser, "SELECT GROUP_CONCAT(CONCAT(User, '@', Host, ' ', JSON_VALUE(Priv, '$.plugin')) ORDER BY User, Host) FROM mysql.global_priv "
                + "WHERE User NOT IN ('mariadb.sys', 'PUBLIC')"))
                .isEqualTo("dolly@% mysql_native_password,root@localhost unix_socket");
        assertThatThrownBy(() -> query(new Endpoint(superuser.host(), superuser.port(), "root", "", ""), "SELECT 1"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("Access denied");
    }

    @Test
    void aScriptCannotMakeTheClientReadLocalFiles()
            throws IOException, SQLException
    {
        Path secret = base.resolve("admin-token");
        Files.writeString(secret, SECRET + "\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Path script = base.resolve("steal.sql");
        Files.writeString(script, """
                CREATE DATABASE IF NOT EXISTS stolen;
                USE stolen;
                CREATE TABLE loot (line TEXT);
                LOAD DATA LOCAL INFILE '%s' INTO TABLE loot;
                """.formatted(secret));
        assertThatThrownBy(() -> engine.load(installation, superuser, new LoadPlan(Optional.empty(), Optional.empty(), List.of(), List.of(script), Optional.empty()),
                ProgressListener.NONE))
                .isInstanceOf(DollyException.class)
                .hasMessageContaining("steal.sql failed at line 4")
                .message().doesNotContain(SECRET);
        assertThat(query(superuser.withDatabase("stolen"), "SELECT COUNT(*) FROM loot")).isEqualTo("0");
    }

    private static String query(Endpoint endpoint, String sql)
            throws SQLException
    {
        String url = "jdbc:mariadb://" + endpoint.host() + ":" + endpoint.port() + "/" + endpoint.database();
        try (Connection connection = DriverManager.getConnection(url, endpoint.user(), endpoint.password());
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }

    private static int freePort()
    {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
