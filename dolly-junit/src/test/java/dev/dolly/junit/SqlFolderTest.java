package dev.dolly.junit;

import dev.dolly.api.DollyException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqlFolderTest
{
    @TempDir
    Path directory;

    @Test
    void digestChangesWithAFileAndNotOtherwise()
            throws IOException
    {
        Files.writeString(directory.resolve("V1__schema.sql"), "CREATE TABLE a (id int);");
        Files.writeString(directory.resolve("notes.txt"), "not SQL");
        String first = SqlFolder.of(directory.toString(), getClass().getClassLoader()).digest("flyway", "postgresql");
        assertThat(SqlFolder.of(directory.toString(), getClass().getClassLoader()).digest("flyway", "postgresql")).isEqualTo(first);
        assertThat(SqlFolder.of(directory.toString(), getClass().getClassLoader()).digest("scripts", "postgresql")).isNotEqualTo(first);
        assertThat(SqlFolder.of(directory.toString(), getClass().getClassLoader()).digest("flyway", "mariadb")).isNotEqualTo(first);

        Files.writeString(directory.resolve("notes.txt"), "changed, and still not SQL");
        assertThat(SqlFolder.of(directory.toString(), getClass().getClassLoader()).digest("flyway", "postgresql")).isEqualTo(first);

        Files.writeString(directory.resolve("V1__schema.sql"), "CREATE TABLE a (id bigint);");
        assertThat(SqlFolder.of(directory.toString(), getClass().getClassLoader()).digest("flyway", "postgresql")).isNotEqualTo(first);
    }

    @Test
    void renamingAFileChangesTheDigest()
            throws IOException
    {
        Files.writeString(directory.resolve("V1__schema.sql"), "CREATE TABLE a (id int);");
        String before = SqlFolder.of(directory.toString(), getClass().getClassLoader()).digest("flyway", "postgresql");
        Files.move(directory.resolve("V1__schema.sql"), directory.resolve("V2__schema.sql"));
        assertThat(SqlFolder.of(directory.toString(), getClass().getClassLoader()).digest("flyway", "postgresql")).isNotEqualTo(before);
    }

    @Test
    void classPathFolder()
    {
        SqlFolder folder = SqlFolder.of("classpath:sql-folder-test", getClass().getClassLoader());
        assertThat(folder.files()).extracting(Path::toString).containsExactly("01_schema.sql", "nested/02_rows.sql");
    }

    @Test
    void badLocationsSayWhatToDo()
            throws IOException
    {
        assertThatThrownBy(() -> SqlFolder.of("classpath:db/nothing-here", getClass().getClassLoader()))
                .isInstanceOf(DollyException.class)
                .hasMessageContaining("is not on the test class path")
                .hasMessageContaining("src/test/resources/db/nothing-here");
        assertThatThrownBy(() -> SqlFolder.of(directory.resolve("missing").toString(), getClass().getClassLoader()))
                .hasMessageContaining("is not a folder");
        Files.writeString(directory.resolve("readme.md"), "no SQL here");
        assertThatThrownBy(() -> SqlFolder.of(directory.toString(), getClass().getClassLoader()))
                .hasMessageContaining("holds no .sql file");
    }
}
