package dev.dolly.core.storage;

import dev.dolly.core.engine.Endpoint;
import dev.dolly.core.engine.EngineInstallation;
import dev.dolly.core.engine.EngineUser;
import dev.dolly.core.engine.ProgressListener;
import dev.dolly.core.engine.ServerSettings;
import dev.dolly.core.engine.postgresql.PostgresBinaries;
import dev.dolly.core.engine.postgresql.PostgresEngine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real PostgreSQL server on a driver's volumes, the way images and containers use them: initdb into an image
 * volume, load, shut down, seal; start on a clone and write; the image stays as it was. The built-in PostgreSQL
 * version is unpacked once per test run.
 */
final class PostgresOnVolumes
{
    private static final String PASSWORD = "secret";
    private static PostgresEngine engine;
    private static EngineInstallation installation;

    private PostgresOnVolumes() {}

    static void runOnAClone(StorageDriver driver, Path logs)
            throws IOException, SQLException
    {
        install();
        Path image = driver.createVolume("images/pg");
        EngineUser.resolve("dolly").takeOwnership(image);
        engine.initialize(installation, image, PASSWORD);
        int port = freePort();
        engine.start(installation, image, settings(port, logs.resolve("image.log")));
        execute(port, "CREATE TABLE sample AS SELECT generate_series(1, 10000) AS id");
        engine.stop(installation, image);
        driver.seal("images/pg");
        String imageDigest = AbstractStorageDriverTest.digest(image);
        // a sealed image is never started again
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> engine.start(installation, image, settings(freePort(), logs.resolve("sealed.log"))))
                .isInstanceOf(dev.dolly.api.DollyException.class)
                .hasMessageContaining("sealed image");
        assertThat(AbstractStorageDriverTest.digest(image)).isEqualTo(imageDigest);

        Path clone = driver.clone("images/pg", "containers/pg");
        try {
            int clonePort = freePort();
            engine.start(installation, clone, settings(clonePort, logs.resolve("clone.log")));
            try {
                execute(clonePort, "INSERT INTO sample SELECT generate_series(10001, 20000)");
                execute(clonePort, "CHECKPOINT");
                assertThat(query(clonePort, "SELECT count(*) FROM sample")).isEqualTo("20000");
            }
            finally {
                engine.stop(installation, clone);
            }
            assertThat(AbstractStorageDriverTest.digest(image)).isEqualTo(imageDigest);
        }
        finally {
            driver.delete("containers/pg");
            driver.delete("images/pg");
        }
    }

    private static synchronized void install()
            throws IOException
    {
        if (engine != null) {
            return;
        }
        Path base = Files.createTempDirectory("dolly-storage-engines");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> FileTrees.deleteRecursively(base)));
        // an unreachable repository: the built-in version must not need it
        PostgresBinaries binaries = new PostgresBinaries(base.resolve("engines"), base.resolve("cache"), URI.create("http://127.0.0.1:9/maven2"), base.resolve("m2"), List.of());
        engine = new PostgresEngine(binaries, EngineUser.resolve("dolly"));
        installation = engine.install(null, ProgressListener.NONE);
    }

    private static ServerSettings settings(int port, Path logFile)
    {
        return new ServerSettings("127.0.0.1", port, Map.of("fsync", "off", "shared_buffers", "16MB", "max_connections", "10"), logFile);
    }

    private static void execute(int port, String sql)
            throws SQLException
    {
        try (Connection connection = connect(port); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String query(int port, String sql)
            throws SQLException
    {
        try (Connection connection = connect(port); Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }

    private static Connection connect(int port)
            throws SQLException
    {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + engine.defaultDatabase(), engine.defaultUser(), PASSWORD);
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
