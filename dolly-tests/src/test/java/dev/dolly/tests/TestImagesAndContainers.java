package dev.dolly.tests;

import dev.dolly.api.DataContainer;
import dev.dolly.api.DataImage;
import dev.dolly.api.ResourceStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Images and containers end to end: a real daemon process, the real CLI, real PostgreSQL servers, on the file
 * system of one storage driver (one subclass per driver).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TestImagesAndContainers
{
    private static final Path EXAMPLES = DaemonProcess.PROJECT_ROOT.resolve("examples");

    private DaemonProcess daemon;
    private Cli dolly;

    /** The directory the home is made in: on the file system the driver needs. */
    abstract Path homeParent();

    /** The driver the daemon must pick there. */
    abstract String expectedDriver();

    /** Settings that choose the driver, if detection would not. */
    Map<String, String> environment()
    {
        return Map.of();
    }

    @BeforeAll
    void startDaemon()
            throws Exception
    {
        daemon = DaemonProcess.withNewHome(homeParent(), environment()).start();
        dolly = new Cli(daemon.environment());
        assertThat(dolly.json(dev.dolly.api.ServerInfo.class, "info").storageDriver()).isEqualTo(expectedDriver());
        dolly.succeed("create", "data-image", "-f", EXAMPLES.resolve("chinook/image.yaml").toString(), "-q");
    }

    /** A test file system named by an environment variable of .ci/test-filesystems; in CI, a missing one fails the run. */
    static Path testFileSystem(String variable)
    {
        String value = System.getenv(variable);
        if (value == null || value.isBlank()) {
            String message = variable + " is not set: mount the test file systems as root with 'eval \"$(.ci/test-filesystems up)\"' (./run-tests does).";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(message);
            }
            org.junit.jupiter.api.Assumptions.abort(message);
        }
        return Path.of(value);
    }

    @AfterAll
    void stopDaemon()
            throws Exception
    {
        if (daemon != null) {
            // through Dolly, which knows how its driver removes volumes (read-only btrfs snapshots, overlay mounts)
            for (DataContainer container : dolly.json(DataContainer[].class, "get", "data-containers")) {
                dolly.succeed("delete", "data-container", container.name());
            }
            for (DataImage image : dolly.json(DataImage[].class, "get", "data-images")) {
                dolly.succeed("delete", "data-image", String.valueOf(image.id()));
            }
            daemon.close();
        }
    }

    @Test
    void chinookImageGivesIsolatedContainersThatDeleteCleanly()
            throws Exception
    {
        DataImage image = dolly.json(DataImage.class, "get", "data-image", "chinook");
        assertThat(image.status()).isEqualTo(ResourceStatus.READY);
        assertThat(image.databaseName()).isEqualTo("chinook");
        assertThat(image.engineVersion()).startsWith("17.");
        assertThat(image.sizeBytes()).isPositive();

        Cli.Result created = dolly.succeed("create", "data-container", "-i", "chinook", "-n", "first");
        assertThat(created.stdout()).contains("Data container 'first'").contains("created!").contains("postgresql://");
        DataContainer first = dolly.json(DataContainer.class, "get", "data-container", "first");
        String second = dolly.succeed("create", "data-container", "chinook", "-q").stdout().strip();
        assertThat(second).matches("chinook-[a-z0-9]{6}");
        DataContainer other = dolly.json(DataContainer.class, "get", "data-container", second);

        assertThat(first.host()).isEqualTo("127.0.0.1");
        assertThat(first.port()).isNotEqualTo(other.port());
        assertThat(first.password()).hasSizeGreaterThanOrEqualTo(20).isNotEqualTo(other.password());
        assertThat(first.revision()).isEqualTo("rev.0");
        assertThat(first.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + first.port() + "/chinook");

        try (Connection connection = connect(first); Statement statement = connection.createStatement()) {
            assertThat(count(statement, "select count(*) from track")).isEqualTo(3503);
            assertThat(count(statement, "select count(*) from invoice_line")).isEqualTo(2240);
            statement.execute("delete from invoice_line where invoice_id < 100");
            statement.execute("create table scratch (id int)");
            assertThat(count(statement, "select count(*) from invoice_line")).isLessThan(2240);
        }
        try (Connection connection = connect(other); Statement statement = connection.createStatement()) {
            assertThat(count(statement, "select count(*) from invoice_line")).isEqualTo(2240);
            assertThat(count(statement, "select count(*) from information_schema.tables where table_name = 'scratch'")).isZero();
        }

        Path volume = daemon.home().resolve("storage/containers/" + first.id());
        ProcessHandle postmaster = Engines.postmaster(dataDirectory(volume)).orElseThrow();
        if ("root".equals(System.getProperty("user.name"))) {
            // every server process of this home, the postmasters and their workers, runs as the engine user
            assertThat(Engines.postgresProcessesUnder(daemon.home())).hasSizeGreaterThanOrEqualTo(2)
                    .allSatisfy(process -> assertThat(Engines.user(process)).isEqualTo("dolly"));
        }
        dolly.succeed("delete", "data-container", "first");
        assertThat(postmaster.isAlive()).isFalse();
        assertThat(volume).doesNotExist();
        assertThat(portIsFree(first.port())).isTrue();
        assertThat(dolly.run("get", "data-container", "first").exitCode()).isEqualTo(2);

        Cli.Result refused = dolly.run("delete", "data-image", "chinook");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.stderr()).contains(second);
        dolly.succeed("delete", "data-container", second);
    }

    @Test
    void imagesFromScriptsFoldersAndEmptyImages()
            throws Exception
    {
        dolly.succeed("create", "data-image", "-f", EXAMPLES.resolve("scripts/image.yaml").toString(), "-q");
        DataContainer widgets = dolly.json(DataContainer.class, "create", "data-container", "-i", "widgetstore");
        assertThat(widgets.database()).isEqualTo("widgets");
        try (Connection connection = connect(widgets); Statement statement = connection.createStatement()) {
            assertThat(count(statement, "select count(*) from widget")).isEqualTo(3);
            assertThat(count(statement, "select order_total(3) * 100")).isEqualTo(11880);
        }

        Path definition = Files.createTempDirectory(daemon.home().getParent(), "empty").resolve("image.yaml");
        Files.writeString(definition, """
                name: blank
                sourceType: empty
                engine: postgresql
                initialDatabaseName: app
                """);
        dolly.succeed("create", "data-image", "-f", definition.toString());
        DataContainer blank = dolly.json(DataContainer.class, "create", "data-container", "-i", "blank");
        assertThat(blank.database()).isEqualTo("app");
        try (Connection connection = connect(blank); Statement statement = connection.createStatement()) {
            assertThat(count(statement, "select count(*) from information_schema.tables where table_schema = 'public'")).isZero();
            statement.execute("create table note (body text)");
        }
        dolly.succeed("delete", "data-container", widgets.name(), blank.name());
        dolly.succeed("delete", "data-image", "widgetstore", "blank");
        assertThat(dolly.run("get", "data-image", "blank").exitCode()).isEqualTo(2);
    }

    @Test
    void badDefinitionsAreRefusedAndCreateNothing()
            throws Exception
    {
        long imagesBefore = dolly.json(DataImage[].class, "get", "data-images").length;
        Path directory = Files.createTempDirectory(daemon.home().getParent(), "bad");
        Path misspelled = directory.resolve("misspelled.yaml");
        Files.writeString(misspelled, "name: bad\nsourceType: empty\nengine: postgresql\ninitialDatabseName: x\n");
        Cli.Result result = dolly.run("create", "data-image", "-f", misspelled.toString());
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stderr()).contains("initialDatabseName").contains("did you mean 'initialDatabaseName'");

        Path missingFile = directory.resolve("missing.yaml");
        Files.writeString(missingFile, "name: bad\nsourceType: backup\nengine: postgresql\nbackup:\n  folder: ./\n  file: nowhere.sql\n");
        result = dolly.run("create", "data-image", "-f", missingFile.toString());
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stderr()).contains("nowhere.sql");

        Path unknownVersion = directory.resolve("version.yaml");
        Files.writeString(unknownVersion, "name: bad\nsourceType: empty\nengine: postgresql\nversion: 42\n");
        result = dolly.run("create", "data-image", "-f", unknownVersion.toString());
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stderr()).contains("42");

        Path unknownEngine = directory.resolve("engine.yaml");
        Files.writeString(unknownEngine, "name: bad\nsourceType: empty\nengine: oracle\n");
        assertThat(dolly.run("create", "data-image", "-f", unknownEngine.toString()).exitCode()).isEqualTo(3);

        assertThat(dolly.run("create", "data-image", "-f", directory.resolve("absent.yaml").toString()).exitCode()).isEqualTo(3);
        assertThat(dolly.json(DataImage[].class, "get", "data-images")).hasSize((int) imagesBefore);
    }

    @Test
    void aDumpThatFailsHalfwayLeavesAFailedImageAndNothingElse()
            throws Exception
    {
        Path directory = Files.createTempDirectory(daemon.home().getParent(), "broken");
        StringBuilder dump = new StringBuilder("CREATE TABLE good (id int);\n");
        for (int row = 0; row < 2000; row++) {
            dump.append("INSERT INTO good VALUES (").append(row).append(");\n");
        }
        dump.append("INSERT INTO missing_table VALUES (1);\n");
        dump.append("INSERT INTO good VALUES (-1);\n");
        Files.writeString(directory.resolve("broken.sql"), dump);
        Files.writeString(directory.resolve("image.yaml"), "name: broken\nsourceType: backup\nengine: postgresql\nbackup:\n  path: broken.sql\n");

        Cli.Result result = dolly.run("create", "data-image", "-f", directory.resolve("image.yaml").toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("broken.sql line 2002").contains("missing_table");

        DataImage broken = dolly.json(DataImage.class, "get", "data-image", "broken");
        assertThat(broken.status()).isEqualTo(ResourceStatus.FAILED);
        assertThat(broken.statusMessage()).contains("line 2002");
        Path volume = daemon.home().resolve("storage/images/" + broken.id());
        assertThat(volume).doesNotExist();
        assertThat(Engines.postgresProcessesUnder(volume)).isEmpty();
        assertThat(daemon.home().resolve("logs/engines/image-" + broken.id() + ".log")).doesNotExist();
        dolly.succeed("delete", "data-image", "broken");
    }

    @Test
    void containersRunAgainAfterTheDaemonRestarts()
            throws Exception
    {
        DataContainer before = dolly.json(DataContainer.class, "create", "data-container", "-i", "chinook", "-n", "survivor");
        try (Connection connection = connect(before); Statement statement = connection.createStatement()) {
            statement.execute("create table kept (id int)");
            statement.execute("insert into kept values (42)");
        }
        Path dataDirectory = dataDirectory(daemon.home().resolve("storage/containers/" + before.id()));

        daemon.stop();
        assertThat(Engines.postmaster(dataDirectory)).isEmpty();
        assertThat(portIsFree(before.port())).isTrue();
        // as after a reboot: the daemon mounts what its containers need again
        daemon.unmountAll();
        daemon.start();

        DataContainer after = dolly.json(DataContainer.class, "get", "data-container", "survivor");
        assertThat(after.status()).isEqualTo(ResourceStatus.READY);
        assertThat(after.port()).isEqualTo(before.port());
        assertThat(after.password()).isEqualTo(before.password());
        assertThat(Engines.postmaster(dataDirectory)).isPresent();
        try (Connection connection = connect(after); Statement statement = connection.createStatement()) {
            assertThat(count(statement, "select id from kept")).isEqualTo(42);
        }
        assertThat(dolly.json(DataImage.class, "get", "data-image", "chinook").containers()).containsExactly("survivor");
        dolly.succeed("delete", "data-container", "survivor");
    }

    @Test
    void containersAreDeletedWhenTheirLifetimeIsOver()
            throws Exception
    {
        DataContainer container = dolly.json(DataContainer.class, "create", "data-container", "-i", "chinook", "--lifetime", "5s");
        assertThat(container.expiresAt()).isBetween(container.createdAt().plusSeconds(4), container.createdAt().plusSeconds(6));
        Path dataDirectory = daemon.home().resolve("storage/containers/" + container.id());
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(45);
        while (dolly.run("get", "data-container", container.name()).exitCode() != 2) {
            assertThat(System.nanoTime()).as("the container is deleted within 45 s").isLessThan(deadline);
            Thread.sleep(500);
        }
        assertThat(dataDirectory).doesNotExist();
        assertThat(portIsFree(container.port())).isTrue();
    }

    /** Where the server of a container volume runs: the volume itself, or its merged directory with overlay. */
    static Path dataDirectory(Path volume)
    {
        Path merged = volume.resolve("merged");
        return Files.isDirectory(merged) ? merged : volume;
    }

    static Connection connect(DataContainer container)
            throws SQLException
    {
        return DriverManager.getConnection(container.jdbcUrl(), container.user(), container.password());
    }

    static long count(Statement statement, String query)
            throws SQLException
    {
        try (ResultSet resultSet = statement.executeQuery(query)) {
            resultSet.next();
            return resultSet.getLong(1);
        }
    }

    static boolean portIsFree(int port)
    {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        }
        catch (IOException e) {
            return false;
        }
    }
}
