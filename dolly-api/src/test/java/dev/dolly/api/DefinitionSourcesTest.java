package dev.dolly.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DefinitionSourcesTest
{
    @TempDir
    Path directory;

    @Test
    void namesEachPathInsideTheUploadByItsWrittenForm()
    {
        assertThat(DefinitionSources.uploadName("production-masked-latest.sql")).isEqualTo("production-masked-latest.sql");
        assertThat(DefinitionSources.uploadName("./backups/./a.sql")).isEqualTo("backups/a.sql");
        assertThat(DefinitionSources.uploadName("sql/schema/")).isEqualTo("sql/schema");
        assertThat(DefinitionSources.uploadName("sql/../data/b.sql")).isEqualTo("data/b.sql");
        assertThat(DefinitionSources.uploadName(".")).isEmpty();
        assertThat(DefinitionSources.uploadName("/backups/production-masked-latest.bak")).isEqualTo(".outside/root/backups/production-masked-latest.bak");
        assertThat(DefinitionSources.uploadName("/backups/../etc/x.sql")).isEqualTo(".outside/root/etc/x.sql");
        assertThat(DefinitionSources.uploadName("../x.sql")).isEqualTo(".outside/up/x.sql");
        assertThat(DefinitionSources.uploadName("../../shared/sql")).isEqualTo(".outside/up/up/shared/sql");
        assertThat(DefinitionSources.uploadName("..")).isEqualTo(".outside/up");
    }

    @Test
    void readsTheDefinitionsBackupsAndScriptsFolders()
    {
        assertThat(DefinitionSources.of("""
                backup:
                  folder: /backups/
                  file: production-masked-latest.bak
                scriptsFolders: [sql/schema, ../shared]
                """)).containsExactly(
                new DefinitionSources.Source("backup", "/backups/production-masked-latest.bak"),
                new DefinitionSources.Source("scriptsFolders entry", "sql/schema"),
                new DefinitionSources.Source("scriptsFolders entry", "../shared"));
    }

    @Test
    void confinesPathsToADirectory()
            throws IOException
    {
        Path base = directory.toRealPath().resolve("upload");
        Files.createDirectories(base.resolve("backups"));
        Files.writeString(base.resolve("backups/a.sql"), "select 1;");
        assertThat(DefinitionSources.confined(base, "backups/a.sql", "backup")).isEqualTo(base.resolve("backups/a.sql"));
        assertThatThrownBy(() -> DefinitionSources.confined(base, "../x.sql", "backup"))
                .isInstanceOf(DollyException.class)
                .hasMessageStartingWith("backup '../x.sql' leads outside the directory " + base);
        Files.writeString(directory.resolve("secret.sql"), "select 1;");
        Files.createSymbolicLink(base.resolve("link.sql"), directory.resolve("secret.sql"));
        assertThatThrownBy(() -> DefinitionSources.confined(base, "link.sql", "backup")).hasMessageContaining("leads outside");
    }
}
