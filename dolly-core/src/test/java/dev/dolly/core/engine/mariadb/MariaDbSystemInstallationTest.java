package dev.dolly.core.engine.mariadb;

import dev.dolly.core.engine.Endpoint;
import dev.dolly.core.engine.EngineInstallation;
import dev.dolly.core.engine.EngineUser;
import dev.dolly.core.engine.LoadPlan;
import dev.dolly.core.engine.ProgressListener;
import dev.dolly.core.engine.ServerSettings;
import dev.dolly.core.storage.FileTrees;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Debian's MariaDB packages as a configured installation ({@code DOLLY_MARIADB_INSTALLATIONS=/usr/bin}): the server in
 * {@code /usr/sbin}, the client and install-db in {@code /usr/bin}. CI installs them (mariadb-server-core,
 * mariadb-client-core); elsewhere the test is skipped when they are missing.
 */
class MariaDbSystemInstallationTest
{
    private static final Path BIN = Path.of("/usr/bin");

    @Test
    void runsDebiansMariaDb()
            throws Exception
    {
        if (!Files.isExecutable(Path.of("/usr/sbin/mariadbd")) || !Files.isExecutable(BIN.resolve("mariadb-install-db"))) {
            String message = "Debian's MariaDB is not installed: apt-get install mariadb-server-core mariadb-client-core";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(message);
            }
            org.junit.jupiter.api.Assumptions.abort(message);
        }
        Path base = Files.createTempDirectory("dolly-mariadb-system");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwx--x--x"));
        // an unreachable repository: the system installation must not need it
        MariaDbBinaries binaries = new MariaDbBinaries(base.resolve("engines"), base.resolve("cache"), URI.create("http://127.0.0.1:9/maven2"), base.resolve("m2"),
                List.of(BIN), Map.of());
        MariaDbEngine engine = new MariaDbEngine(MariaDbEngine.MARIADB, binaries, EngineUser.resolve("dolly"), base.resolve("run"));
        Path data = base.resolve("data");
        try {
            String version = engine.resolveVersion("10.11");
            assertThat(version).startsWith("10.11.");
            assertThat(engine.resolveVersion(null)).isEqualTo(version);
            assertThatThrownBy(() -> engine.resolveVersion("10.6")).hasMessageContaining("DOLLY_MARIADB_INSTALLATIONS");
            EngineInstallation installation = engine.install("10.11", ProgressListener.NONE);
            assertThat(installation.binDirectory()).isEqualTo(BIN);
            assertThat(engine.install(installation.version(), ProgressListener.NONE)).isEqualTo(installation);
            assertThat(engine.describe().systemInstallations()).containsExactly(version + " (" + BIN + ")");

            Files.createDirectories(data);
            engine.initialize(installation, data, "image-password");
            int port = freePort();
            engine.startWithNewPassword(installation, data, new ServerSettings("127.0.0.1", port, engine.buildParameters(), base.resolve("logs/server.log")),
                    new Endpoint("127.0.0.1", port, engine.defaultUser(), "image-password", ""), engine.defaultUser(), "new-password");
            Endpoint user = new Endpoint("127.0.0.1", port, engine.defaultUser(), "new-password", "");
            assertThat(engine.serverVersion(user)).startsWith(version + "-MariaDB");
            Path script = base.resolve("script.sql");
            Files.writeString(script, "CREATE TABLE t (id INT PRIMARY KEY);\nINSERT INTO t VALUES (1), (2);\n");
            engine.load(installation, user, new LoadPlan(Optional.of("app"), Optional.empty(), List.of(), List.of(script), Optional.empty()), ProgressListener.NONE);
            try (Connection connection = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port + "/app", "dolly", "new-password");
                    Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM t")) {
                rows.next();
                assertThat(rows.getInt(1)).isEqualTo(2);
            }
            assertThatThrownBy(() -> DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port + "/", "root", "")).hasMessageContaining("Access denied");
        }
        finally {
            engine.stop(engine.install(null, ProgressListener.NONE), data);
            FileTrees.deleteRecursively(base);
        }
    }

    private static int freePort()
            throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
