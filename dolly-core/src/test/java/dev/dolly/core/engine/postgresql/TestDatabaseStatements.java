package dev.dolly.core.engine.postgresql;

import dev.dolly.core.engine.DatabaseStatements;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Finding the statements of a psql script that create or drop the initial database, without running it. */
class TestDatabaseStatements
{
    private static final Path CHINOOK = Path.of("").toAbsolutePath().getParent().resolve("examples/chinook/Chinook_PostgreSql.sql");

    @Test
    void findsTheChinookScriptsDropAndCreate()
    {
        assertThat(PlainSqlLoader.databaseStatements(CHINOOK, "chinook")).isEqualTo(new DatabaseStatements(true, true));
        assertThat(PlainSqlLoader.databaseStatements(CHINOOK, "Chinook")).isEqualTo(DatabaseStatements.NONE);
        assertThat(PlainSqlLoader.databaseStatements(CHINOOK, "widgets")).isEqualTo(DatabaseStatements.NONE);
    }

    @Test
    void readsIdentifiersAsPostgresqlDoes()
    {
        assertThat(PlainSqlLoader.databaseStatements("CREATE DATABASE Widgets WITH TEMPLATE = template0;", "widgets"))
                .isEqualTo(new DatabaseStatements(true, false));
        assertThat(PlainSqlLoader.databaseStatements("create database \"Widgets\";", "Widgets")).isEqualTo(new DatabaseStatements(true, false));
        assertThat(PlainSqlLoader.databaseStatements("create database \"Widgets\";", "widgets")).isEqualTo(DatabaseStatements.NONE);
        assertThat(PlainSqlLoader.databaseStatements("DROP DATABASE IF EXISTS \"a\"\"b\" WITH (FORCE);", "a\"b")).isEqualTo(new DatabaseStatements(false, true));
        assertThat(PlainSqlLoader.databaseStatements("drop database widgets;", "widgets")).isEqualTo(new DatabaseStatements(false, true));
    }

    @Test
    void ignoresWhatOnlyLooksLikeIt()
    {
        assertThat(PlainSqlLoader.databaseStatements("""
                -- CREATE DATABASE widgets;
                /* DROP DATABASE widgets; */
                SELECT 'CREATE DATABASE widgets';
                CREATE TABLE databases (name text);
                COPY databases (name) FROM stdin;
                CREATE DATABASE widgets
                \\.
                CREATE FUNCTION f() RETURNS void AS $$ BEGIN EXECUTE 'DROP DATABASE widgets'; END $$ LANGUAGE plpgsql;
                """, "widgets")).isEqualTo(DatabaseStatements.NONE);
    }
}
