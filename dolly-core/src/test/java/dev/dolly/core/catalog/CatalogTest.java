package dev.dolly.core.catalog;

import dev.dolly.api.ImageOrigin;
import dev.dolly.api.ResourceStatus;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/** The catalog file's format: what the records become in SQLite, which the catalogs of existing homes hold. */
class CatalogTest
{
    @TempDir
    Path directory;

    @Test
    void writesColumnsInTheCatalogsFormat()
            throws SQLException
    {
        Path file = directory.resolve("catalog.db");
        Catalog catalog = Catalog.open(file);
        long image = catalog.images().insert(new ImageRecord(0, "graduated", ResourceStatus.READY, null, null, "postgresql", null, "17.6.0", "revision",
                "shop", "secret", "images/1", 2048L, "alice", "", "", Instant.parse("2026-11-21T09:00:00Z"), null, Instant.parse("2026-11-22T09:00:00.5Z"),
                List.of(), List.of(), new ImageOrigin("my-copy", "rev.2", "chinook")));
        catalog.containers().insert(new ContainerRecord(0, "my-copy", image, ResourceStatus.READY, null, "postgresql", "17.6.0", "localhost", 54321,
                "postgres", "password", "shop", "containers/1", "rev.0", "alice", Instant.parse("2026-11-21T09:00:01.25Z"), null));
        catalog.users().insertUser("alice", "hash", true, Instant.parse("2026-11-21T09:00:02Z"));

        // timestamps are fixed-width UTC text with milliseconds, statuses their names, booleans 0 or 1
        assertThat(row(file, "SELECT status, created_at, ready_at, expires_at, size_bytes, origin_container, origin_revision, origin_image FROM images"))
                .containsExactly(entry("status", "READY"), entry("created_at", "2026-11-21T09:00:00.000Z"), entry("ready_at", null),
                        entry("expires_at", "2026-11-22T09:00:00.500Z"), entry("size_bytes", 2048), entry("origin_container", "my-copy"),
                        entry("origin_revision", "rev.2"), entry("origin_image", "chinook"));
        assertThat(row(file, "SELECT status, port, created_at, expires_at FROM containers"))
                .containsExactly(entry("status", "READY"), entry("port", 54321), entry("created_at", "2026-11-21T09:00:01.250Z"), entry("expires_at", null));
        assertThat(row(file, "SELECT admin, created_at FROM users WHERE name = 'alice'"))
                .containsExactly(entry("admin", 1), entry("created_at", "2026-11-21T09:00:02.000Z"));
    }

    @Test
    void readsRowsWrittenDirectly()
            throws SQLException
    {
        Path file = directory.resolve("catalog.db");
        Catalog.open(file);
        execute(file, """
                INSERT INTO images (id, name, status, engine, source_type, superuser_password, volume, owner, definition, source_directory, created_at,
                    ready_at, size_bytes)
                VALUES (7, 'chinook', 'READY', 'postgresql', 'backup', 'secret', 'images/7', 'admin', 'name: chinook', '/tmp', '2026-11-21T09:00:00.000Z',
                    '2026-11-21T09:00:05.125Z', 123)
                """);
        execute(file, "INSERT INTO image_tags (image_id, tag, held) VALUES (7, 'latest', 1), (7, 'next', 0)");
        execute(file, "INSERT INTO image_teams (image_id, team) VALUES (7, 'org:b'), (7, 'org:a')");

        ImageRecord image = Catalog.open(file).images().find(7).orElseThrow();
        assertThat(image.readyAt()).isEqualTo(Instant.parse("2026-11-21T09:00:05.125Z"));
        assertThat(image.sizeBytes()).isEqualTo(123L);
        assertThat(image.tags()).containsExactly("latest");
        assertThat(image.teams()).containsExactly("org:a", "org:b");
        assertThat(image.origin()).isNull();
    }

    @Test
    void migratesACatalogOfVersion5ToEngineAccounts()
            throws SQLException
    {
        Path file = directory.resolve("catalog.db");
        // a home's catalog as the daemon before engine accounts left it
        Flyway.configure().dataSource(dataSource(file)).locations("classpath:db/migration").target("5").load().migrate();
        execute(file, """
                INSERT INTO images (id, name, status, engine, source_type, superuser_password, volume, owner, definition, source_directory, created_at)
                VALUES (7, 'chinook', 'READY', 'postgresql', 'backup', 'secret', 'images/7', 'admin', 'name: chinook', '/tmp', '2026-11-21T09:00:00.000Z')
                """);
        execute(file, """
                INSERT INTO containers (id, name, image_id, status, engine, engine_version, host, port, user_name, password, database_name, volume, revision,
                    owner, created_at)
                VALUES (3, 'my-copy', 7, 'READY', 'postgresql', '17.6.0', '127.0.0.1', 54321, 'postgres', 'pw', 'chinook', 'containers/3', 'rev.0', 'admin',
                    '2026-11-21T09:00:01.000Z')
                """);

        Catalog catalog = Catalog.open(file);
        // what existed keeps running as the shared account, as before
        assertThat(catalog.images().engineUid(7)).isEmpty();
        assertThat(catalog.containers().engineUid(3)).isEmpty();
        assertThat(catalog.engineUidsInUse()).isEmpty();
        assertThat(catalog.images().find(7)).isPresent();
        assertThat(catalog.containers().find(3)).isPresent();

        catalog.images().setEngineUid(7, 2_000_000_001);
        catalog.containers().setEngineUid(3, 2_000_000_002);
        assertThat(row(file, "SELECT engine_uid FROM containers")).containsExactly(entry("engine_uid", 2_000_000_002));
        assertThat(catalog.images().engineUid(7)).contains(2_000_000_001);
        assertThat(catalog.containers().engineUid(3)).contains(2_000_000_002);
        assertThat(catalog.engineUidsInUse()).containsExactlyInAnyOrder(2_000_000_001, 2_000_000_002);

        // an image graduated from the container holds the container's ID: taken until both are gone
        catalog.images().setEngineUid(7, 2_000_000_002);
        assertThat(catalog.engineUidsInUse()).containsExactly(2_000_000_002);
        catalog.containers().delete(3);
        assertThat(catalog.engineUidsInUse()).containsExactly(2_000_000_002);
        catalog.images().setEngineUid(7, null);
        assertThat(catalog.images().engineUid(7)).isEmpty();
        assertThat(catalog.engineUidsInUse()).isEmpty();
    }

    private static Map<String, Object> row(Path file, String query)
            throws SQLException
    {
        try (Connection connection = dataSource(file).getConnection(); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(query)) {
            assertThat(result.next()).isTrue();
            Map<String, Object> row = new LinkedHashMap<>();
            for (int column = 1; column <= result.getMetaData().getColumnCount(); column++) {
                row.put(result.getMetaData().getColumnLabel(column), result.getObject(column));
            }
            return row;
        }
    }

    private static void execute(Path file, String sql)
            throws SQLException
    {
        try (Connection connection = dataSource(file).getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static SQLiteDataSource dataSource(Path file)
    {
        SQLiteDataSource dataSource = new SQLiteDataSource();
        dataSource.setUrl("jdbc:sqlite:" + file);
        return dataSource;
    }
}
