package dev.dolly.core.engine.postgresql;

import dev.dolly.core.engine.postgresql.SqlScriptReader.Command;
import dev.dolly.core.engine.postgresql.SqlScriptReader.CopyData;
import dev.dolly.core.engine.postgresql.SqlScriptReader.MetaCommand;
import dev.dolly.core.engine.postgresql.SqlScriptReader.SqlStatement;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TestSqlScriptReader
{
    @Test
    void splitsOnSemicolons()
    {
        assertThat(read("SELECT 1; SELECT 2;\nSELECT 3;\n"))
                .containsExactly(sql("SELECT 1", 1), sql("SELECT 2", 1), sql("SELECT 3", 2));
    }

    @Test
    void lastStatementWithoutSemicolon()
    {
        assertThat(read("SELECT 1;\nSELECT 2\n\n")).containsExactly(sql("SELECT 1", 1), sql("SELECT 2", 2));
        assertThat(read("SELECT 1")).containsExactly(sql("SELECT 1", 1));
    }

    @Test
    void emptyScripts()
    {
        assertThat(read("")).isEmpty();
        assertThat(read("\n\n  \n")).isEmpty();
        assertThat(read("-- only a comment\n/* and\n another */\n")).isEmpty();
        assertThat(read(";;\n;")).isEmpty();
    }

    @Test
    void lineCommentsBeforeStatementsAreDropped()
    {
        assertThat(read("-- a comment; with a semicolon\n\n-- another\nSELECT 1; -- trailing; comment\nSELECT 2;"))
                .containsExactly(sql("SELECT 1", 4), sql("SELECT 2", 5));
    }

    @Test
    void commentsInsideStatementsAreKept()
    {
        assertThat(read("SELECT 1 -- one; not the end\n + 2;"))
                .containsExactly(sql("SELECT 1 -- one; not the end\n + 2", 1));
        assertThat(read("SELECT /* a; b */ 1;")).containsExactly(sql("SELECT /* a; b */ 1", 1));
    }

    @Test
    void nestedBlockComments()
    {
        assertThat(read("/* outer /* inner; */ still comment; */ SELECT 1;\nSELECT /* x /* y */ ; */ 2;"))
                .containsExactly(sql("SELECT 1", 1), sql("SELECT /* x /* y */ ; */ 2", 2));
        assertThat(read("/*****\n * banner; text\n *****/\nDROP DATABASE x;"))
                .containsExactly(sql("DROP DATABASE x", 4));
    }

    @Test
    void singleQuotedStrings()
    {
        assertThat(read("INSERT INTO t VALUES ('a;b', 'it''s; fine', '--not a comment', '/* nor */');SELECT 2;"))
                .containsExactly(
                        sql("INSERT INTO t VALUES ('a;b', 'it''s; fine', '--not a comment', '/* nor */')", 1),
                        sql("SELECT 2", 1));
        assertThat(read("SELECT 'multi\nline; string';\nSELECT 3;"))
                .containsExactly(sql("SELECT 'multi\nline; string'", 1), sql("SELECT 3", 3));
    }

    @Test
    void backslashesInStandardStrings()
    {
        // with standard_conforming_strings on (the default), a backslash is an ordinary character
        assertThat(read("SELECT 'C:\\dir\\';SELECT 2;"))
                .containsExactly(sql("SELECT 'C:\\dir\\'", 1), sql("SELECT 2", 1));
    }

    @Test
    void backslashesWhenStandardConformingStringsIsOff()
    {
        SqlScriptReader reader = new SqlScriptReader(new StringReader("SELECT 'it\\'s; ok';\nSELECT 2;"));
        reader.standardConformingStrings(false);
        assertThat(readAll(reader)).containsExactly(sql("SELECT 'it\\'s; ok'", 1), sql("SELECT 2", 2));
    }

    @Test
    void escapeStrings()
    {
        assertThat(read("SELECT E'it\\'s; \\\\', e'a\\nb;';SELECT 2;"))
                .containsExactly(sql("SELECT E'it\\'s; \\\\', e'a\\nb;'", 1), sql("SELECT 2", 1));
        // a word ending in E followed by a quote is a typed literal, not an escape string
        assertThat(read("SELECT DATE'2020-01-01', TYPE'\\';SELECT 2;"))
                .containsExactly(sql("SELECT DATE'2020-01-01', TYPE'\\'", 1), sql("SELECT 2", 1));
    }

    @Test
    void doubleQuotedIdentifiers()
    {
        assertThat(read("CREATE TABLE \"semi;colon\" (\"it's\" int, \"say \"\"hi\"\";\" text);\nSELECT 1;"))
                .containsExactly(sql("CREATE TABLE \"semi;colon\" (\"it's\" int, \"say \"\"hi\"\";\" text)", 1), sql("SELECT 1", 2));
    }

    @Test
    void dollarQuoting()
    {
        String function = """
                CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE NOTICE 'one; two';
                    RETURN 1;
                END;
                $$;""";
        assertThat(read(function + "\nSELECT 2;"))
                .containsExactly(sql(function.substring(0, function.length() - 1), 1), sql("SELECT 2", 7));
    }

    @Test
    void taggedDollarQuotes()
    {
        String function = "CREATE FUNCTION g() RETURNS text AS $body$ SELECT $$inner; quote$$ || $x$; $$ $x$ $body$ LANGUAGE sql";
        assertThat(read(function + ";SELECT 2;")).containsExactly(sql(function, 1), sql("SELECT 2", 1));
        assertThat(read("SELECT $_tag1$;$$;$_tag1$;SELECT 2;")).containsExactly(sql("SELECT $_tag1$;$$;$_tag1$", 1), sql("SELECT 2", 1));
    }

    @Test
    void parametersAreNotDollarQuotes()
    {
        assertThat(read("PREPARE p(int, int) AS SELECT $1 + $2;\nSELECT '$$';\nSELECT 3;"))
                .containsExactly(sql("PREPARE p(int, int) AS SELECT $1 + $2", 1), sql("SELECT '$$'", 2), sql("SELECT 3", 3));
        // a dollar sign inside an identifier does not start a quote either
        assertThat(read("SELECT a$$b FROM t;SELECT 2;")).containsExactly(sql("SELECT a$$b FROM t", 1), sql("SELECT 2", 1));
    }

    @Test
    void crlfLineEndings()
    {
        assertThat(read("-- comment\r\nSELECT 1;\r\nSELECT\r\n 2;\r\n\\c other\r\nSELECT 3;\r\n"))
                .containsExactly(sql("SELECT 1", 2), sql("SELECT\r\n 2", 3), meta("c", "other", 5), sql("SELECT 3", 6));
    }

    @Test
    void byteOrderMarkIsSkipped()
    {
        assertThat(read("\uFEFFSELECT 1;")).containsExactly(sql("SELECT 1", 1));
    }

    @Test
    void metaCommands()
    {
        assertThat(read("""
                \\restrict abc123
                SET client_encoding = 'UTF8';
                  \\connect chinook
                \\c "My Db";
                \\set ON_ERROR_STOP on
                SELECT 1;
                \\unrestrict abc123
                """))
                .containsExactly(
                        meta("restrict", "abc123", 1),
                        sql("SET client_encoding = 'UTF8'", 2),
                        meta("connect", "chinook", 3),
                        meta("c", "\"My Db\";", 4),
                        meta("set", "ON_ERROR_STOP on", 5),
                        sql("SELECT 1", 6),
                        meta("unrestrict", "abc123", 7));
    }

    @Test
    void backslashesInsideQuotesAreNotMetaCommands()
    {
        assertThat(read("SELECT '\n\\c nope\n';\nSELECT $$\n\\gset\n$$;\n/*\n\\q\n*/"))
                .containsExactly(sql("SELECT '\n\\c nope\n'", 1), sql("SELECT $$\n\\gset\n$$", 4));
    }

    @Test
    void metaCommandInsideStatement()
    {
        assertThat(read("SELECT 1\n\\gset\n;")).containsExactly(meta("gset", "", 2), sql("SELECT 1", 1));
    }

    @Test
    void escapedSemicolon()
    {
        assertThat(read("SELECT 1\\; SELECT 2;")).containsExactly(sql("SELECT 1; SELECT 2", 1));
    }

    @Test
    void copyFromStdin()
            throws IOException
    {
        String script = """
                SET x = 1;
                COPY public.t (a, b) FROM stdin;
                1\tsemi;colon
                2\tback\\\\slash \\N
                3\t-- not a comment; 'nor a quote
                \\.
                SELECT 'after';
                """;
        try (SqlScriptReader reader = new SqlScriptReader(new StringReader(script))) {
            assertThat(reader.next()).isEqualTo(sql("SET x = 1", 1));
            assertThat(reader.next()).isEqualTo(new SqlStatement("COPY public.t (a, b) FROM stdin", 2, CopyData.FROM_STDIN));
            assertThat(reader.copyDataLine()).isEqualTo(3);
            assertThat(drain(reader.copyData())).isEqualTo("1\tsemi;colon\n2\tback\\\\slash \\N\n3\t-- not a comment; 'nor a quote\n");
            assertThat(reader.next()).isEqualTo(sql("SELECT 'after'", 7));
            assertThat(reader.next()).isNull();
        }
    }

    @Test
    void copyDataIsSkippedWhenNotRead()
    {
        String script = "COPY t FROM STDIN WITH (FORMAT csv);\n\"a;\",\"\\c x\"\n\\.\nSELECT 2;";
        assertThat(read(script)).containsExactly(new SqlStatement("COPY t FROM STDIN WITH (FORMAT csv)", 1, CopyData.FROM_STDIN), sql("SELECT 2", 4));
    }

    @Test
    void copyDataKeepsCrlfAndEndsAtEndOfScript()
            throws IOException
    {
        try (SqlScriptReader reader = new SqlScriptReader(new StringReader("copy t from stdin;\r\na\r\nb\r\n\\.\r\nselect 1;\r\nCOPY u FROM stdin;\nlast"))) {
            assertThat(reader.next()).isEqualTo(new SqlStatement("copy t from stdin", 1, CopyData.FROM_STDIN));
            assertThat(drain(reader.copyData())).isEqualTo("a\r\nb\r\n");
            assertThat(reader.next()).isEqualTo(sql("select 1", 5));
            assertThat(reader.next()).isEqualTo(new SqlStatement("COPY u FROM stdin", 6, CopyData.FROM_STDIN));
            assertThat(drain(reader.copyData())).isEqualTo("last");
            assertThat(reader.next()).isNull();
        }
    }

    @Test
    void copyKinds()
    {
        assertThat(read("COPY t TO STDOUT;COPY t FROM '/tmp/file';COPY (SELECT 1) TO stdout WITH csv;COPY \"stdin\" FROM '/x';"))
                .extracting(command -> ((SqlStatement) command).copy())
                .containsExactly(CopyData.TO_STDOUT, CopyData.NONE, CopyData.TO_STDOUT, CopyData.NONE);
        assertThat(read("SELECT 'COPY t FROM stdin';")).containsExactly(sql("SELECT 'COPY t FROM stdin'", 1));
    }

    @Test
    void longLinesAcrossBuffers()
            throws IOException
    {
        String value = "x".repeat(200_000);
        String script = "INSERT INTO t VALUES ('" + value + ";');\nCOPY t FROM stdin;\n" + value + "\n\\.\nSELECT 1;";
        try (SqlScriptReader reader = new SqlScriptReader(new StringReader(script))) {
            assertThat(reader.next()).isEqualTo(sql("INSERT INTO t VALUES ('" + value + ";')", 1));
            assertThat(reader.next()).isEqualTo(new SqlStatement("COPY t FROM stdin", 2, CopyData.FROM_STDIN));
            assertThat(drain(reader.copyData())).isEqualTo(value + "\n");
            assertThat(reader.next()).isEqualTo(sql("SELECT 1", 5));
        }
    }

    @Test
    void readsIncrementally()
            throws IOException
    {
        // a script far larger than what the reader may hold, produced on the fly
        long statements = 200_000;
        Reader endless = new Reader()
        {
            private final String statement = "INSERT INTO t VALUES (1, 'some text; more text');\n";
            private long remaining = statements * statement.length();
            private long offset;

            @Override
            public int read(char[] buffer, int bufferOffset, int length)
            {
                if (remaining == 0) {
                    return -1;
                }
                int count = (int) Math.min(length, remaining);
                for (int index = 0; index < count; index++) {
                    buffer[bufferOffset + index] = statement.charAt((int) (offset++ % statement.length()));
                }
                remaining -= count;
                return count;
            }

            @Override
            public void close() {}
        };
        try (SqlScriptReader reader = new SqlScriptReader(endless)) {
            long count = 0;
            Command command;
            while ((command = reader.next()) != null) {
                count++;
                assertThat(command.line()).isEqualTo(count);
            }
            assertThat(count).isEqualTo(statements);
        }
    }

    @Test
    void unterminatedStringIsSentAsIs()
    {
        assertThat(read("SELECT 1;\nSELECT 'oops;\n")).containsExactly(sql("SELECT 1", 1), sql("SELECT 'oops;", 2));
    }

    @Test
    void splitsArguments()
    {
        assertThat(SqlScriptReader.splitArguments("chinook")).containsExactly("chinook");
        assertThat(SqlScriptReader.splitArguments("chinook;")).containsExactly("chinook");
        assertThat(SqlScriptReader.splitArguments("chinook postgres")).containsExactly("chinook", "postgres");
        assertThat(SqlScriptReader.splitArguments("\"My \"\"Db\"\";\";")).containsExactly("My \"Db\";");
        assertThat(SqlScriptReader.splitArguments("'it''s' 'a\\tb'")).containsExactly("it's", "a\tb");
        assertThat(SqlScriptReader.splitArguments("-reuse-previous=on \"dbname='we\\'ird'\""))
                .containsExactly("-reuse-previous=on", "dbname='we\\'ird'");
        assertThat(SqlScriptReader.splitArguments("  ")).isEmpty();
    }

    private static SqlStatement sql(String sql, int line)
    {
        return new SqlStatement(sql, line, CopyData.NONE);
    }

    private static MetaCommand meta(String name, String arguments, int line)
    {
        return new MetaCommand(name, arguments, line);
    }

    private static List<Command> read(String script)
    {
        return readAll(new SqlScriptReader(new StringReader(script)));
    }

    private static List<Command> readAll(SqlScriptReader reader)
    {
        try (reader) {
            List<Command> commands = new ArrayList<>();
            Command command;
            while ((command = reader.next()) != null) {
                commands.add(command);
            }
            return commands;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String drain(Reader reader)
            throws IOException
    {
        StringBuilder text = new StringBuilder();
        char[] buffer = new char[7];
        int count;
        while ((count = reader.read(buffer, 0, buffer.length)) >= 0) {
            text.append(buffer, 0, count);
        }
        return text.toString();
    }
}
