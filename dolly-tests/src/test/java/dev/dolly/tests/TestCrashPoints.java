package dev.dolly.tests;

import dev.dolly.api.DataContainer;
import dev.dolly.api.DataImage;
import dev.dolly.api.DollyHome;
import dev.dolly.api.ResourceStatus;
import dev.dolly.api.Revision;
import dev.dolly.api.ServerInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11's fault injection: for every crash point ({@code DOLLY_CRASH_AT}) and every storage driver, the daemon
 * is started with the switch, the operation that reaches the point is run through the CLI, the daemon halts there
 * (as {@code kill -9} would stop it), and a daemon started again without the switch must have settled everything:
 * the catalog agrees with the disk (volumes, mounts, server processes, listening ports, uploads), each container is
 * at its old revision or its new one and answers with its own password, every index passes {@code bt_index_check}
 * and every table {@code verify_heapam} (amcheck, PostgreSQL 17), and the operation can be repeated and succeeds.
 * One daemon home per driver, with one small image and one container ({@code main}) that the points share.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(DriverUnderTest.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestCrashPoints
{
    private static final String IMAGE = "crashes";
    private static final String MAIN = "main";
    /** The daemon's switch, and the exit status of a daemon that halted at a crash point (dolly-core's {@code CrashPoints}). */
    private static final String CRASH_AT = "DOLLY_CRASH_AT";
    private static final int HALTED = 137;
    private static final Duration CRASH_TIMEOUT = Duration.ofMinutes(2);

    @Parameter
    DriverUnderTest driver;

    private DaemonProcess daemon;
    private Cli dolly;
    private Path definition;
    private int firstPort;
    private int lastPort;

    @BeforeParameterizedClassInvocation
    void startDaemon()
            throws Exception
    {
        // a range of its own per driver: every port listening in it must be a container's
        firstPort = switch (driver) {
            case BTRFS -> 57100;
            case REFLINK -> 57120;
            case OVERLAY -> 57140;
            case COPY -> 57160;
        };
        lastPort = firstPort + 19;
        Map<String, String> environment = new HashMap<>(driver.environment());
        environment.put("DOLLY_CONTAINER_PORTS", firstPort + "-" + lastPort);
        daemon = DaemonProcess.withNewHome(driver.homeParent(), environment).start();
        dolly = new Cli(daemon.environment());
        assertThat(dolly.json(ServerInfo.class, "info").storageDriver()).isEqualTo(driver.driverName());
        definition = writeDefinition(daemon.home().getParent().resolve("definition"));
        dolly.succeed("create", "data-image", "-f", definition.toString(), "-q");
        dolly.succeed("create", "data-container", "-i", IMAGE, "-n", MAIN, "-q");
        checkSettled();
    }

    @AfterParameterizedClassInvocation
    void stopDaemon()
            throws Exception
    {
        if (daemon == null) {
            return;
        }
        try {
            DaemonOnDriver.deleteEverything(dolly);
        }
        finally {
            daemon.close();
            daemon = null;
            dolly = null;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"image.volume-created", "image.loaded", "image.sealed"})
    void imageBuild(String point)
            throws Exception
    {
        String name = "built-" + point.replace('.', '-');
        crashAt(point, "create", "data-image", "-f", definition.toString(), "-n", name, "-q");
        List<DataImage> interrupted = images(name);
        assertThat(interrupted).hasSize(1);
        assertThat(interrupted.getFirst().status()).isEqualTo(ResourceStatus.FAILED);
        checkSettled();

        dolly.succeed("create", "data-image", "-f", definition.toString(), "-n", name, "-q");
        assertThat(images(name)).extracting(DataImage::status).containsExactlyInAnyOrder(ResourceStatus.FAILED, ResourceStatus.READY);
        for (DataImage image : images(name)) {
            dolly.succeed("delete", "data-image", String.valueOf(image.id()));
        }
        checkSettled();
    }

    @ParameterizedTest
    @ValueSource(strings = {"container.cloned", "container.started"})
    void containerCreation(String point)
            throws Exception
    {
        String name = "fresh-" + point.replace('.', '-');
        crashAt(point, "create", "data-container", "-i", IMAGE, "-n", name, "-q");
        assertThat(dolly.run("get", "data-container", name).exitCode()).isEqualTo(2);
        checkSettled();

        dolly.succeed("create", "data-container", "-i", IMAGE, "-n", name, "-q");
        assertThat(label(container(name))).isEqualTo("image");
        checkSettled();
        dolly.succeed("delete", "data-container", name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"revision.stopped", "revision.snapshot"})
    void save(String point)
            throws Exception
    {
        String written = "unsaved-" + point;
        setLabel(container(MAIN), written);
        DataContainer before = container(MAIN);
        int revisions = revisions(MAIN).size();
        crashAt(point, "save", "data-container", MAIN);

        DataContainer after = container(MAIN);
        assertThat(after.revision()).isEqualTo(before.revision());
        assertThat(revisions(MAIN)).hasSize(revisions);
        // the save had stopped the server cleanly: what was committed is there
        assertThat(label(after)).isEqualTo(written);
        checkSettled();

        dolly.succeed("save", "data-container", MAIN);
        assertThat(revisions(MAIN)).hasSize(revisions + 1);
        assertThat(label(container(MAIN))).isEqualTo(written);
        checkSettled();
    }

    @ParameterizedTest
    @ValueSource(strings = {"revision.load.cloned", "revision.load.started", "revision.load.switched",
            "revision.load.deleted"})
    void load(String point)
            throws Exception
    {
        // rev.0 is the image, whose superuser password is the image's: the container must keep its own
        String written = "before-" + point;
        setLabel(container(MAIN), written);
        dolly.succeed("save", "data-container", MAIN);
        DataContainer before = container(MAIN);
        crashAt(point, "load", "data-container", MAIN, "--revision", "rev.0");

        DataContainer after = container(MAIN);
        boolean switched = point.equals("revision.load.switched") || point.equals("revision.load.deleted");
        assertThat(after.revision()).isEqualTo(switched ? "rev.0" : before.revision());
        assertThat(label(after)).isEqualTo(switched ? "image" : written);
        assertThat(after.password()).isEqualTo(before.password());
        checkSettled();

        dolly.succeed("load", "data-container", MAIN, "--revision", "rev.0");
        assertThat(label(container(MAIN))).isEqualTo("image");
        dolly.succeed("load", "data-container", MAIN, "--revision", before.revision());
        assertThat(label(container(MAIN))).isEqualTo(written);
        checkSettled();
    }

    @ParameterizedTest
    @ValueSource(strings = "graduate.cloned")
    void graduate(String point)
            throws Exception
    {
        dolly.succeed("save", "data-container", MAIN);
        String revision = container(MAIN).revision();
        String name = "graduated-" + driver.driverName();
        crashAt(point, "graduate", "data-container", MAIN, "--revision", revision, "--name", name);
        assertThat(images(name)).isEmpty();
        checkSettled();

        dolly.succeed("graduate", "data-container", MAIN, "--revision", revision, "--name", name);
        assertThat(images(name)).extracting(DataImage::status).containsExactly(ResourceStatus.READY);
        dolly.succeed("create", "data-container", "-i", name, "-n", "of-graduated", "-q");
        assertThat(label(container("of-graduated"))).isEqualTo(label(container(MAIN)));
        checkSettled();
        dolly.succeed("delete", "data-container", "of-graduated");
        dolly.succeed("delete", "data-image", name);
    }

    @ParameterizedTest
    @ValueSource(strings = "image.delete.volume")
    void imageDeletion(String point)
            throws Exception
    {
        String name = "doomed-image";
        dolly.succeed("create", "data-image", "-f", definition.toString(), "-n", name, "-q");
        crashAt(point, "delete", "data-image", name);
        assertThat(images(name)).isEmpty();
        checkSettled();

        // done already; the name can be built again
        assertThat(dolly.run("delete", "data-image", name).exitCode()).isEqualTo(2);
        dolly.succeed("create", "data-image", "-f", definition.toString(), "-n", name, "-q");
        dolly.succeed("delete", "data-image", name);
        checkSettled();
    }

    @ParameterizedTest
    @ValueSource(strings = "container.delete.volume")
    void containerDeletion(String point)
            throws Exception
    {
        String name = "doomed";
        dolly.succeed("create", "data-container", "-i", IMAGE, "-n", name, "-q");
        dolly.succeed("save", "data-container", name);
        crashAt(point, "delete", "data-container", name);
        assertThat(dolly.run("get", "data-container", name).exitCode()).isEqualTo(2);
        checkSettled();

        assertThat(dolly.run("delete", "data-container", name).exitCode()).isEqualTo(2);
        dolly.succeed("create", "data-container", "-i", IMAGE, "-n", name, "-q");
        dolly.succeed("delete", "data-container", name);
        checkSettled();
    }

    /**
     * Restarts the daemon with the crash point armed, runs the command, which must fail because the daemon halts at
     * the point, and starts the daemon again without the switch.
     */
    private void crashAt(String point, String... command)
            throws Exception
    {
        daemon.stop();
        DaemonProcess crashing = daemon.with(Map.of(CRASH_AT, point)).start();
        Cli crashingCli = new Cli(crashing.environment());
        Cli.Result result = crashingCli.run(command);
        assertThat(crashing.awaitExit(CRASH_TIMEOUT)).as("the daemon's exit status after %s", String.join(" ", command)).isEqualTo(HALTED);
        assertThat(result.exitCode()).as("dolly %s against a daemon that halted", String.join(" ", command)).isNotZero();
        assertThat(crashing.log()).contains("Crash point " + point + " reached");
        // what a daemon killed without cleanup leaves: its address, which the next one replaces
        Files.deleteIfExists(DollyHome.daemonFile(daemon.home()));
        daemon = daemon.start();
    }

    /**
     * The catalog agrees with the disk: a volume per image and container and saved revision and nothing else, mounts
     * of running containers only (overlay), one server per container and no other process working in the storage,
     * the containers' ports and no other port of the range listening, no upload left; every container READY,
     * answering with its own password, its indexes and tables sound.
     */
    private void checkSettled()
            throws Exception
    {
        List<DataImage> images = List.of(dolly.json(DataImage[].class, "get", "data-images"));
        List<DataContainer> containers = List.of(dolly.json(DataContainer[].class, "get", "data-containers"));
        Path storage = daemon.home().resolve("storage");

        assertThat(images).allSatisfy(image -> assertThat(image.status()).isIn(ResourceStatus.READY, ResourceStatus.FAILED));
        assertThat(entries(storage.resolve("images")))
                .containsExactlyInAnyOrderElementsOf(images.stream().filter(image -> image.status() == ResourceStatus.READY).map(image -> String.valueOf(image.id())).toList());

        Map<Long, String> containerVolumes = new HashMap<>();
        for (String volume : entries(storage.resolve("containers"))) {
            long id = Long.parseLong(volume.split("-")[0]);
            assertThat(containerVolumes.put(id, volume)).as("a second volume of container %s: %s", id, volume).isNull();
        }
        assertThat(containerVolumes.keySet()).containsExactlyInAnyOrderElementsOf(containers.stream().map(DataContainer::id).toList());

        Set<String> revisionDirectories = new HashSet<>(entries(storage.resolve("revisions")));
        for (DataContainer container : containers) {
            List<String> saved = revisions(container.name()).stream().filter(revision -> revision.number() > 0).map(revision -> String.valueOf(revision.number())).toList();
            Path directory = storage.resolve("revisions").resolve(String.valueOf(container.id()));
            assertThat(entries(directory)).as("revision volumes of %s", container.name()).containsExactlyInAnyOrderElementsOf(saved);
            revisionDirectories.remove(String.valueOf(container.id()));
        }
        for (String orphan : revisionDirectories) {
            assertThat(entries(storage.resolve("revisions").resolve(orphan))).as("revision volumes of container %s, which does not exist", orphan).isEmpty();
        }

        Set<Path> dataDirectories = containerVolumes.values().stream()
                .map(volume -> storage.resolve("containers").resolve(volume))
                .map(volume -> driver == DriverUnderTest.OVERLAY ? volume.resolve("merged") : volume)
                .collect(Collectors.toSet());
        Set<Path> mounts = mountPointsBelow(daemon.home());
        // the private mount the daemon attaches ID-mapped views below, one launch at a time: its own, not a container's
        mounts.remove(daemon.home().resolve("run/mapped"));
        if (driver == DriverUnderTest.OVERLAY) {
            assertThat(mounts).containsExactlyInAnyOrderElementsOf(dataDirectories);
        }
        else {
            assertThat(mounts).isEmpty();
        }
        assertThat(serverDirectoriesBelow(storage)).containsExactlyInAnyOrderElementsOf(dataDirectories);
        assertThat(listeningPorts(firstPort, lastPort)).containsExactlyInAnyOrderElementsOf(containers.stream().map(DataContainer::port).toList());
        assertThat(entries(daemon.home().resolve("uploads"))).isEmpty();

        for (DataContainer container : containers) {
            assertThat(container.status()).as("container %s", container.name()).isEqualTo(ResourceStatus.READY);
            checkSound(container);
        }
    }

    /** Every B-tree index passes {@code bt_index_check} and every table {@code verify_heapam}, over the container's own password. */
    private static void checkSound(DataContainer container)
            throws SQLException
    {
        try (Connection connection = DriverManager.getConnection(container.jdbcUrl(), container.user(), container.password());
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE EXTENSION IF NOT EXISTS amcheck");
            try (ResultSet indexes = statement.executeQuery("""
                    SELECT count(bt_index_check(c.oid)) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
                    WHERE a.amname = 'btree' AND c.relpersistence <> 't' AND i.indisready AND i.indisvalid""")) {
                indexes.next();
                assertThat(indexes.getLong(1)).as("indexes checked in %s", container.name()).isPositive();
            }
            try (ResultSet corruptions = statement.executeQuery("""
                    SELECT c.oid::regclass::text, v.msg FROM pg_class c CROSS JOIN LATERAL verify_heapam(c.oid) v
                    WHERE c.relkind IN ('r', 'm', 't') AND c.relpersistence <> 't'""")) {
                List<String> problems = new ArrayList<>();
                while (corruptions.next()) {
                    problems.add(corruptions.getString(1) + ": " + corruptions.getString(2));
                }
                assertThat(problems).as("verify_heapam in %s", container.name()).isEmpty();
            }
            try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM item")) {
                rows.next();
                assertThat(rows.getLong(1)).isEqualTo(2000);
            }
        }
    }

    private static String label(DataContainer container)
            throws SQLException
    {
        try (Connection connection = DriverManager.getConnection(container.jdbcUrl(), container.user(), container.password());
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT label FROM state")) {
            assertThat(result.next()).isTrue();
            return result.getString(1);
        }
    }

    private static void setLabel(DataContainer container, String label)
            throws SQLException
    {
        try (Connection connection = DriverManager.getConnection(container.jdbcUrl(), container.user(), container.password());
                Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE state SET label = '" + label + "'");
        }
    }

    private DataContainer container(String name)
    {
        return dolly.json(DataContainer.class, "get", "data-container", name);
    }

    private List<Revision> revisions(String container)
    {
        return List.of(dolly.json(Revision[].class, "get", "revisions", container));
    }

    private List<DataImage> images(String name)
    {
        return Stream.of(dolly.json(DataImage[].class, "get", "data-images")).filter(image -> image.name().equals(name)).toList();
    }

    /** A small image from scripts: a table with two indexes and 2,000 rows, and a one-row table telling where the data came from. */
    private static Path writeDefinition(Path directory)
            throws IOException
    {
        Files.createDirectories(directory.resolve("sql"));
        Files.writeString(directory.resolve("sql/1-schema.sql"), """
                CREATE TABLE item (id integer PRIMARY KEY, name text NOT NULL, price numeric(10, 2));
                CREATE INDEX item_by_name ON item (name);
                INSERT INTO item SELECT n, 'item ' || n, n / 10.0 FROM generate_series(1, 2000) n;
                CREATE TABLE state (label text PRIMARY KEY);
                INSERT INTO state VALUES ('image');
                """, StandardCharsets.UTF_8);
        Path file = directory.resolve("image.yaml");
        Files.writeString(file, """
                name: %s
                sourceType: scripts
                engine: postgresql
                initialDatabaseName: crashes
                scriptsFolders: [./sql]
                """.formatted(IMAGE), StandardCharsets.UTF_8);
        return file;
    }

    private static List<String> entries(Path directory)
            throws IOException
    {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.map(entry -> entry.getFileName().toString()).toList();
        }
    }

    private static Set<Path> mountPointsBelow(Path home)
            throws IOException
    {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/mountinfo"))) {
            return lines.map(line -> line.split(" ")[4])
                    .map(mountPoint -> mountPoint.replace("\\040", " "))
                    .filter(mountPoint -> mountPoint.startsWith(home + "/"))
                    .map(Path::of)
                    .collect(Collectors.toSet());
        }
    }

    /** The working directories of the processes that work below the storage (servers run in their data directories). */
    private static Set<Path> serverDirectoriesBelow(Path storage)
    {
        Set<Path> directories = new HashSet<>();
        ProcessHandle.allProcesses().forEach(process -> {
            Optional<Path> directory = workingDirectory(process.pid());
            directory.filter(path -> path.startsWith(storage)).ifPresent(directories::add);
        });
        return directories;
    }

    private static Optional<Path> workingDirectory(long pid)
    {
        try {
            return Optional.of(Files.readSymbolicLink(Path.of("/proc", String.valueOf(pid), "cwd")));
        }
        catch (IOException | RuntimeException e) {
            // gone, or a kernel thread
            return Optional.empty();
        }
    }

    /** The TCP ports of the range that something listens on, from /proc/net/tcp and tcp6. */
    private static Set<Integer> listeningPorts(int first, int last)
            throws IOException
    {
        Set<Integer> ports = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path file = Path.of(table);
            if (!Files.exists(file)) {
                continue;
            }
            for (String line : Files.readAllLines(file).subList(1, Files.readAllLines(file).size())) {
                String[] fields = line.strip().split("\\s+");
                // state 0A: LISTEN
                if (fields.length > 3 && fields[3].equals("0A")) {
                    int port = Integer.parseInt(fields[1].substring(fields[1].indexOf(':') + 1), 16);
                    if (port >= first && port <= last) {
                        ports.add(port);
                    }
                }
            }
        }
        return ports;
    }
}
