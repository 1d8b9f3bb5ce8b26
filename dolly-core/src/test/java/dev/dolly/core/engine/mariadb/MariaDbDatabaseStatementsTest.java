package dev.dolly.core.engine.mariadb;

import dev.dolly.core.engine.DatabaseStatements;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Finding the statements of a MySQL script that create or drop the initial database, without running it. */
class MariaDbDatabaseStatementsTest
{
    @Test
    void findsTheChinookScriptsDropAndCreate()
            throws IOException
    {
        Path chinook = Path.of("").toAbsolutePath().getParent().resolve("examples/chinook-mysql/Chinook_MySql.sql");
        try (var lines = Files.lines(chinook)) {
            assertThat(MariaDbEngine.databaseStatements(lines, "Chinook")).isEqualTo(new DatabaseStatements(true, true));
        }
        try (var lines = Files.lines(chinook)) {
            assertThat(MariaDbEngine.databaseStatements(lines, "chinook")).isEqualTo(DatabaseStatements.NONE);
        }
    }

    @Test
    void readsWhatMysqldumpWrites()
    {
        assertThat(statements("CREATE DATABASE /*!32312 IF NOT EXISTS*/ `shop` /*!40100 DEFAULT CHARACTER SET utf8mb4 */;\nUSE `shop`;", "shop"))
                .isEqualTo(new DatabaseStatements(true, false));
        assertThat(statements("  drop schema if exists shop;", "shop")).isEqualTo(new DatabaseStatements(false, true));
        assertThat(statements("create schema `sh``op`;", "sh`op")).isEqualTo(new DatabaseStatements(true, false));
        assertThat(statements("CREATE DATABASE shopping;\nCREATE TABLE shop (id INT);\n-- CREATE DATABASE shop;", "shop")).isEqualTo(DatabaseStatements.NONE);
    }

    private static DatabaseStatements statements(String sql, String database)
    {
        return MariaDbEngine.databaseStatements(sql.lines(), database);
    }
}
