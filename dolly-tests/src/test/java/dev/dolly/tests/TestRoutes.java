package dev.dolly.tests;

import dev.dolly.api.DataContainer;
import dev.dolly.api.Route;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Routes, shared containers and {@code dolly proxy} end to end, on btrfs: a route on one port switched between two
 * PostgreSQL containers and two MariaDB containers (new connections see the new container's data at once, an open
 * connection stays on the old one, {@code --drop-connections} closes it), after a reset and a daemon restart; a
 * container shared with a team, which a member connects to and a non-member does not see; the CLI's own relay.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestRoutes
{
    private static final int FIRST_CONTAINER_PORT = 57400;
    private static final int LAST_CONTAINER_PORT = 57599;
    // above the kernel's range of ephemeral ports (32768-60999 by default): a client connection of a test running at
    // the same time may take any port in that range as its own, and a route could not listen there
    private static final int POSTGRES_ROUTE_PORT = 61900;
    private static final int MARIADB_ROUTE_PORT = 61901;
    private static final int PROXY_PORT = 61902;
    private static final int TAKEN_ROUTE_PORT = 61903;
    private static final int SHARED_ROUTE_PORT = 61904;
    private static final int KERNEL_ROUTE_PORT = 61907;
    private static final int RELAYED_ROUTE_PORT = 61908;

    private DaemonProcess daemon;
    private Cli admin;
    private DaemonUsers users;
    private Cli alice;
    private Cli eve;
    private DataContainer postgresA;
    private DataContainer postgresB;

    @BeforeAll
    void startDaemonWithTwoContainers()
            throws Exception
    {
        daemon = DaemonProcess.withNewHome(DaemonOnDriver.testFileSystem("DOLLY_TEST_BTRFS"),
                Map.of("DOLLY_CONTAINER_PORTS", FIRST_CONTAINER_PORT + "-" + LAST_CONTAINER_PORT)).start();
        admin = new Cli(daemon.environment());
        users = new DaemonUsers(daemon, admin);
        ScriptsImage.create(admin, daemon.home().getParent().resolve("notes"), "notes", "CREATE TABLE note (text VARCHAR(40));\n");
        postgresA = createWithNote("notes", "pg-a", "A");
        postgresB = createWithNote("notes", "pg-b", "B");
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
    void aRouteSwitchesNewConnectionsAndKeepsOpenOnesUntilDropped()
            throws Exception
    {
        Route route = admin.json(Route.class, "create", "route", "app-db", "--port", String.valueOf(POSTGRES_ROUTE_PORT), "--to", "pg-a");
        assertThat(route.port()).isEqualTo(POSTGRES_ROUTE_PORT);
        assertThat(route.container()).isEqualTo("pg-a");
        try (Connection open = throughPort(postgresA, POSTGRES_ROUTE_PORT)) {
            assertThat(note(open)).isEqualTo("A");
            assertThat(admin.succeed("get", "routes").stdout()).isEqualTo("""
                    NAME    PORT   TARGET  CONNECTIONS  STATUS
                    app-db  61900  pg-a    1            Listening
                    """);

            admin.succeed("update", "route", "app-db", "--to", "pg-b");
            long switched = System.nanoTime();
            try (Connection fresh = throughPort(postgresB, POSTGRES_ROUTE_PORT)) {
                // the switch is done when the command returns: the first connection after it reaches B
                assertThat(Duration.ofNanos(System.nanoTime() - switched)).isLessThan(Duration.ofSeconds(2));
                assertThat(note(fresh)).isEqualTo("B");
            }
            assertThat(note(open)).isEqualTo("A");

            admin.succeed("update", "route", "app-db", "--to", "pg-a", "--drop-connections");
            assertThatThrownBy(() -> note(open)).isInstanceOf(SQLException.class);
        }
        try (Connection again = throughPort(postgresA, POSTGRES_ROUTE_PORT)) {
            assertThat(note(again)).isEqualTo("A");
        }
        // the same name or port twice, a port of the containers' range, a container the caller cannot see: refused, nothing made
        assertThat(admin.run("create", "route", "app-db", "--port", "61905", "--to", "pg-a").exitCode()).isEqualTo(3);
        assertThat(admin.run("create", "route", "other", "--port", String.valueOf(POSTGRES_ROUTE_PORT), "--to", "pg-a").exitCode()).isEqualTo(3);
        Cli.Result inRange = admin.run("create", "route", "other", "--port", String.valueOf(FIRST_CONTAINER_PORT), "--to", "pg-a");
        assertThat(inRange.exitCode()).isEqualTo(3);
        assertThat(inRange.stderr()).contains("containers' port range");
        assertThat(admin.run("create", "route", "other", "--port", "61905", "--to", "no-such-container").exitCode()).isEqualTo(2);
        assertThat(admin.json(Route[].class, "get", "routes")).extracting(Route::name).containsExactly("app-db");
    }

    @Test
    @Order(2)
    void aRouteKeepsWorkingAcrossResetAndLoad()
            throws Exception
    {
        admin.succeed("save", "data-container", "pg-a");
        admin.succeed("reset", "data-container", "pg-a");
        try (Connection connection = throughPort(postgresA, POSTGRES_ROUTE_PORT)) {
            assertThat(note(connection)).isEqualTo("A");
        }
        admin.succeed("load", "data-container", "pg-a", "--revision", "rev.0");
        try (Connection connection = throughPort(postgresA, POSTGRES_ROUTE_PORT); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM note")) {
            rows.next();
            // rev.0 is the image's data: the note came later
            assertThat(rows.getLong(1)).isZero();
        }
    }

    @Test
    @Order(3)
    void routesListenAgainAfterADaemonRestartAndATakenPortIsShownNotFatal()
            throws Exception
    {
        admin.succeed("create", "route", "taken-later", "--port", String.valueOf(TAKEN_ROUTE_PORT), "--to", "pg-b");
        daemon.stop();
        try (ServerSocket squatter = new ServerSocket(TAKEN_ROUTE_PORT, 1, java.net.InetAddress.getLoopbackAddress())) {
            daemon.start();
            try (Connection connection = throughPort(postgresA, POSTGRES_ROUTE_PORT)) {
                assertThat(connection.isValid(5)).isTrue();
            }
            Route taken = admin.json(Route[].class, "get", "routes", "taken-later")[0];
            assertThat(taken.listening()).isFalse();
            assertThat(taken.statusMessage()).contains(String.valueOf(TAKEN_ROUTE_PORT)).contains("another program");
        }
        // once the port is free, an update listens again
        admin.succeed("update", "route", "taken-later", "--to", "pg-b");
        try (Connection connection = throughPort(postgresB, TAKEN_ROUTE_PORT)) {
            assertThat(note(connection)).isEqualTo("B");
        }
        admin.succeed("delete", "route", "taken-later");
        assertThat(admin.run("get", "routes", "taken-later").exitCode()).isEqualTo(2);
    }

    @Test
    @Order(4)
    void aTeamMemberConnectsToASharedContainerAndANonMemberCannotSeeIt()
            throws Exception
    {
        admin.succeedWithStdin("alice's long password\n", "create", "user", "alice", "--password-stdin");
        admin.succeedWithStdin("eve's long password?\n", "create", "user", "eve", "--password-stdin");
        admin.succeed("create", "team", "myorg:developers");
        admin.succeed("update", "team", "myorg:developers", "--add-member", "alice");
        alice = users.signIn("alice", "alice's long password");
        eve = users.signIn("eve", "eve's long password?");

        admin.succeed("update", "data-container", "pg-b", "--team", "myorg:developers");
        assertThat(alice.json(DataContainer[].class, "get", "data-containers")).extracting(DataContainer::name).containsExactly("pg-b");
        DataContainer shared = alice.json(DataContainer.class, "get", "data-container", "pg-b");
        assertThat(shared.teams()).containsExactly("myorg:developers");
        try (Connection connection = DriverManager.getConnection(shared.jdbcUrl(), shared.user(), shared.password())) {
            assertThat(note(connection)).isEqualTo("B");
        }
        // a member may point a route of hers at it, but not change, reset or delete it
        alice.succeed("create", "route", "alices", "--port", String.valueOf(SHARED_ROUTE_PORT), "--to", "pg-b");
        assertThat(alice.run("delete", "data-container", "pg-b").exitCode()).isEqualTo(8);
        assertThat(alice.run("reset", "data-container", "pg-b").exitCode()).isEqualTo(8);
        assertThat(alice.run("update", "data-container", "pg-b", "--lifetime", "1h").exitCode()).isEqualTo(8);
        // the others see neither the container nor alice's route
        assertThat(eve.run("get", "data-container", "pg-b").exitCode()).isEqualTo(2);
        assertThat(eve.run("proxy", "data-container", "pg-b", "--port", String.valueOf(PROXY_PORT)).exitCode()).isEqualTo(2);
        assertThat(eve.run("create", "route", "eves", "--port", "61906", "--to", "pg-b").exitCode()).isEqualTo(2);
        assertThat(eve.run("update", "route", "alices", "--to", "pg-b").exitCode()).isEqualTo(2);
        assertThat(eve.json(Route[].class, "get", "routes")).isEmpty();
        assertThat(alice.json(Route[].class, "get", "routes")).extracting(Route::name).containsExactly("alices");
        // sharing is the owner's to take back: alice loses the container
        admin.succeed("update", "data-container", "pg-b", "--remove-team", "myorg:developers");
        assertThat(alice.run("get", "data-container", "pg-b").exitCode()).isEqualTo(2);
        alice.succeed("delete", "route", "alices");
    }

    @Test
    @Order(5)
    void theProxyCommandRelaysALocalPortToAContainer()
            throws Exception
    {
        AtomicReference<Cli.Result> result = new AtomicReference<>();
        Thread proxy = Thread.ofPlatform().start(() -> result.set(admin.run("proxy", "data-container", "pg-b", "--port", String.valueOf(PROXY_PORT))));
        try {
            Connection connection = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (connection == null) {
                try {
                    connection = throughPort(postgresB, PROXY_PORT);
                }
                catch (SQLException notYet) {
                    if (System.nanoTime() > deadline) {
                        throw notYet;
                    }
                    Thread.sleep(100);
                }
            }
            try (Connection open = connection) {
                assertThat(note(open)).isEqualTo("B");
            }
        }
        finally {
            proxy.interrupt();
            proxy.join(10_000);
        }
        assertThat(result.get().exitCode()).isZero();
        assertThat(result.get().stdout()).contains("Relaying 127.0.0.1:" + PROXY_PORT + " to data container 'pg-b'");
    }

    @Test
    @Order(6)
    void aRouteSwitchesBetweenMariaDbContainers()
            throws Exception
    {
        Path directory = daemon.home().getParent().resolve("shop");
        Files.createDirectories(directory.resolve("schema"));
        Files.writeString(directory.resolve("schema/01-notes.sql"), "CREATE TABLE note (text VARCHAR(40)) ENGINE=InnoDB;\n");
        Files.writeString(directory.resolve("image.yaml"), "name: shop\nsourceType: scripts\nengine: mariadb\ninitialDatabaseName: shop\nscriptsFolders: [./schema]\n");
        admin.succeed("create", "data-image", "-f", directory.resolve("image.yaml").toString(), "-q");
        DataContainer first = createWithNote("shop", "maria-a", "A");
        DataContainer second = createWithNote("shop", "maria-b", "B");
        admin.succeed("create", "route", "shop-db", "--port", String.valueOf(MARIADB_ROUTE_PORT), "--to", "maria-a");
        try (Connection open = throughPort(first, MARIADB_ROUTE_PORT)) {
            assertThat(note(open)).isEqualTo("A");
            admin.succeed("update", "route", "shop-db", "--to", "maria-b");
            try (Connection fresh = throughPort(second, MARIADB_ROUTE_PORT)) {
                assertThat(note(fresh)).isEqualTo("B");
            }
            assertThat(note(open)).isEqualTo("A");
        }
        // the route outlives a daemon restart, still pointing at B
        daemon.stop();
        daemon.start();
        try (Connection afterRestart = throughPort(second, MARIADB_ROUTE_PORT)) {
            assertThat(note(afterRestart)).isEqualTo("B");
        }
        admin.succeed("delete", "route", "shop-db");
        assertThatThrownBy(() -> throughPort(second, MARIADB_ROUTE_PORT).close()).isInstanceOf(SQLException.class);
    }

    @Test
    @Order(7)
    void theKernelTakesALoopbackRouteAndForgetsItsContainerWhenItIsDeleted()
            throws Exception
    {
        DataContainer doomed = createWithNote("notes", "pg-c", "C");
        admin.succeed("create", "route", "kernel-db", "--port", String.valueOf(KERNEL_ROUTE_PORT), "--to", "pg-c");
        // the daemon runs as root: the kernel redirects the route's port to the container's (DOLLY_ROUTE_KERNEL_PATH is on by default)
        assertThat(nftRuleset()).contains(KERNEL_ROUTE_PORT + " : " + doomed.port());
        assertThat(admin.succeed("info").stdout()).containsPattern("Routes: +taken by the kernel \\(nftables table ip dolly_[0-9a-f]+\\)");
        try (Connection connection = throughPort(doomed, KERNEL_ROUTE_PORT)) {
            assertThat(note(connection)).isEqualTo("C");
        }

        admin.succeed("delete", "data-container", "pg-c");

        assertThat(nftRuleset()).doesNotContain(KERNEL_ROUTE_PORT + " : ");
        // the next container may get the deleted one's port: the route must not lead a client to it
        DataContainer next = createWithNote("notes", "pg-d", "D");
        assertThatThrownBy(() -> throughPort(next, KERNEL_ROUTE_PORT).close()).isInstanceOf(SQLException.class);
        assertThat(admin.json(Route[].class, "get", "routes", "kernel-db")[0].container()).isNull();
        // pointed at it by its owner, the route leads there again
        admin.succeed("update", "route", "kernel-db", "--to", "pg-d");
        try (Connection connection = throughPort(next, KERNEL_ROUTE_PORT)) {
            assertThat(note(connection)).isEqualTo("D");
        }
        admin.succeed("delete", "route", "kernel-db");
        assertThat(nftRuleset()).doesNotContain(KERNEL_ROUTE_PORT + " : ");
        admin.succeed("delete", "data-container", "pg-d");
    }

    @Test
    @Order(8)
    void withTheKernelPathOffTheDaemonRelaysRoutesTheSameWay()
            throws Exception
    {
        // pg-a is on rev.0 since the second test: its note again
        try (Connection connection = throughPort(postgresA, postgresA.port()); Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO note VALUES ('A')");
        }
        daemon.stop();
        DaemonProcess relaying = daemon.with(Map.of("DOLLY_ROUTE_KERNEL_PATH", "off")).start();
        try {
            admin.succeed("create", "route", "relayed-db", "--port", String.valueOf(RELAYED_ROUTE_PORT), "--to", "pg-a");
            // no table of this daemon's: neither the new route nor the one it listens on again is in the kernel
            assertThat(nftRuleset()).doesNotContain(RELAYED_ROUTE_PORT + " : ").doesNotContain(POSTGRES_ROUTE_PORT + " : ");
            assertThat(relaying.log()).contains("Routes are relayed by the daemon: DOLLY_ROUTE_KERNEL_PATH=off");
            assertThat(admin.succeed("info").stdout()).contains("Routes:          relayed by the daemon: DOLLY_ROUTE_KERNEL_PATH=off");
            try (Connection open = throughPort(postgresA, RELAYED_ROUTE_PORT)) {
                assertThat(note(open)).isEqualTo("A");
                assertThat(admin.json(Route[].class, "get", "routes", "relayed-db")[0].connections()).isEqualTo(1);
                admin.succeed("update", "route", "relayed-db", "--to", "pg-b");
                try (Connection fresh = throughPort(postgresB, RELAYED_ROUTE_PORT)) {
                    assertThat(note(fresh)).isEqualTo("B");
                }
                assertThat(note(open)).isEqualTo("A");
                admin.succeed("update", "route", "relayed-db", "--to", "pg-a", "--drop-connections");
                assertThatThrownBy(() -> note(open)).isInstanceOf(SQLException.class);
            }
            admin.succeed("delete", "route", "relayed-db");
        }
        finally {
            relaying.stop();
            daemon.start();
        }
        // started again with the kernel path on, the daemon gives its routes to the kernel again
        assertThat(nftRuleset()).contains(POSTGRES_ROUTE_PORT + " : " + postgresA.port());
    }

    private static String nftRuleset()
            throws Exception
    {
        Process nft = new ProcessBuilder("nft", "list", "ruleset").redirectErrorStream(true).start();
        String output = new String(nft.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(nft.waitFor()).as(output).isZero();
        return output;
    }

    private DataContainer createWithNote(String image, String name, String note)
            throws SQLException
    {
        DataContainer container = admin.json(DataContainer.class, "create", "data-container", "-i", image, "-n", name);
        try (Connection connection = throughPort(container, container.port()); Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO note VALUES ('" + note + "')");
        }
        return container;
    }

    /** A connection with the container's credentials to another port of the same host: a route's, or a proxy's. */
    private static Connection throughPort(DataContainer container, int port)
            throws SQLException
    {
        String url = container.jdbcUrl().replace(":" + container.port() + "/", ":" + port + "/");
        return DriverManager.getConnection(url, container.user(), container.password());
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
