package dev.dolly.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dolly.api.CreateImageRequest;
import dev.dolly.api.DataImage;
import dev.dolly.api.ErrorCode;
import dev.dolly.api.ImageBuildStep;
import dev.dolly.api.TransformReport;
import dev.dolly.api.Json;
import dev.dolly.api.Upload;
import dev.dolly.cli.CliRunner.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static dev.dolly.api.ResourceStatus.FAILED;
import static dev.dolly.api.ResourceStatus.PENDING;
import static dev.dolly.api.ResourceStatus.READY;
import static dev.dolly.cli.Resources.image;
import static org.assertj.core.api.Assertions.assertThat;

class TestImageCommands
{
    private static final String TOKEN = "token-1";

    @TempDir
    Path directory;

    private FakeDaemon daemon;
    private CliRunner dolly;

    @BeforeEach
    void setUp()
    {
        daemon = FakeDaemon.start(TOKEN);
        daemon.answer("POST", "/api/v1/uploads", new Upload("upload-1", 1, 12));
        dolly = new CliRunner(directory.resolve("home"))
                .withVariable("DOLLY_SERVER", daemon.url().toString())
                .withVariable("DOLLY_ACCESS_TOKEN", TOKEN);
    }

    @AfterEach
    void tearDown()
    {
        daemon.close();
    }

    @Test
    void listsImagesAsTable()
    {
        daemon.answerList("GET", "/api/v1/images", List.of(image(1, "chinook", READY), image(12, "widgetstore-big", PENDING)));

        Result result = dolly.run("get", "data-images");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stderr()).isEmpty();
        assertThat(result.stdout()).isEqualTo("""
                ID  NAME             TAGS       ENGINE         STATUS   CREATED       TEAMS  EXPIRES
                1   chinook          v1,latest  postgresql 17  Ready    18 hours ago  dba    in 4 days
                12  widgetstore-big  v1,latest  postgresql 17  Pending  18 hours ago  dba    in 4 days
                """);
    }

    @Test
    void showsWarmPoolsAndSetsTheirSize()
            throws Exception
    {
        DataImage pooled = withPool(image(1, "chinook", READY), new DataImage.Pool(3, 2));
        daemon.answerList("GET", "/api/v1/images", List.of(pooled, image(12, "widgetstore-big", READY)));

        Result list = dolly.run("get", "data-images");

        assertThat(list.exitCode()).isZero();
        assertThat(list.stdout()).isEqualTo("""
                ID  NAME             TAGS       ENGINE         STATUS  CREATED       TEAMS  EXPIRES    POOL
                1   chinook          v1,latest  postgresql 17  Ready   18 hours ago  dba    in 4 days  2/3 ready
                12  widgetstore-big  v1,latest  postgresql 17  Ready   18 hours ago  dba    in 4 days
                """);
        // JSON carries the pool as an object
        assertThat(Json.json().readTree(dolly.run("get", "data-images", "-o", "json").stdout()).get(0).get("pool").toString())
                .isEqualTo("{\"size\":3,\"ready\":2}");

        daemon.answer("PATCH", "/api/v1/images/chinook", pooled);
        assertThat(dolly.run("update", "data-image", "chinook", "--pool", "3").exitCode()).isZero();
        assertThat(Json.json().readValue(daemon.requests("PATCH", "/api/v1/images/chinook").getFirst().body(), dev.dolly.api.UpdateImageRequest.class).pool())
                .isEqualTo(3);
    }

    private static DataImage withPool(DataImage image, DataImage.Pool pool)
    {
        return new DataImage(image.id(), image.name(), image.tags(), image.teams(), image.engine(), image.engineVersion(), image.status(), image.statusMessage(),
                image.progress(), image.sourceType(), image.databaseName(), image.owner(), image.createdAt(), image.readyAt(), image.expiresAt(),
                image.sizeBytes(), image.containers(), image.origin(), image.pendingTags(), image.requestedVersion(), image.buildSteps(), pool, null);
    }

    @Test
    void listsImagesAsJsonArray()
            throws Exception
    {
        List<DataImage> images = List.of(image(1, "chinook", READY), image(2, "widgets", READY));
        daemon.answerList("GET", "/api/v1/images", images);

        Result result = dolly.run("get", "di", "-o", "json");

        assertThat(result.exitCode()).isZero();
        assertThat(List.of(Json.json().readValue(result.stdout(), DataImage[].class))).isEqualTo(images);
        assertThat(result.stdout()).startsWith("[");
    }

    @Test
    void listsImagesAsYaml()
            throws Exception
    {
        List<DataImage> images = List.of(image(1, "chinook", READY));
        daemon.answerList("GET", "/api/v1/images", images);

        Result result = dolly.run("get", "dataimages", "--output=yaml");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).startsWith("- id: 1\n  name: chinook\n");
        assertThat(List.of(Json.yaml().readValue(result.stdout(), DataImage[].class))).isEqualTo(images);
    }

    @Test
    void listsOnlyNamesWhenQuiet()
    {
        daemon.answerList("GET", "/api/v1/images", List.of(image(1, "chinook", READY), image(2, "widgets", READY)));

        Result result = dolly.run("get", "data-image", "-q");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo("chinook\nwidgets\n");
    }

    @Test
    void saysWhenThereAreNoImages()
    {
        daemon.answerList("GET", "/api/v1/images", List.of());

        assertThat(dolly.run("get", "data-images")).isEqualTo(new Result(0, "No resources found.\n", ""));
        assertThat(dolly.run("get", "data-images", "-q")).isEqualTo(new Result(0, "", ""));
        assertThat(dolly.run("get", "data-images", "-o", "json").stdout()).isEqualTo("[ ]\n");
    }

    @Test
    void showsOneImageByNameAndTag()
            throws Exception
    {
        DataImage image = image(1, "chinook", READY);
        daemon.answer("GET", "/api/v1/images/chinook:v1", image);

        Result table = dolly.run("get", "data-image", "chinook:v1");
        assertThat(table.exitCode()).isZero();
        assertThat(table.stdout().lines()).hasSize(2);
        assertThat(table.stdout().lines().skip(1).findFirst().orElseThrow()).startsWith("1   chinook  v1,latest  postgresql 17  Ready");

        Result json = dolly.run("get", "data-image", "chinook:v1", "-o", "json");
        assertThat(json.exitCode()).isZero();
        JsonNode node = Json.json().readTree(json.stdout());
        assertThat(node.isObject()).isTrue();
        assertThat(Json.json().treeToValue(node, DataImage.class)).isEqualTo(image);
    }

    @Test
    void missingImageExitsWithTwo()
    {
        daemon.fail("GET", "/api/v1/images/nope", ErrorCode.NOT_FOUND, "No data image 'nope'. List them with 'dolly get data-images'.");

        Result result = dolly.run("get", "data-image", "nope");

        assertThat(result).isEqualTo(new Result(2, "", "Error: No data image 'nope'. List them with 'dolly get data-images'.\n"));
    }

    @Test
    void createsImageAndWaitsUntilReady()
            throws Exception
    {
        Path definition = writeDefinition();
        daemon.answer("POST", "/api/v1/images", image(7, "chinook", PENDING, null, null));
        daemon.answerInTurn("GET", "/api/v1/images/7",
                image(7, "chinook", PENDING, "Restoring chinook.dump", null),
                image(7, "chinook", PENDING, "Restoring chinook.dump", null),
                image(7, "chinook", PENDING, "Sealing", null),
                image(7, "chinook", READY, null, null, List.of(new ImageBuildStep("install", 12), new ImageBuildStep("load", 11_204),
                        new ImageBuildStep("post-script", 950), new ImageBuildStep("mark-ready", 3))));

        Result result = dolly.run("create", "data-image", "-f", definition.toString(), "-n", "chinook", "--tag", "v1", "--tag", "v2",
                "--team", "dba", "--lifetime", "7d");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo("Data image 'chinook' created!\n-> ID 7, postgresql 17, tags v1,latest\n");
        assertThat(result.stderr()).isEqualTo("Uploading 1 file (12 B) to " + daemon.url() + "...\n" + """
                Creating data image 'chinook' (7)...
                  Restoring chinook.dump
                  Sealing
                Build steps:
                  install         0.01 s
                  load           11.20 s
                  post-script     0.95 s
                  mark-ready      0.00 s
                  total          12.17 s
                """);
        CreateImageRequest request = Json.json().readValue(daemon.requests("POST", "/api/v1/images").getFirst().body(), CreateImageRequest.class);
        // a server is remote: the files go up, and the request names the upload instead of a directory
        assertThat(request).isEqualTo(new CreateImageRequest(Files.readString(definition), null, "chinook",
                List.of("v1", "v2"), List.of("dba"), "7d", "upload-1"));
        assertThat(daemon.requests("POST", "/api/v1/uploads").getFirst().query()).isEqualTo("size=12");
        assertThat(zipEntries(daemon.requests("POST", "/api/v1/uploads").getFirst().bytes())).isEqualTo(Map.of("chinook.dump", "-- a dump --"));
        assertThat(daemon.requests("GET", "/api/v1/images/7")).hasSize(4);
    }

    @Test
    void dryRunWaitsAndPrintsTheTransformReport()
            throws Exception
    {
        Path definition = writeDefinition();
        daemon.answer("POST", "/api/v1/images", image(7, "chinook", PENDING, "Queued (dry run)", null));
        DataImage pending = image(7, "chinook", PENDING, "transform: Masking customer", null);
        DataImage over = image(7, "chinook", READY, null, "Dry run: no image was kept.");
        TransformReport report = new TransformReport("0123456789abcdef0123", List.of(new TransformReport.TableRows("customer", 59, 13),
                new TransformReport.TableRows("track", 3503, 3503)), List.of(new TransformReport.MaskedColumn("customer.email", "internet.emailAddress", 13)),
                List.of("customer.city"), "passed", 840);
        daemon.answerInTurn("GET", "/api/v1/images/7", pending, new DataImage(over.id(), over.name(), over.tags(), over.teams(), over.engine(), over.engineVersion(),
                over.status(), over.statusMessage(), null, over.sourceType(), over.databaseName(), over.owner(), over.createdAt(), null, null, null, List.of(), null,
                List.of(), over.requestedVersion(), List.of(), null, report));

        Result result = dolly.run("create", "data-image", "-f", definition.toString(), "--dry-run");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).isEqualTo("""
                Dry run of data image 'chinook' (7) is over: nothing was kept.
                -> Transform (rules 0123456789ab, 840 ms):
                   customer: kept 13 of 59 rows
                   masked: customer.email
                   warning: these columns look personal and are left as they are: customer.city
                   leak check: passed (no original value left in the masked columns, nor an original email address, phone or card number, or street address in any text column)
                """);
        CreateImageRequest request = Json.json().readValue(daemon.requests("POST", "/api/v1/images").getFirst().body(), CreateImageRequest.class);
        assertThat(request.asksForDryRun()).isTrue();
        assertThat(request.pool()).isNull();

        Result noWait = dolly.run("create", "data-image", "-f", definition.toString(), "--dry-run", "--no-wait");
        assertThat(noWait.exitCode()).isNotZero();
        assertThat(noWait.stderr()).contains("--dry-run waits for the transform's report: it makes no sense with --no-wait.");
        Result pool = dolly.run("create", "data-image", "-f", definition.toString(), "--dry-run", "--pool", "2");
        assertThat(pool.exitCode()).isNotZero();
        assertThat(pool.stderr()).contains("--dry-run keeps no image, so it has no pool: leave out --pool.");
        assertThat(daemon.requests("POST", "/api/v1/images")).hasSize(1);
    }

    @Test
    void failedBuildExitsWithOneAndTheReason()
            throws Exception
    {
        Path definition = writeDefinition();
        daemon.answer("POST", "/api/v1/images", image(7, "chinook", PENDING));
        daemon.answerInTurn("GET", "/api/v1/images/7",
                image(7, "chinook", PENDING, "Restoring chinook.dump", null),
                image(7, "chinook", FAILED, null, "pg_restore: error: could not read input file"));

        Result result = dolly.run("create", "data-image", "-f", definition.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stdout()).isEmpty();
        assertThat(result.stderr()).endsWith("Error: Data image 'chinook' failed: pg_restore: error: could not read input file\n");
    }

    @Test
    void quietCreatePrintsOnlyTheName()
            throws Exception
    {
        Path definition = writeDefinition();
        daemon.answer("POST", "/api/v1/images", image(7, "chinook", PENDING));
        daemon.answerInTurn("GET", "/api/v1/images/7", image(7, "chinook", PENDING, "Sealing", null), image(7, "chinook", READY));

        assertThat(dolly.run("create", "data-image", "-f", definition.toString(), "-q")).isEqualTo(new Result(0, "chinook\n", ""));
    }

    @Test
    void createWithoutWaiting()
            throws Exception
    {
        Path definition = writeDefinition();
        daemon.answer("POST", "/api/v1/images", image(7, "chinook", PENDING));

        Result result = dolly.run("create", "data-image", "-f", definition.toString(), "--no-wait");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo("Data image 'chinook' (7) is being created. Follow it with 'dolly get data-image chinook'.\n");
        assertThat(result.stderr()).doesNotContain("Creating");
        assertThat(daemon.requests("GET", "/api/v1/images/7")).isEmpty();
    }

    @Test
    void missingDefinitionFileExitsWithThree()
    {
        Result result = dolly.run("create", "data-image", "-f", "no-such-image.yaml");

        assertThat(result).isEqualTo(new Result(3, "", "Error: Image definition file not found: no-such-image.yaml\n"));
        assertThat(daemon.requests()).isEmpty();
    }

    @Test
    void badDefinitionExitsWithThree()
            throws Exception
    {
        Path definition = writeDefinition();
        daemon.fail("POST", "/api/v1/images", ErrorCode.BAD_INPUT, "Unknown key 'sourceTyp' in image.yaml, line 1. Did you mean 'sourceType'?");

        Result result = dolly.run("create", "data-image", "-f", definition.toString(), "-q");

        assertThat(result).isEqualTo(new Result(3, "", "Error: Unknown key 'sourceTyp' in image.yaml, line 1. Did you mean 'sourceType'?\n"));
    }

    @Test
    void anEmptyBackupFileIsRefusedBeforeAnythingIsSent()
            throws Exception
    {
        Path definition = directory.resolve("image.yaml");
        Files.writeString(definition, """
                name: widgets
                sourceType: backup
                engine: postgresql
                backup:
                  folder: ./backups/
                  file: failed.sql
                """);
        Files.createDirectories(directory.resolve("backups"));
        // what 'pg_dump widgets > backups/failed.sql' leaves when pg_dump fails
        Files.writeString(directory.resolve("backups/failed.sql"), "");

        Result result = dolly.run("create", "data-image", "-f", definition.toString());

        assertThat(result).isEqualTo(new Result(3, "", "Error: Backup file './backups/failed.sql' (backup) is empty (0 bytes): "
                + "a failed pg_dump or mysqldump leaves such a file. Make the backup again.\n"));
        assertThat(daemon.requests()).isEmpty();
    }

    @Test
    void deletesEachImageAndReportsFailures()
    {
        daemon.answer("DELETE", "/api/v1/images/chinook", image(1, "chinook", READY));
        daemon.fail("DELETE", "/api/v1/images/widgets", ErrorCode.IN_USE,
                "Data image 'widgets' is used by the data containers widgets-k3vq9x. Delete them first.");
        daemon.answer("DELETE", "/api/v1/images/3", image(3, "orders", READY));

        Result result = dolly.run("delete", "data-image", "chinook", "widgets", "3");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stdout()).isEqualTo("Data image 'chinook' deleted.\nData image 'orders' deleted.\n");
        assertThat(result.stderr()).isEqualTo("Error: Data image 'widgets' is used by the data containers widgets-k3vq9x. Delete them first.\n");

        assertThat(dolly.run("delete", "di", "chinook", "-q")).isEqualTo(new Result(0, "chinook\n", ""));
    }

    @Test
    void uploadsOnlyTheFilesTheDefinitionNames()
            throws Exception
    {
        Path definition = directory.resolve("image.yaml");
        Files.writeString(definition, """
                sourceType: scripts
                name: widgets
                engine: postgresql
                scriptsFolders: [./sql/schema, sql/data/]
                """);
        Files.createDirectories(directory.resolve("sql/schema/nested"));
        Files.createDirectories(directory.resolve("sql/data"));
        Files.writeString(directory.resolve("sql/schema/1.sql"), "create table t (id int);");
        Files.writeString(directory.resolve("sql/schema/nested/2.sql"), "select 2;");
        Files.writeString(directory.resolve("sql/data/3.sql"), "insert into t values (3);");
        Files.writeString(directory.resolve("secrets.txt"), "not for the server");
        daemon.answer("POST", "/api/v1/images", image(7, "widgets", PENDING));

        assertThat(dolly.run("create", "data-image", "-f", definition.toString(), "--no-wait", "-q").exitCode()).isZero();

        assertThat(zipEntries(daemon.requests("POST", "/api/v1/uploads").getFirst().bytes())).isEqualTo(Map.of(
                "sql/schema/1.sql", "create table t (id int);",
                "sql/schema/nested/2.sql", "select 2;",
                "sql/data/3.sql", "insert into t values (3);"));
    }

    @Test
    void uploadsCompressedDumpsWithoutCompressingThemAgain()
            throws Exception
    {
        byte[] dump = new byte[300_000];
        new java.util.Random(42).nextBytes(dump);
        Files.write(directory.resolve("widgets.dump"), dump);
        Path definition = directory.resolve("image.yaml");
        Files.writeString(definition, "sourceType: backup\nname: widgets\nengine: postgresql\nbackup:\n  file: widgets.dump\n");
        daemon.answer("POST", "/api/v1/images", image(7, "widgets", PENDING));

        assertThat(dolly.run("create", "data-image", "-f", definition.toString(), "--no-wait", "-q").exitCode()).isZero();

        byte[] upload = daemon.requests("POST", "/api/v1/uploads").getFirst().bytes();
        // stored as it is: a few bytes of framing more than the file, not a futile attempt at deflating it
        assertThat(upload.length).isBetween(dump.length, dump.length + 1000);
        try (ZipInputStream input = new ZipInputStream(new ByteArrayInputStream(upload))) {
            assertThat(input.getNextEntry().getName()).isEqualTo("widgets.dump");
            assertThat(input.readAllBytes()).isEqualTo(dump);
        }
    }

    @Test
    void uploadsFilesOutsideTheDefinitionsDirectoryUnderTheirUploadNames()
            throws Exception
    {
        // the user can read these files, so the CLI sends them: Spawn's pipeline names an absolute backup folder
        Path inner = Files.createDirectories(directory.resolve("definition"));
        Path backups = Files.createDirectories(directory.resolve("backups"));
        Files.writeString(backups.resolve("production-masked-latest.bak"), "-- masked --");
        Files.writeString(directory.resolve("outside.sql"), "select 1;");
        Files.createSymbolicLink(inner.resolve("link.sql"), directory.resolve("outside.sql"));
        Path definition = inner.resolve("image.yaml");
        Files.writeString(definition, """
                sourceType: backup
                name: widgets
                engine: postgresql
                backups:
                  - folder: %s/
                    file: production-masked-latest.bak
                  - path: ../outside.sql
                  - file: link.sql
                """.formatted(backups));
        daemon.answer("POST", "/api/v1/images", image(7, "widgets", PENDING));

        assertThat(dolly.run("create", "data-image", "-f", definition.toString(), "--no-wait", "-q").exitCode()).isZero();

        assertThat(zipEntries(daemon.requests("POST", "/api/v1/uploads").getFirst().bytes())).isEqualTo(Map.of(
                ".outside/root" + backups + "/production-masked-latest.bak", "-- masked --",
                ".outside/up/outside.sql", "select 1;",
                "link.sql", "select 1;"));
        // the definition goes as it is: the daemon finds each file under the same name
        assertThat(daemon.requests("POST", "/api/v1/images").getFirst().body()).contains("folder: " + backups + "/");
    }

    private static Map<String, String> zipEntries(byte[] zip)
            throws Exception
    {
        Map<String, String> entries = new HashMap<>();
        try (ZipInputStream input = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry entry;
            while ((entry = input.getNextEntry()) != null) {
                entries.put(entry.getName(), new String(input.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return entries;
    }

    @Test
    void showsTheProgressOfABigUploadEveryTenth()
            throws Exception
    {
        Path definition = writeDefinition();
        // 40 MiB: above the size from which an upload shows its progress
        byte[] line = "INSERT INTO track VALUES (1, 'For Those About To Rock (We Salute You)', 343719);\n".getBytes(StandardCharsets.UTF_8);
        try (var output = new java.io.BufferedOutputStream(Files.newOutputStream(directory.resolve("chinook.dump")))) {
            for (long written = 0; written < 40L * 1024 * 1024; written += line.length) {
                output.write(line);
            }
        }
        daemon.answer("POST", "/api/v1/images", image(7, "chinook", READY));

        Result result = dolly.run("create", "data-image", "-f", definition.toString(), "--no-wait");

        assertThat(result.exitCode()).isZero();
        List<String> progress = result.stderr().lines().filter(text -> text.contains(" sent (")).toList();
        assertThat(progress).hasSize(10);
        assertThat(progress.getFirst()).matches("  \\d+\\.\\d MiB of 40\\.0 MiB sent \\(10%\\)");
        assertThat(progress.getLast()).isEqualTo("  40.0 MiB of 40.0 MiB sent (100%)");
    }

    private Path writeDefinition()
            throws Exception
    {
        Files.writeString(directory.resolve("chinook.dump"), "-- a dump --");
        Path definition = directory.resolve("image.yaml");
        Files.writeString(definition, """
                sourceType: backup
                name: chinook
                engine: postgresql
                version: 17
                backups:
                  - file: chinook.dump
                """);
        return definition;
    }
}
