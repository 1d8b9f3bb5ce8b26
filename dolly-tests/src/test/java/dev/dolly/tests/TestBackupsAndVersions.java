package dev.dolly.tests;

import dev.dolly.api.DataContainer;
import dev.dolly.api.DataImage;
import dev.dolly.api.ResourceStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.dolly.tests.TestImagesAndContainers.connect;
import static dev.dolly.tests.TestImagesAndContainers.count;
import static dev.dolly.tests.TransformChecks.column;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Another PostgreSQL major fetched on demand, and a {@code pg_dump -Fc} backup restored with pg_restore. Debian's
 * client tools are version 15: they dump the PostgreSQL 14 container and restore into the default major.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestBackupsAndVersions
{
    private static final String KEYS = "select conrelid::regclass::text || ' ' || contype::text || ' ' || pg_get_constraintdef(oid) from pg_constraint"
            + " where connamespace = 'public'::regnamespace order by 1";
    private static final String INDEXES = "select indexrelid::regclass::text from pg_index where indrelid::regclass::text not like 'pg\\_%' order by 1";

    private DaemonProcess daemon;
    /** The constraints and indexes of the database the dump was made of. */
    private List<String> sourceKeys;
    private List<String> sourceIndexes;
    private Cli dolly;
    private Path work;

    @BeforeAll
    void startDaemon()
            throws Exception
    {
        daemon = DaemonProcess.withNewHome(Map.of()).start();
        dolly = new Cli(daemon.environment());
        work = Files.createTempDirectory(daemon.home().getParent(), "work");
        Files.copy(DaemonProcess.PROJECT_ROOT.resolve("examples/chinook/Chinook_PostgreSql.sql"), work.resolve("chinook.sql"));
    }

    @AfterAll
    void stopDaemon()
            throws Exception
    {
        if (daemon != null) {
            daemon.close();
        }
    }

    @Test
    void fetchesAnotherMajorAndRestoresCustomFormatDumps()
            throws Exception
    {
        Path dump = customFormatDumpOfPostgres14();

        Files.writeString(work.resolve("custom.yaml"), """
                name: chinook-custom
                sourceType: backup
                engine: postgresql
                initialDatabaseName: chinook
                backup:
                  path: %s
                """.formatted(dump.getFileName()));
        dolly.succeed("create", "data-image", "-f", work.resolve("custom.yaml").toString());
        DataContainer restored = dolly.json(DataContainer.class, "create", "data-container", "-i", "chinook-custom");
        try (Connection connection = connect(restored); Statement statement = connection.createStatement()) {
            assertThat(count(statement, "select count(*) from track")).isEqualTo(3503);
            assertThat(count(statement, "select count(*) from invoice_line")).isEqualTo(2240);
            assertThat(count(statement, "select current_setting('server_version_num')::int / 10000")).isEqualTo(17);
        }
        dolly.succeed("delete", "data-container", restored.name());
    }

    /**
     * A transform on a custom-format dump runs before the dump's indexes and constraints are restored, and reads the
     * foreign keys from a database of the schema alone: the same rows are kept as from the plain SQL text, the image
     * has every index and constraint of the dump, and no schema database is left in it.
     */
    @Test
    void transformsACustomFormatDumpBeforeItsIndexes()
            throws Exception
    {
        Path dump = customFormatDumpOfPostgres14();
        String transform = """
                transform:
                  salt: env:DOLLY_MASK_SALT
                  keep:
                    customer: "support_rep_id = 3"
                  empty: [playlist_track]
                  mask:
                    customer:
                      email: internet.emailAddress
                      phone: phone.phoneNumber
                  pii: off
                """;
        Files.writeString(work.resolve("custom-transformed.yaml"), """
                name: chinook-custom-transformed
                sourceType: backup
                engine: postgresql
                initialDatabaseName: chinook
                backup:
                  path: %s
                """.formatted(dump.getFileName()) + transform);
        // the positive control: the same transform on the plain SQL text, restored whole before it
        Files.writeString(work.resolve("plain-transformed.yaml"), """
                name: chinook-plain-transformed
                sourceType: backup
                engine: postgresql
                backup:
                  path: chinook.sql
                """ + transform);
        Cli withSalt = dolly.with(Map.of("DOLLY_MASK_SALT", "a-salt-for-the-custom-format-test"));
        withSalt.succeed("create", "data-image", "-f", work.resolve("custom-transformed.yaml").toString(), "-q");
        withSalt.succeed("create", "data-image", "-f", work.resolve("plain-transformed.yaml").toString(), "-q");

        DataImage custom = dolly.json(DataImage.class, "get", "data-image", "chinook-custom-transformed");
        DataImage plain = dolly.json(DataImage.class, "get", "data-image", "chinook-plain-transformed");
        assertThat(custom.buildSteps()).extracting(step -> step.step()).containsSubsequence("load", "transform", "indexes", "seal");
        assertThat(plain.buildSteps()).extracting(step -> step.step()).containsSubsequence("load", "transform", "seal").doesNotContain("indexes");
        assertThat(custom.transform().tables()).extracting(table -> table.table() + " " + table.rowsBefore() + " → " + table.rowsAfter())
                .containsExactlyInAnyOrderElementsOf(plain.transform().tables().stream().map(table -> table.table() + " " + table.rowsBefore() + " → " + table.rowsAfter()).toList());
        assertThat(custom.transform().leakCheck()).isEqualTo("passed");

        DataContainer customContainer = dolly.json(DataContainer.class, "create", "data-container", "-i", "chinook-custom-transformed");
        DataContainer plainContainer = dolly.json(DataContainer.class, "create", "data-container", "-i", "chinook-plain-transformed");
        try (Connection customConnection = connect(customContainer); Statement after = customConnection.createStatement();
                Connection plainConnection = connect(plainContainer); Statement control = plainConnection.createStatement()) {
            assertThat(count(after, "select count(*) from customer")).isEqualTo(count(control, "select count(*) from customer")).isPositive();
            assertThat(count(after, "select count(*) from invoice_line")).isEqualTo(count(control, "select count(*) from invoice_line")).isPositive();
            assertThat(count(after, "select count(*) from playlist_track")).isZero();
            assertThat(column(after, "select distinct support_rep_id::text from customer")).containsExactly("3");
            // the same salt, the same fakes, whichever way the rows came in
            String emails = "select customer_id || ' ' || email from customer order by customer_id";
            assertThat(column(after, emails)).isEqualTo(column(control, emails));
            // every constraint and index of the dump is in place, and holds
            assertThat(column(after, KEYS)).isEqualTo(sourceKeys).anyMatch(key -> key.contains(" f FOREIGN KEY")).contains("employee u UNIQUE (first_name, last_name)");
            assertThat(column(after, INDEXES)).isEqualTo(sourceIndexes).contains("employee_name_unique");
            assertThat(column(after, "select conname::text from pg_constraint where contype = 'f' and not convalidated")).containsExactly("invoice_customer_unchecked");
            assertThat(count(after, "select count(*) from invoice i where not exists (select 1 from customer c where c.customer_id = i.customer_id)")).isZero();
            // the schema database the transform read the keys from is gone
            assertThat(column(after, "select datname from pg_database where not datistemplate order by 1")).containsExactlyInAnyOrder("chinook", "postgres");
        }
        dolly.succeed("delete", "data-container", customContainer.name());
        dolly.succeed("delete", "data-container", plainContainer.name());

        // masks that give every employee the same name break the constraint on two columns: its index, built after the
        // transform, refuses the rows, and the build fails saying so
        Files.writeString(work.resolve("same-names.yaml"), """
                name: chinook-same-names
                sourceType: backup
                engine: postgresql
                initialDatabaseName: chinook
                backup:
                  path: %s
                transform:
                  salt: env:DOLLY_MASK_SALT
                  mask:
                    employee:
                      first_name: "constant('Pat')"
                      last_name: "constant('Doe')"
                  pii: off
                """.formatted(dump.getFileName()));
        Cli.Result refused = withSalt.run("create", "data-image", "-f", work.resolve("same-names.yaml").toString());
        assertThat(refused.exitCode()).as(refused.stdout()).isNotZero();
        assertThat(refused.stderr()).contains("does not fit the indexes and constraints of chinook.dump").contains("employee_name_unique");
        assertThat(dolly.json(DataImage.class, "get", "data-image", "chinook-same-names").status()).isEqualTo(ResourceStatus.FAILED);
        dolly.succeed("delete", "data-image", "chinook-same-names");
    }

    /** Chinook on PostgreSQL 14, fetched on demand, dumped by Debian's pg_dump 15 in its custom format; made once. */
    private Path customFormatDumpOfPostgres14()
            throws Exception
    {
        Path dump = work.resolve("chinook.dump");
        if (Files.exists(dump)) {
            return dump;
        }
        // "14" resolves to the newest checked build of 14: the newest builds of majors 14 to 18 published on Maven Central
        // on 2 December 2026 (14.25.0, …) give every column a storage option "pg_attver", which pg_dump writes into dumps
        // and any other PostgreSQL refuses to restore; the restore into 17 fails on such a dump
        Files.writeString(work.resolve("fourteen.yaml"), """
                name: chinook14
                sourceType: backup
                engine: postgresql
                version: 14
                backup:
                  path: chinook.sql
                """);
        Cli.Result built = dolly.succeed("create", "data-image", "-f", work.resolve("fourteen.yaml").toString());
        assertThat(built.stderr()).contains("PostgreSQL 14.");
        DataImage fourteen = dolly.json(DataImage.class, "get", "data-image", "chinook14");
        assertThat(fourteen.engineVersion()).startsWith("14.");

        DataContainer container = dolly.json(DataContainer.class, "create", "data-container", "-i", "chinook14");
        try (Connection connection = connect(container); Statement statement = connection.createStatement()) {
            try (ResultSet version = statement.executeQuery("select version()")) {
                version.next();
                assertThat(version.getString(1)).startsWith("PostgreSQL 14.");
            }
            // a constraint on two columns, which a transform's masks can break without knowing (it keeps single unique columns unique)
            statement.execute("alter table employee add constraint employee_name_unique unique (first_name, last_name)");
            // a foreign key dumped NOT VALID, which pg_restore adds without checking the rows: the transform counts its orphans itself
            statement.execute("alter table invoice add constraint invoice_customer_unchecked foreign key (customer_id) references customer not valid");
            sourceKeys = column(statement, KEYS);
            sourceIndexes = column(statement, INDEXES);
        }

        Path pgDump = Path.of("/usr/bin/pg_dump");
        assertThat(pgDump).as("pg_dump from the postgresql-client package").isExecutable();
        Path written = work.resolve("chinook.dump.partial");
        ProcessBuilder builder = new ProcessBuilder(List.of(pgDump.toString(), "-Fc", "-f", written.toString(), "-h", container.host(),
                "-p", String.valueOf(container.port()), "-U", container.user(), container.database()))
                .redirectErrorStream(true);
        builder.environment().put("PGPASSWORD", container.password());
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        dolly.succeed("delete", "data-container", container.name());
        Files.move(written, dump);
        return dump;
    }
}
