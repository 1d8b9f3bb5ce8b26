package dev.dolly.examples.junit;

import dev.dolly.junit.DollyDatabase;
import dev.dolly.junit.DollyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.sql.DataSource;

import java.sql.Connection;
import java.sql.SQLException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Databases from the project's own SQL: Flyway migrations, and a folder of scripts, each built into an image once. */
@ExtendWith(DollyExtension.class)
class MigrationsTest
{
    @Test
    void migratedSchemaWithFlywayHistory(@DollyDatabase(migrations = "classpath:db/migration") DataSource dataSource)
            throws SQLException
    {
        try (Connection connection = dataSource.getConnection()) {
            assertEquals(3, ChinookCounts.count(connection, "invoice"));
            assertEquals(2, ChinookCounts.count(connection, "flyway_schema_history"));
        }
    }

    @Test
    void scriptsFolder(@DollyDatabase(scripts = "classpath:db/testdata") DataSource dataSource)
            throws SQLException
    {
        try (Connection connection = dataSource.getConnection()) {
            assertEquals(2, ChinookCounts.count(connection, "widget"));
        }
    }
}
