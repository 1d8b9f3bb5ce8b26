package dev.dolly.tests;

import dev.dolly.api.DataContainer;
import dev.dolly.api.DataImage;
import dev.dolly.api.ResourceStatus;
import dev.dolly.tests.Cli.Result;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A daemon whose home, catalog and storage live on a small file system of their own (400 MB of ext4, no blocks
 * reserved for root, so the daemon runs out of space as its engines do): a build that fills it fails saying so and
 * leaves nothing behind; a container that fills it fails its own writes while the other containers and the daemon
 * answer; and once space is freed, the catalog is intact and the daemon starts again with it. Made as root in the test; in
 * CI, a machine where it cannot be made fails the test rather than skipping it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestFullDisk
{
    private static final long FILE_SYSTEM_BYTES = 400L * 1024 * 1024;
    private static final long MEGABYTE = 1024 * 1024;

    private Path imageFile;
    private Path mountPoint;
    private Path definitions;
    private DaemonProcess daemon;
    private Cli dolly;

    @BeforeAll
    void mountASmallFileSystem()
            throws Exception
    {
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root) {
            String message = "The full-disk test loop-mounts a file system: run it as root.";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(message);
            }
            Assumptions.abort(message);
        }
        Path base = Files.createTempDirectory(Path.of("/var/tmp"), "dolly-full-disk-");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwx--x--x"));
        imageFile = base.resolve("small.img");
        try (RandomAccessFile file = new RandomAccessFile(imageFile.toFile(), "rw")) {
            file.setLength(FILE_SYSTEM_BYTES);
        }
        mountPoint = Files.createDirectory(base.resolve("small"));
        run("mkfs.ext4", "-q", "-F", "-m", "0", imageFile.toString());
        run("mount", "-o", "loop", imageFile.toString(), mountPoint.toString());
        Files.setPosixFilePermissions(mountPoint, PosixFilePermissions.fromString("rwx--x--x"));
        definitions = Files.createDirectory(base.resolve("definitions"));

        daemon = DaemonProcess.withNewHome(mountPoint, Map.of("DOLLY_STORAGE_DRIVER", "copy")).start();
        dolly = new Cli(daemon.environment());
        dolly.succeed("create", "data-image", "-f", definition("small", "sourceType: empty").toString(), "-q");
    }

    @AfterAll
    void removeTheFileSystem()
            throws Exception
    {
        try {
            if (daemon != null) {
                daemon.close();
            }
        }
        finally {
            if (mountPoint != null) {
                // lazily when something still holds it: the file system must not outlive the test
                if (!tryRun("umount", mountPoint.toString())) {
                    run("umount", "-l", mountPoint.toString());
                }
                Files.deleteIfExists(imageFile);
                try (Stream<Path> paths = Files.walk(mountPoint.getParent())) {
                    for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(path);
                    }
                }
            }
        }
    }

    @Test
    @Order(1)
    void aBuildThatRunsOutOfSpaceFailsSayingSoAndLeavesNothing()
            throws Exception
    {
        long freeBefore = Files.getFileStore(mountPoint).getUsableSpace();
        Path scripts = Files.createDirectories(definitions.resolve("sql"));
        // some 700 MB of rows, on a file system with less than 400 MB
        Files.writeString(scripts.resolve("1-fill.sql"), "CREATE TABLE filler AS SELECT g AS id, repeat(md5(g::text), 60) AS payload FROM generate_series(1, 350000) g;\n");
        Path definition = definition("too-big", "sourceType: scripts\nscriptsFolders: [./sql]");

        dolly.succeed("create", "data-image", "-f", definition.toString(), "--no-wait", "-q");
        // while the disk is full, the catalog (on it too) cannot even be read: those answers say so, and pass
        DataImage image = null;
        int catalogRefusals = 0;
        for (int attempt = 0; attempt < 1200 && (image == null || image.status() == ResourceStatus.PENDING); attempt++) {
            Result result = dolly.run("get", "data-image", "too-big", "-o", "json");
            if (result.exitCode() == 0) {
                image = dev.dolly.api.Json.json().readValue(result.stdout(), DataImage.class);
            }
            else {
                assertThat(result.stderr()).contains("The catalog could not be read or written (").contains("the file system of the daemon's home is probably full");
                catalogRefusals++;
            }
            Thread.sleep(250);
        }
        System.out.println("TestFullDisk: " + catalogRefusals + " answers refused while the disk was full");
        assertThat(image).isNotNull();
        assertThat(image.status()).isEqualTo(ResourceStatus.FAILED);
        assertThat(image.statusMessage())
                .startsWith("No space left on " + mountPoint)
                .containsPattern("\\d+ MB free there now that the build's files are removed, and the backup needs more");
        // nothing left: no volume, no server, no mount, the space back
        try (Stream<Path> volumes = Files.list(daemon.home().resolve("storage/images"))) {
            assertThat(volumes.map(path -> path.getFileName().toString())).doesNotContain(String.valueOf(image.id()));
        }
        assertThat(serversRunningBelow(daemon.home().resolve("storage/images"))).isEmpty();
        assertThat(mountsBelow(mountPoint)).isEmpty();
        assertThat(Files.getFileStore(mountPoint).getUsableSpace()).isGreaterThan(freeBefore - 20 * MEGABYTE);
    }

    @Test
    @Order(2)
    void aContainerThatFillsTheDiskFailsItsOwnWritesWhileOthersAndTheDaemonAnswer()
            throws Exception
    {
        DataContainer filling = dolly.json(DataContainer.class, "create", "data-container", "-i", "small", "-n", "filling");
        DataContainer quiet = dolly.json(DataContainer.class, "create", "data-container", "-i", "small", "-n", "quiet");
        try (Connection connection = connect(quiet); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE kept (id int); INSERT INTO kept VALUES (1), (2), (3)");
        }

        try (Connection connection = connect(filling); Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.execute("CREATE TABLE filler AS SELECT g AS id, repeat(md5(g::text), 60) AS payload FROM generate_series(1, 350000) g"))
                    .isInstanceOf(SQLException.class);
        }
        assertThat(Files.getFileStore(mountPoint).getUsableSpace()).isLessThan(16 * MEGABYTE);

        // the other container and the daemon answer, with the disk full
        try (Connection connection = connect(quiet); Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("SELECT count(*) FROM kept")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getInt(1)).isEqualTo(3);
        }
        assertThat(dolly.json(DataContainer[].class, "get", "data-containers")).extracting(DataContainer::name).contains("filling", "quiet");
        // a container that does not fit is refused, and nothing of it is left
        Result refused = dolly.run("create", "data-container", "-i", "small", "-n", "no-room");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.stderr()).doesNotContain("Internal error");
        assertThat(dolly.json(DataContainer[].class, "get", "data-containers")).extracting(DataContainer::name).doesNotContain("no-room");
    }

    @Test
    @Order(3)
    void onceSpaceIsFreedTheCatalogIsIntactAndTheDaemonStartsAgain()
            throws Exception
    {
        dolly.succeed("delete", "data-container", "filling");
        assertThat(Files.getFileStore(mountPoint).getUsableSpace()).isGreaterThan(100 * MEGABYTE);

        daemon.stop();
        daemon = daemon.with(Map.of()).start();
        dolly = new Cli(daemon.environment());
        DataContainer quiet = dolly.json(DataContainer.class, "get", "data-container", "quiet");
        assertThat(quiet.status()).isEqualTo(ResourceStatus.READY);
        try (Connection connection = connect(quiet); Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("SELECT count(*) FROM kept")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getInt(1)).isEqualTo(3);
        }
        DataContainer again = dolly.json(DataContainer.class, "create", "data-container", "-i", "small", "-n", "after");
        try (Connection connection = connect(again); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE t AS SELECT 1 AS id");
        }
        for (String name : List.of("after", "quiet")) {
            dolly.succeed("delete", "data-container", name);
        }
    }

    private Path definition(String name, String source)
            throws IOException
    {
        Path file = definitions.resolve(name + ".yaml");
        Files.writeString(file, "name: " + name + "\nengine: postgresql\n" + source + "\n");
        return file;
    }

    private static Connection connect(DataContainer container)
            throws SQLException
    {
        return DriverManager.getConnection(container.jdbcUrl(), container.user(), container.password());
    }

    private static List<String> serversRunningBelow(Path directory)
    {
        return ProcessHandle.allProcesses()
                .map(process -> process.info().commandLine().orElse(""))
                .filter(command -> command.contains(directory.toString()))
                .toList();
    }

    private static List<String> mountsBelow(Path directory)
            throws IOException
    {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/mountinfo"))) {
            return lines.map(line -> line.split(" ")[4]).filter(mount -> mount.startsWith(directory + "/")).toList();
        }
    }

    private static boolean tryRun(String... command)
            throws IOException, InterruptedException
    {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return process.waitFor() == 0;
    }

    private static void run(String... command)
            throws IOException, InterruptedException
    {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }
}
