package dev.dolly.core.image;

import dev.dolly.api.DollyException;
import dev.dolly.api.ErrorCode;
import dev.dolly.core.engine.EngineContext;
import dev.dolly.core.engine.EngineProviders;
import dev.dolly.core.engine.EngineUser;
import dev.dolly.core.engine.LoadPlan.BackupFormat;
import dev.dolly.core.image.ImageDefinition.SourceType;
import dev.dolly.core.image.ImageDefinitionParser.FileLocation;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageDefinitionParserTest
{
    @TempDir
    Path directory;

    private ImageDefinitionParser parser;

    @BeforeEach
    void createFiles()
            throws IOException
    {
        // the engines of the class path's providers, as the daemon has them
        parser = new ImageDefinitionParser(EngineProviders.load(Map.of()).createEngines(new EngineContext(directory.resolve("engines"), directory.resolve("cache"),
                URI.create("http://127.0.0.1:9/maven2"), directory.resolve("m2"), EngineUser.resolve("dolly"))));
        Files.createDirectories(directory.resolve("backups"));
        Files.writeString(directory.resolve("backups/production-masked-latest.sql"), "select 1;");
        Files.createDirectories(directory.resolve("sql/schema"));
        Files.createDirectories(directory.resolve("sql/testdata"));
        Files.writeString(directory.resolve("sql/schema/002-b.sql"), "select 2;");
        Files.writeString(directory.resolve("sql/schema/001-a.sql"), "select 1;");
        Files.writeString(directory.resolve("sql/schema/notes.txt"), "not a script");
    }

    @Test
    void readsTheFullSpawnFormat()
            throws IOException
    {
        ImageDefinition definition = parse("""
                name: widgetstore
                sourceType: backup
                engine: postgresql
                version: 16
                initialDatabaseName: widgets
                backup:
                  folder: ./backups/
                  file: production-masked-latest.sql
                  format: plain
                tags: [latest-production]
                teams: [myorg:developers]
                lifetime: 10h30m
                preScript: |
                  create extension if not exists pgcrypto;
                postScript: |
                  analyze;
                """);
        assertThat(definition.name()).isEqualTo("widgetstore");
        assertThat(definition.sourceType()).isEqualTo(SourceType.BACKUP);
        assertThat(definition.engine()).isEqualTo("postgresql");
        assertThat(definition.version()).contains("16");
        assertThat(definition.initialDatabaseName()).contains("widgets");
        assertThat(definition.backups()).singleElement().satisfies(backup -> {
            assertThat(backup.path()).isEqualTo(directory.toRealPath().resolve("backups/production-masked-latest.sql"));
            assertThat(backup.format()).contains(BackupFormat.PLAIN);
        });
        assertThat(definition.tags()).containsExactly("latest-production");
        assertThat(definition.teams()).containsExactly("myorg:developers");
        assertThat(definition.lifetime().duration()).isEqualTo(Duration.ofMinutes(630));
        assertThat(definition.preScript()).contains("create extension if not exists pgcrypto;\n");
        assertThat(definition.postScript()).contains("analyze;\n");
    }

    @Test
    void keepsTheVersionAsWritten()
    {
        assertThat(parse(empty("version: 14.10")).version()).contains("14.10");
        assertThat(parse(empty("version: '11.0'")).version()).contains("11.0");
        assertThat(parse(empty("")).version()).isEmpty();
    }

    @Test
    void readsBackupListsAndScriptsFolders()
            throws IOException
    {
        ImageDefinition backups = parse("""
                name: two
                sourceType: backup
                engine: postgres
                backups:
                  - folder: backups
                    file: production-masked-latest.sql
                  - path: backups/production-masked-latest.sql
                """);
        assertThat(backups.engine()).isEqualTo("postgresql");
        assertThat(backups.backups()).hasSize(2);

        ImageDefinition scripts = parse("""
                name: scripted
                sourceType: scripts
                engine: postgresql
                scriptsFolders: [./sql/schema, ./sql/testdata]
                """);
        assertThat(scripts.scriptsFolders()).containsExactly(directory.toRealPath().resolve("sql/schema"), directory.toRealPath().resolve("sql/testdata"));
        assertThat(ImageDefinitionParser.scriptsOf(scripts.scriptsFolders().getFirst()))
                .extracting(path -> path.getFileName().toString())
                .containsExactly("001-a.sql", "002-b.sql");
    }

    @Test
    void nameOnTheCommandLineWins()
    {
        ImageDefinition definition = parser.parse("sourceType: empty\nengine: postgresql\n", directory, FileLocation.ON_THIS_MACHINE, Optional.of("given"));
        assertThat(definition.name()).isEqualTo("given");
    }

    @Test
    void refusesMisspelledKeysWithASuggestion()
    {
        assertBadInput(empty("initialDatabseName: widgets"), "Unknown key 'initialDatabseName'", "did you mean 'initialDatabaseName'");
        assertBadInput("""
                name: x
                sourceType: backup
                engine: postgresql
                backup:
                  folder: backups
                  fiel: production-masked-latest.sql
                """, "Unknown key 'backup.fiel'", "did you mean 'backup.file'");
    }

    @Test
    void refusesMissingKeysAndUnknownValues()
    {
        assertBadInput("name: x\nengine: postgresql\n", "no 'sourceType'");
        assertBadInput("name: x\nsourceType: empty\n", "no 'engine'");
        assertBadInput("sourceType: empty\nengine: postgresql\n", "no 'name'");
        assertBadInput("name: x\nsourceType: empty\nengine: oracle\n", "Unknown engine 'oracle'", "postgresql");
        assertBadInput("name: x\nsourceType: dump\nengine: postgresql\n", "sourceType 'dump' is unknown");
        assertBadInput("name: x\nsourceType: backup\nengine: postgresql\n", "needs a 'backup'");
        assertBadInput("name: x\nsourceType: scripts\nengine: postgresql\n", "needs 'scriptsFolders'");
        assertBadInput(empty("lifetime: forever"), "lifetime 'forever' is not a duration");
        assertBadInput(empty("tags: [Latest]"), "Tag 'Latest' is not valid");
        assertBadInput(empty("teams: [developers]"), "Team 'developers' is not valid");
        assertBadInput("name: 'no spaces please'\nsourceType: empty\nengine: postgresql\n", "Name 'no spaces please' is not valid");
        assertBadInput("name: [x\n", "not valid YAML");
        assertBadInput("", "empty");
    }

    @Test
    void tagsAreDockerLike()
    {
        for (String tag : List.of("latest-production", "v1.2", "run_42", "_private", "0", "a".repeat(128))) {
            ImageDefinitionParser.checkTag(tag);
        }
        for (String tag : List.of("Latest", ".hidden", "-dash", "", "a".repeat(129), "with space", "colon:tag", "slash/tag", "é")) {
            assertThatThrownBy(() -> ImageDefinitionParser.checkTag(tag))
                    .isInstanceOfSatisfying(DollyException.class, exception -> {
                        assertThat(exception.errorCode()).isEqualTo(ErrorCode.BAD_INPUT);
                        assertThat(exception.getMessage()).isEqualTo("Tag '" + tag
                                + "' is not valid: use up to 128 lower-case letters, digits, '.', '_' or '-', not starting with '.' or '-'.");
                    });
        }
    }

    @Test
    void refusesMissingFilesNamingThem()
    {
        assertBadInput("""
                name: x
                sourceType: backup
                engine: postgresql
                backup:
                  folder: backups
                  file: missing.sql
                """, "Backup file 'backups/missing.sql'", "not found");
        assertBadInput("""
                name: x
                sourceType: scripts
                engine: postgresql
                scriptsFolders: [./sql/nothing]
                """, "'./sql/nothing' is not a directory");
    }

    @Test
    void refusesEmptyBackupFilesNamingThem()
            throws IOException
    {
        // what a failed pg_dump leaves: pg_dump > backups/failed.sql
        Files.writeString(directory.resolve("backups/failed.sql"), "");
        String message = "Backup file 'backups/failed.sql' (%s) is empty (0 bytes): a failed pg_dump or mysqldump leaves such a file. Make the backup again.";
        assertThatThrownBy(() -> parse("""
                name: x
                sourceType: backup
                engine: postgresql
                backup:
                  folder: backups
                  file: failed.sql
                """))
                .isInstanceOfSatisfying(DollyException.class, exception -> assertThat(exception.errorCode()).isEqualTo(ErrorCode.BAD_INPUT))
                .hasMessage(message.formatted("backup"));
        assertThatThrownBy(() -> parse("""
                name: x
                sourceType: backup
                engine: postgresql
                backups:
                  - path: backups/production-masked-latest.sql
                  - path: backups/failed.sql
                """))
                .isInstanceOfSatisfying(DollyException.class, exception -> assertThat(exception.errorCode()).isEqualTo(ErrorCode.BAD_INPUT))
                .hasMessage(message.formatted("backups[1]"));
    }

    @Test
    void readsPathsOutsideTheDefinitionsDirectoryOnThisMachine()
            throws IOException
    {
        // Spawn's CI pipeline reads its backup from an absolute folder of the agent
        Path backups = Files.createTempDirectory("backups");
        Path outside = Files.writeString(backups.resolve("production-masked-latest.bak"), "select 1;");
        try {
            ImageDefinition absolute = parse("""
                    name: x
                    sourceType: backup
                    engine: postgresql
                    backup:
                      folder: %s/
                      file: production-masked-latest.bak
                    """.formatted(backups));
            assertThat(absolute.backups()).singleElement().satisfies(backup -> assertThat(backup.path()).isEqualTo(outside.toRealPath()));

            Path nested = Files.createDirectories(directory.resolve("nested"));
            Files.writeString(directory.resolve("up.sql"), "select 1;");
            ImageDefinition climbing = parser.parse("name: x\nsourceType: backup\nengine: postgresql\nbackup:\n  path: ../up.sql\n",
                    nested, FileLocation.ON_THIS_MACHINE, Optional.empty());
            assertThat(climbing.backups()).singleElement().satisfies(backup -> assertThat(backup.path()).isEqualTo(directory.toRealPath().resolve("up.sql")));

            Files.createSymbolicLink(directory.resolve("backups/link.sql"), outside);
            assertThat(parse("name: x\nsourceType: backup\nengine: postgresql\nbackup:\n  path: backups/link.sql\n").backups())
                    .singleElement().satisfies(backup -> assertThat(backup.path()).isEqualTo(outside.toRealPath()));
        }
        finally {
            Files.deleteIfExists(directory.resolve("backups/link.sql"));
            Files.deleteIfExists(outside);
            Files.deleteIfExists(backups);
        }
    }

    @Test
    void findsTheFilesOfAnUploadUnderTheirUploadNamesAndNothingOutsideIt()
            throws IOException
    {
        Path upload = Files.createDirectories(directory.resolve("upload"));
        Files.createDirectories(upload.resolve(".outside/root/backups"));
        Files.writeString(upload.resolve(".outside/root/backups/production-masked-latest.bak"), "select 1;");
        Files.createDirectories(upload.resolve(".outside/up/sql"));
        Files.writeString(upload.resolve(".outside/up/sql/001.sql"), "select 1;");
        ImageDefinition definition = parser.parse("""
                name: x
                sourceType: backup
                engine: postgresql
                backup:
                  folder: /backups/
                  file: production-masked-latest.bak
                """, upload, FileLocation.UPLOADED, Optional.empty());
        assertThat(definition.backups()).singleElement()
                .satisfies(backup -> assertThat(backup.path()).isEqualTo(upload.toRealPath().resolve(".outside/root/backups/production-masked-latest.bak")));
        ImageDefinition scripts = parser.parse("name: x\nsourceType: scripts\nengine: postgresql\nscriptsFolders: [../sql]\n", upload,
                FileLocation.UPLOADED, Optional.empty());
        assertThat(scripts.scriptsFolders()).containsExactly(upload.toRealPath().resolve(".outside/up/sql"));

        // a file of this machine that was not uploaded is not read, wherever it is
        Files.writeString(directory.resolve("secret.sql"), "select 1;");
        assertThatThrownBy(() -> parser.parse("name: x\nsourceType: backup\nengine: postgresql\nbackup:\n  path: " + directory.resolve("secret.sql") + "\n",
                upload, FileLocation.UPLOADED, Optional.empty()))
                .isInstanceOfSatisfying(DollyException.class, exception -> {
                    assertThat(exception.errorCode()).isEqualTo(ErrorCode.BAD_INPUT);
                    assertThat(exception.getMessage()).contains("is not among the uploaded files");
                });
        assertThatThrownBy(() -> parser.parse("name: x\nsourceType: backup\nengine: postgresql\nbackup:\n  path: ../secret.sql\n",
                upload, FileLocation.UPLOADED, Optional.empty()))
                .isInstanceOf(DollyException.class)
                .hasMessageContaining("is not among the uploaded files (as '.outside/up/secret.sql')");
    }

    private ImageDefinition parse(String yaml)
    {
        return parser.parse(yaml, directory, FileLocation.ON_THIS_MACHINE, Optional.empty());
    }

    private static String empty(String extra)
    {
        return "name: x\nsourceType: empty\nengine: postgresql\n" + extra + "\n";
    }

    private void assertBadInput(String yaml, String... fragments)
    {
        assertThatThrownBy(() -> parse(yaml))
                .isInstanceOfSatisfying(DollyException.class, exception -> {
                    assertThat(exception.errorCode()).isEqualTo(ErrorCode.BAD_INPUT);
                    for (String fragment : fragments) {
                        assertThat(exception.getMessage()).contains(fragment);
                    }
                });
    }
}
