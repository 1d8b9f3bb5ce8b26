package dev.dolly.core.engine.postgresql;

import dev.dolly.api.DollyException;
import dev.dolly.api.ErrorCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestPlainSqlLoader
{
    private ThrowawayPostgresServer server;

    @BeforeAll
    void startServer()
    {
        server = ThrowawayPostgresServer.start();
    }

    @AfterAll
    void stopServer()
    {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void loadsChinook()
            throws Exception
    {
        RecordingConnectionFactory connections = new RecordingConnectionFactory();
        List<String> progress = new CopyOnWriteArrayList<>();
        long start = System.nanoTime();
        String database = new PlainSqlLoader(connections).load(CHINOOK, "postgres", progress::add);
        long elapsed = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("Chinook loaded in %d ms%n", elapsed);

        assertThat(database).isEqualTo("chinook");
        assertThat(count("chinook", "track")).isEqualTo(3503);
        assertThat(count("chinook", "customer")).isEqualTo(59);
        assertThat(count("chinook", "invoice")).isEqualTo(412);
        assertThat(count("chinook", "invoice_line")).isEqualTo(2240);
        assertThat(count("chinook", "employee")).isEqualTo(8);
        assertThat(connections.opened()).hasSize(2);
        assertThat(connections.allClosed()).isTrue();
        assertThat(progress.getFirst()).isEqualTo("Loading Chinook_PostgreSql.sql");
        assertThat(progress).anyMatch(message -> message.matches("Loading Chinook_PostgreSql\\.sql: \\d+% \\([\\d,]+ statements\\)"));
        assertThat(progress.getLast()).startsWith("Loaded Chinook_PostgreSql.sql: ");
    }

    @Test
    void loadsPgDumpStyleScript()
            throws Exception
    {
        RecordingConnectionFactory connections = new RecordingConnectionFactory();
        String database = new PlainSqlLoader(connections)
                .load(resource("dev/dolly/core/engine/postgresql/pg_dump_style.sql"), "postgres", message -> {});

        assertThat(database).isEqualTo("shop");
        assertThat(connections.allClosed()).isTrue();
        assertThat(query("shop", "SELECT id || '|' || name || '|' || coalesce(note, '<null>') || '|' || price FROM app.product ORDER BY id"))
                .containsExactly(
                        "1|Widget; large|back\\slash|9.99",
                        "2|Gadget|<null>|19.50",
                        "3|Quote's \"thing\"|tab\tinside|0.00",
                        "4|Ünïcödé|line\nbreak; -- not a comment|1.00");
        assertThat(query("shop", "SELECT product_id || ':' || coalesce(\"quantity?\"::text, '-') FROM app.\"order; line\" ORDER BY 1"))
                .containsExactly("1:2", "3:-");
        assertThat(query("shop", "SELECT app.slugify('Hello, World!')")).containsExactly("hello-world");
        assertThat(query("shop", "SELECT nextval('app.product_id_seq')")).containsExactly("5");
    }

    @Test
    void copiesIntoEmptyTablesFrozenAndLeavesOtherTablesAlone()
            throws Exception
    {
        RecordingConnectionFactory connections = new RecordingConnectionFactory();
        String database = new PlainSqlLoader(connections).execute("""
                CREATE DATABASE freeze_test;
                \\c freeze_test
                CREATE TABLE fresh (id int PRIMARY KEY, name text);
                CREATE TABLE "Quoted Name" (id int);
                CREATE TABLE referenced (id int PRIMARY KEY);
                CREATE TABLE referencing (id int REFERENCES referenced (id));
                CREATE TABLE filled (id int);
                INSERT INTO filled VALUES (0);
                COPY public.fresh (id, name) FROM stdin;
                1\tone
                2\ttwo
                \\.
                COPY public."Quoted Name" (id) FROM stdin;
                7
                \\.
                COPY referenced (id) FROM stdin;
                1
                \\.
                COPY filled (id) FROM stdin;
                1
                \\.
                BEGIN;
                CREATE TABLE in_transaction (id int);
                COPY in_transaction (id) FROM stdin;
                1
                \\.
                COMMIT;
                """, "freeze.sql", "postgres", message -> {});

        assertThat(database).isEqualTo("freeze_test");
        assertThat(connections.allClosed()).isTrue();
        assertThat(query("freeze_test", "SELECT id || ':' || name FROM fresh ORDER BY id")).containsExactly("1:one", "2:two");
        assertThat(query("freeze_test", "SELECT id FROM \"Quoted Name\"")).containsExactly("7");
        assertThat(query("freeze_test", "SELECT id FROM filled ORDER BY id")).containsExactly("0", "1");
        assertThat(query("freeze_test", "SELECT id FROM in_transaction")).containsExactly("1");
        // COPY FREEZE marks the pages it fills all-frozen in the visibility map (PostgreSQL 14 and later)
        try (Connection connection = server.connect("freeze_test");
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE EXTENSION pg_visibility");
        }
        assertThat(allFrozen("fresh")).isTrue();
        assertThat(allFrozen("\"Quoted Name\"")).isTrue();
        // referenced by a foreign key: no TRUNCATE, a plain COPY
        assertThat(allFrozen("referenced")).isFalse();
        // not empty: a plain COPY after the row inserted before
        assertThat(allFrozen("filled")).isFalse();
        // inside the script's own transaction: left as it is, and committed by the script
        assertThat(allFrozen("in_transaction")).isFalse();
    }

    private boolean allFrozen(String table)
            throws SQLException
    {
        String name = "'" + table.replace("'", "''") + "'";
        return query("freeze_test", "SELECT all_frozen > 0 AND all_frozen = pg_relation_size(" + name + ") / 8192 FROM pg_visibility_map_summary(" + name + ")")
                .getFirst().equals("t");
    }

    @Test
    void failedFrozenCopyLeavesTheTableEmpty()
            throws Exception
    {
        RecordingConnectionFactory connections = new RecordingConnectionFactory();
        assertThatThrownBy(() -> new PlainSqlLoader(connections).execute("""
                CREATE DATABASE broken_freeze;
                \\c broken_freeze
                CREATE TABLE numbers (id int);
                COPY numbers (id) FROM stdin;
                1
                not a number
                \\.
                """, "broken.sql", "postgres", message -> {}))
                .isInstanceOf(DollyException.class)
                .hasMessageContaining("broken.sql line 4 (data line 6)")
                .hasMessageContaining("invalid input syntax for type integer");
        assertThat(connections.allClosed()).isTrue();
        assertThat(count("broken_freeze", "numbers")).isZero();
    }

    @Test
    void executesTextWithQuestionMarksAndEscapeStrings()
            throws Exception
    {
        RecordingConnectionFactory connections = new RecordingConnectionFactory();
        String database = new PlainSqlLoader(connections).execute("""
                CREATE DATABASE text_test;
                \\c text_test
                CREATE TABLE t (value text);
                INSERT INTO t SELECT 'question?' WHERE '{"a": 1}'::jsonb ? 'a';
                INSERT INTO t VALUES (E'it\\'s; escaped'), ('{"json": "{fn x}"}');
                SET standard_conforming_strings = off;
                INSERT INTO t VALUES ('back\\'slash; quoted');
                SET standard_conforming_strings = on;
                INSERT INTO t VALUES ('plain\\')
                """, "setup.sql", "postgres", message -> {});

        assertThat(database).isEqualTo("text_test");
        assertThat(connections.allClosed()).isTrue();
        assertThat(query("text_test", "SELECT value FROM t ORDER BY value"))
                .containsExactlyInAnyOrder("question?", "it's; escaped", "{\"json\": \"{fn x}\"}", "back'slash; quoted", "plain\\");
    }

    @Test
    void connectsWithPgDumpConnectionStrings()
            throws Exception
    {
        RecordingConnectionFactory connections = new RecordingConnectionFactory();
        String database = new PlainSqlLoader(connections).execute("""
                CREATE DATABASE "we'ird db";
                \\connect -reuse-previous=on "dbname='we\\'ird db'"
                CREATE TABLE marker (id int);
                """, "connect.sql", "postgres", message -> {});

        assertThat(database).isEqualTo("we'ird db");
        assertThat(connections.databases()).containsExactly("postgres", "we'ird db");
        assertThat(connections.allClosed()).isTrue();
    }

    @Test
    void failureReportsSourceLineStatementAndServerMessage()
            throws Exception
    {
        RecordingConnectionFactory connections = new RecordingConnectionFactory();
        PlainSqlLoader loader = new PlainSqlLoader(connections);
        String script = """
                CREATE DATABASE failing;
                \\connect failing
                CREATE TABLE applied (id int);

                -- the next statement fails
                INSERT INTO missing
                    VALUES (1), (2), (3), (4), (5), (6), (7), (8), (9), (10), (11), (12), (13), (14), (15), (16);
                CREATE TABLE never (id int);
                """;

        assertThatThrownBy(() -> loader.execute(script, "broken.sql", "postgres", message -> {}))
                .isInstanceOfSatisfying(DollyException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.LOAD_FAILED))
                .hasMessageStartingWith("broken.sql line 6: INSERT INTO missing VALUES (1), (2), (3), (4), (5), (6), (7), (8), (9), (10), (1 ...: ")
                .hasMessageContaining("ERROR: relation \"missing\" does not exist");
        assertThat(connections.opened()).hasSize(2);
        assertThat(connections.allClosed()).isTrue();
        assertThat(query("failing", "SELECT count(*) FROM pg_class WHERE relname IN ('applied', 'never')")).containsExactly("1");
    }

    @Test
    void copyDataFailureReportsTheDataLine()
            throws Exception
    {
        RecordingConnectionFactory connections = new RecordingConnectionFactory();
        String script = """
                CREATE TABLE copy_target (id int, name text);
                COPY copy_target (id, name) FROM stdin;
                1\tone
                two\ttwo
                \\.
                """;

        assertThatThrownBy(() -> new PlainSqlLoader(connections).execute(script, "copy.sql", "postgres", message -> {}))
                .isInstanceOf(DollyException.class)
                .hasMessageStartingWith("copy.sql line 2 (data line 4): COPY copy_target (id, name) FROM stdin: ERROR: invalid input syntax for type integer: \"two\"");
        assertThat(connections.allClosed()).isTrue();
    }

    @Test
    void unsupportedMetaCommandFailsClearly()
            throws Exception
    {
        RecordingConnectionFactory connections = new RecordingConnectionFactory();
        String script = """
                \\set ON_ERROR_STOP on
                \\echo creating
                CREATE TABLE before_gset (id int);
                SELECT 1 AS one
                \\gset
                """;
        List<String> progress = new ArrayList<>();

        assertThatThrownBy(() -> new PlainSqlLoader(connections).execute(script, "meta.sql", "postgres", progress::add))
                .isInstanceOf(DollyException.class)
                .hasMessage("meta.sql: psql meta-command \\gset on line 5 is not supported; remove it or run the script with psql");
        assertThat(progress).contains("creating");
        assertThat(connections.allClosed()).isTrue();
        assertThat(query("postgres", "SELECT count(*) FROM pg_class WHERE relname = 'before_gset'")).containsExactly("1");
    }

    @Test
    void connectingToMissingDatabaseFails()
            throws Exception
    {
        RecordingConnectionFactory connections = new RecordingConnectionFactory();

        assertThatThrownBy(() -> new PlainSqlLoader(connections).execute("SELECT 1;\n\\c nowhere\nSELECT 2;", "connect.sql", "postgres", message -> {}))
                .isInstanceOf(DollyException.class)
                .hasMessageStartingWith("connect.sql line 2: cannot connect to database \"nowhere\": FATAL: database \"nowhere\" does not exist");
        assertThat(connections.allClosed()).isTrue();
    }

    @Test
    void otherClientEncodingsAreRefused()
            throws Exception
    {
        RecordingConnectionFactory connections = new RecordingConnectionFactory();

        assertThatThrownBy(() -> new PlainSqlLoader(connections).execute("SET client_encoding = 'LATIN1';", "latin.sql", "postgres", message -> {}))
                .isInstanceOf(DollyException.class)
                .hasMessageStartingWith("latin.sql line 1: the script sets client_encoding to LATIN1, but Dolly reads scripts as UTF-8 only");
        assertThat(connections.allClosed()).isTrue();
    }

    private long count(String database, String table)
            throws SQLException
    {
        return Long.parseLong(query(database, "SELECT count(*) FROM " + table).getFirst());
    }

    private List<String> query(String database, String sql)
            throws SQLException
    {
        try (Connection connection = server.connect(database);
                Statement statement = connection.createStatement();
                ResultSet resultSet = statement.executeQuery(sql)) {
            List<String> rows = new ArrayList<>();
            while (resultSet.next()) {
                rows.add(resultSet.getString(1));
            }
            return rows;
        }
    }

    /** The Chinook sample that ships with the project's examples. */
    private static final Path CHINOOK = Path.of("").toAbsolutePath().getParent().resolve("examples/chinook/Chinook_PostgreSql.sql");

    private static Path resource(String name)
            throws URISyntaxException
    {
        return Path.of(TestPlainSqlLoader.class.getClassLoader().getResource(name).toURI());
    }

    /** Opens real connections to the test server, remembering them to check that the loader closes them. */
    private final class RecordingConnectionFactory
            implements PlainSqlLoader.ConnectionFactory
    {
        private final List<Connection> opened = new ArrayList<>();
        private final List<String> databases = new ArrayList<>();

        @Override
        public Connection open(String database)
                throws SQLException
        {
            databases.add(database);
            Connection connection = server.connect(database);
            opened.add(connection);
            return connection;
        }

        List<Connection> opened()
        {
            return opened;
        }

        List<String> databases()
        {
            return databases;
        }

        boolean allClosed()
                throws SQLException
        {
            for (Connection connection : opened) {
                if (!connection.isClosed()) {
                    return false;
                }
            }
            return true;
        }
    }
}
