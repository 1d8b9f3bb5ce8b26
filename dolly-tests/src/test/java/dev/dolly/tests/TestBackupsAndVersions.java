package dev.dolly.tests;

import dev.dolly.api.DataContainer;
import dev.dolly.api.DataImage;
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
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Another PostgreSQL major fetched on demand, and a {@code pg_dump -Fc} backup restored with pg_restore. Debian's
 * client tools are version 15: they dump the PostgreSQL 14 container and restore into the default major.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestBackupsAndVersions
{
    private DaemonProcess daemon;
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
        // "14" resolves to the newest checked build of 14: the newest builds of majors 14 to 18 published on Maven Central
        // on 2 December 2026 (14.25.0, …) give every column a storage option "pg_attver", which pg_dump writes into dumps
        // and any other PostgreSQL refuses to restore; the restore into 17 below fails on such a dump
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
        try (Connection connection = connect(container); Statement statement = connection.createStatement();
                ResultSet version = statement.executeQuery("select version()")) {
            version.next();
            assertThat(version.getString(1)).startsWith("PostgreSQL 14.");
        }

        Path pgDump = Path.of("/usr/bin/pg_dump");
        assertThat(pgDump).as("pg_dump from the postgresql-client package").isExecutable();
        Path dump = work.resolve("chinook.dump");
        ProcessBuilder builder = new ProcessBuilder(List.of(pgDump.toString(), "-Fc", "-f", dump.toString(), "-h", container.host(),
                "-p", String.valueOf(container.port()), "-U", container.user(), container.database()))
                .redirectErrorStream(true);
        builder.environment().put("PGPASSWORD", container.password());
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        dolly.succeed("delete", "data-container", container.name());

        Files.writeString(work.resolve("custom.yaml"), """
                name: chinook-custom
                sourceType: backup
                engine: postgresql
                initialDatabaseName: chinook
                backup:
                  path: chinook.dump
                """);
        dolly.succeed("create", "data-image", "-f", work.resolve("custom.yaml").toString());
        DataContainer restored = dolly.json(DataContainer.class, "create", "data-container", "-i", "chinook-custom");
        try (Connection connection = connect(restored); Statement statement = connection.createStatement()) {
            assertThat(count(statement, "select count(*) from track")).isEqualTo(3503);
            assertThat(count(statement, "select count(*) from invoice_line")).isEqualTo(2240);
            assertThat(count(statement, "select current_setting('server_version_num')::int / 10000")).isEqualTo(17);
        }
        dolly.succeed("delete", "data-container", restored.name());
    }
}
