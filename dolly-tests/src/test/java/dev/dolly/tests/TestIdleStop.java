package dev.dolly.tests;

import dev.dolly.api.DataContainer;
import dev.dolly.api.ResourceStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Idle stop end to end, on btrfs with PostgreSQL: a container with {@code --idle-stop 3s} and no client is stopped
 * ({@code Stopped (idle)}, its server process gone, the daemon on its port), and a JDBC connection to its port wakes
 * it and is answered; a container with a client connected stays running past its idle time; {@code dolly stop} and
 * {@code dolly start} by hand; a reset of a stopped container; a route to a stopped container wakes it; a stopped
 * container stays stopped across a daemon restart and still wakes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestIdleStop
{
    private static final int FIRST_CONTAINER_PORT = 59200;
    private static final int LAST_CONTAINER_PORT = 59389;
    // above the kernel's range of ephemeral ports, which client connections of other tests may take
    private static final int ROUTE_PORT = 61911;
    private static final Duration WAIT = Duration.ofSeconds(60);

    private DaemonProcess daemon;
    private Cli admin;
    private DaemonUsers users;

    @BeforeAll
    void startDaemonWithAnImage()
            throws Exception
    {
        daemon = DaemonProcess.withNewHome(DaemonOnDriver.testFileSystem("DOLLY_TEST_BTRFS"),
                Map.of("DOLLY_CONTAINER_PORTS", FIRST_CONTAINER_PORT + "-" + LAST_CONTAINER_PORT)).start();
        admin = new Cli(daemon.environment());
        users = new DaemonUsers(daemon, admin);
        ScriptsImage.create(admin, daemon.home().getParent().resolve("notes"), "notes", "CREATE TABLE note (text VARCHAR(40));\nINSERT INTO note VALUES ('hello');\n");
    }

    @AfterAll
    void stopDaemon()
            throws Exception
    {
        if (users != null) {
            users.deleteEverythingAndStop();
        }
    }

    @Test
    @Order(1)
    void anIdleContainerIsStoppedAndWokenByAConnectionWhileABusyOneRuns()
            throws Exception
    {
        DataContainer idle = admin.json(DataContainer.class, "create", "data-container", "-i", "notes", "-n", "idle", "--idle-stop", "3s");
        DataContainer busy = admin.json(DataContainer.class, "create", "data-container", "-i", "notes", "-n", "busy", "--idle-stop", "3s");
        assertThat(idle.idleStop()).isEqualTo("3s");
        try (Connection client = connect(busy)) {
            DataContainer stopped = waitFor("idle", container -> container.status() == ResourceStatus.STOPPED);
            assertThat(stopped.stoppedBy()).isEqualTo(DataContainer.STOPPED_IDLE);
            assertThat(stopped.statusDisplayName()).isEqualTo("Stopped (idle)");
            assertThat(admin.succeed("get", "data-containers").stdout()).containsPattern("idle +notes +rev\\.0 +Stopped \\(idle\\)");
            assertThat(admin.succeed("get", "data-container", "idle").stdout()).contains("Idle stop:      3s");
            // the server is gone: the daemon holds its port
            assertThat(listenerOf(idle.port())).contains("java").doesNotContain("postgres");

            // positive control: a container with a client stays running well past its idle time
            Thread.sleep(3_000);
            assertThat(admin.json(DataContainer.class, "get", "data-container", "busy").status()).isEqualTo(ResourceStatus.READY);
            assertThat(note(client)).isEqualTo("hello");
        }

        long start = System.nanoTime();
        try (Connection woken = connect(idle)) {
            assertThat(note(woken)).isEqualTo("hello");
            Duration answered = Duration.ofNanos(System.nanoTime() - start);
            System.out.println("Idle-stopped container answered its first query " + answered.toMillis() + " ms after the connection began");
            assertThat(answered).isLessThan(Duration.ofSeconds(10));
        }
        DataContainer running = admin.json(DataContainer.class, "get", "data-container", "idle");
        assertThat(running.status()).isEqualTo(ResourceStatus.READY);
        assertThat(running.stoppedBy()).isNull();
        assertThat(listenerOf(idle.port())).contains("postgres");
        // 'off' turns it off: the container is not stopped again
        admin.succeed("update", "data-container", "idle", "--idle-stop", "off");
        assertThat(admin.json(DataContainer.class, "get", "data-container", "idle").idleStop()).isNull();
        Thread.sleep(5_000);
        assertThat(admin.json(DataContainer.class, "get", "data-container", "idle").status()).isEqualTo(ResourceStatus.READY);
        // bad input: refused with what to write
        Cli.Result tooShort = admin.run("update", "data-container", "idle", "--idle-stop", "0.5s");
        assertThat(tooShort.exitCode()).isEqualTo(3);
        assertThat(tooShort.stderr()).contains("--idle-stop").contains("30m");
    }

    @Test
    @Order(2)
    void stopAndStartByHandAndAResetOfAStoppedContainer()
            throws Exception
    {
        // busy went idle when the first test closed its client: its idle stop off, and started by hand
        admin.succeed("update", "data-container", "busy", "--idle-stop", "off");
        admin.succeed("start", "data-container", "busy");
        assertThat(admin.json(DataContainer.class, "get", "data-container", "busy").status()).isEqualTo(ResourceStatus.READY);
        Cli.Result stopped = admin.succeed("stop", "data-container", "busy");
        assertThat(stopped.stdout()).contains("Data container 'busy' is stopped");
        DataContainer busy = admin.json(DataContainer.class, "get", "data-container", "busy");
        assertThat(busy.status()).isEqualTo(ResourceStatus.STOPPED);
        assertThat(busy.stoppedBy()).isEqualTo(DataContainer.STOPPED_BY_REQUEST);
        assertThat(admin.succeed("get", "data-containers", "busy").stdout()).containsPattern("busy +notes +rev\\.0 +Stopped ");
        assertThat(admin.succeed("stop", "data-container", "busy").stdout()).contains("is stopped already");
        assertThat(listenerOf(busy.port())).contains("java").doesNotContain("postgres");

        assertThat(admin.succeed("start", "data-container", "busy").stdout()).contains("Data container 'busy' is started");
        assertThat(admin.json(DataContainer.class, "get", "data-container", "busy").status()).isEqualTo(ResourceStatus.READY);
        assertThat(admin.succeed("start", "data-container", "busy").stdout()).contains("is running already");
        try (Connection connection = connect(busy)) {
            assertThat(note(connection)).isEqualTo("hello");
        }

        // a reset of a stopped container starts it first, then resets it
        admin.succeed("stop", "data-container", "busy");
        DataContainer reset = admin.json(DataContainer.class, "reset", "data-container", "busy");
        assertThat(reset.status()).isEqualTo(ResourceStatus.READY);
        try (Connection connection = connect(busy)) {
            assertThat(note(connection)).isEqualTo("hello");
        }
        // a container that does not exist: not found
        assertThat(admin.run("stop", "data-container", "no-such-container").exitCode()).isEqualTo(2);
    }

    @Test
    @Order(3)
    void aRouteToAStoppedContainerWakesIt()
            throws Exception
    {
        admin.succeed("stop", "data-container", "busy");
        DataContainer busy = admin.json(DataContainer.class, "get", "data-container", "busy");
        admin.succeed("create", "route", "busy-db", "--port", String.valueOf(ROUTE_PORT), "--to", "busy");
        try (Connection connection = DriverManager.getConnection(busy.jdbcUrl().replace(":" + busy.port() + "/", ":" + ROUTE_PORT + "/"), busy.user(),
                busy.password())) {
            assertThat(note(connection)).isEqualTo("hello");
        }
        assertThat(admin.json(DataContainer.class, "get", "data-container", "busy").status()).isEqualTo(ResourceStatus.READY);
        admin.succeed("delete", "route", "busy-db");
    }

    @Test
    @Order(4)
    void aStoppedContainerStaysStoppedAcrossADaemonRestartAndStillWakes()
            throws Exception
    {
        admin.succeed("stop", "data-container", "busy");
        daemon.stop();
        daemon.start();
        DataContainer busy = admin.json(DataContainer.class, "get", "data-container", "busy");
        assertThat(busy.status()).isEqualTo(ResourceStatus.STOPPED);
        assertThat(busy.stoppedBy()).isEqualTo(DataContainer.STOPPED_BY_REQUEST);
        assertThat(listenerOf(busy.port())).contains("java").doesNotContain("postgres");
        long start = System.nanoTime();
        try (Connection connection = connect(busy)) {
            assertThat(note(connection)).isEqualTo("hello");
        }
        System.out.println("After a daemon restart, the stopped container answered " + Duration.ofNanos(System.nanoTime() - start).toMillis()
                + " ms after the connection began");
        assertThat(admin.json(DataContainer.class, "get", "data-container", "busy").status()).isEqualTo(ResourceStatus.READY);
    }

    private DataContainer waitFor(String name, Predicate<DataContainer> condition)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            DataContainer container = admin.json(DataContainer.class, "get", "data-container", name);
            if (condition.test(container)) {
                return container;
            }
            assertThat(System.nanoTime()).as("container %s did not get there in %s: %s", name, WAIT, container).isLessThan(deadline);
            Thread.sleep(250);
        }
    }

    /** The program listening on a port, as {@code ss} shows it. */
    private static String listenerOf(int port)
            throws Exception
    {
        Process process = new ProcessBuilder(List.of("ss", "-Hltnp", "sport = :" + port)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
        return output;
    }

    private static Connection connect(DataContainer container)
            throws SQLException
    {
        return DriverManager.getConnection(container.jdbcUrl(), container.user(), container.password());
    }

    private static String note(Connection connection)
            throws SQLException
    {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("SELECT text FROM note")) {
            assertThat(rows.next()).isTrue();
            return rows.getString(1);
        }
    }
}
