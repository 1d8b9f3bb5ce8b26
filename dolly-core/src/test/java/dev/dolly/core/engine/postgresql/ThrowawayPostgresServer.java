package dev.dolly.core.engine.postgresql;

import dev.dolly.core.engine.EngineInstallation;
import dev.dolly.core.engine.EngineUser;
import dev.dolly.core.engine.ProgressListener;
import dev.dolly.core.engine.ServerSettings;
import dev.dolly.core.storage.FileTrees;

import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * A throwaway PostgreSQL server of the built-in version for tests that need a real server but not the engine
 * under test: started with {@link PostgresEngine}, as the unprivileged engine user, without durability.
 */
final class ThrowawayPostgresServer
        implements AutoCloseable
{
    private static final String PASSWORD = "testing";

    private final PostgresEngine engine;
    private final EngineInstallation installation;
    private final Path base;
    private final Path dataDirectory;
    private final int port;

    private ThrowawayPostgresServer(PostgresEngine engine, EngineInstallation installation, Path base, Path dataDirectory, int port)
    {
        this.engine = engine;
        this.installation = installation;
        this.base = base;
        this.dataDirectory = dataDirectory;
        this.port = port;
    }

    static ThrowawayPostgresServer start()
    {
        Path base = TemporaryDirectories.createBase();
        // an unreachable repository: the built-in version comes from the class path
        PostgresBinaries binaries = new PostgresBinaries(base.resolve("engines"), base.resolve("cache"), URI.create("http://127.0.0.1:9/maven2"), base.resolve("m2"), List.of());
        PostgresEngine engine = new PostgresEngine(binaries, EngineUser.resolve("dolly"));
        EngineInstallation installation = engine.install(null, ProgressListener.NONE);
        Path dataDirectory = TemporaryDirectories.createDirectory(base, "data");
        engine.initialize(installation, dataDirectory, PASSWORD);
        int port = TemporaryDirectories.freePort();
        engine.start(installation, dataDirectory, new ServerSettings("127.0.0.1", port, Map.of("fsync", "off", "full_page_writes", "off"),
                base.resolve("logs").resolve("server.log")));
        return new ThrowawayPostgresServer(engine, installation, base, dataDirectory, port);
    }

    int port()
    {
        return port;
    }

    String jdbcUrl(String database)
    {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?preferQueryMode=simple";
    }

    Connection connect(String database)
            throws SQLException
    {
        return DriverManager.getConnection(jdbcUrl(database), "postgres", PASSWORD);
    }

    @Override
    public void close()
    {
        try {
            engine.stop(installation, dataDirectory);
        }
        finally {
            FileTrees.deleteRecursively(base);
        }
    }
}
