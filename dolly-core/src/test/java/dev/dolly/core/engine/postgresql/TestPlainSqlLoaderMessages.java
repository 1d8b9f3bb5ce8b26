package dev.dolly.core.engine.postgresql;

import dev.dolly.api.DollyException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestPlainSqlLoaderMessages
{
    @Test
    void excerpts()
    {
        assertThat(PlainSqlLoader.excerpt("  SELECT\n\t1  ")).isEqualTo("SELECT 1");
        String longStatement = "INSERT INTO t VALUES " + "(1), ".repeat(40);
        assertThat(PlainSqlLoader.excerpt(longStatement))
                .hasSize(84)
                .startsWith("INSERT INTO t VALUES (1), (1),")
                .endsWith(" ...");
    }

    @Test
    void databaseOfConnectionStrings()
    {
        assertThat(PlainSqlLoader.connectionStringDatabase("dbname=shop")).isEqualTo("shop");
        assertThat(PlainSqlLoader.connectionStringDatabase("host=x dbname = 'my db' user=postgres")).isEqualTo("my db");
        assertThat(PlainSqlLoader.connectionStringDatabase("dbname='we\\'ird\\\\'")).isEqualTo("we'ird\\");
        assertThat(PlainSqlLoader.connectionStringDatabase("user=postgres")).isNull();
    }

    @Test
    void connectionFailureBeforeTheFirstStatement()
    {
        PlainSqlLoader loader = new PlainSqlLoader(database -> {
            throw new SQLException("Connection refused");
        });

        assertThatThrownBy(() -> loader.execute("SELECT 1;", "pre.sql", "postgres", message -> {}))
                .isInstanceOf(DollyException.class)
                .hasMessage("pre.sql: cannot connect to database \"postgres\": Connection refused");
    }

    @Test
    void missingScript()
    {
        PlainSqlLoader loader = new PlainSqlLoader(database -> {
            throw new SQLException("not expected");
        });

        assertThatThrownBy(() -> loader.load(Path.of("does-not-exist.sql"), "postgres", message -> {}))
                .isInstanceOf(DollyException.class)
                .hasMessage("The script does-not-exist.sql does not exist");
    }
}
