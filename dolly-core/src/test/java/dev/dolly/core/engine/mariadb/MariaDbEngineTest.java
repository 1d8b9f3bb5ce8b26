package dev.dolly.core.engine.mariadb;

import dev.dolly.api.DollyException;
import dev.dolly.core.engine.Endpoint;
import dev.dolly.core.engine.EngineInstallation;
import dev.dolly.core.engine.EngineUser;
import dev.dolly.core.engine.LoadPlan;
import dev.dolly.core.engine.ProgressListener;
import dev.dolly.core.engine.ServerSettings;
import dev.dolly.core.runtime.LocalProcessRuntime;
import dev.dolly.core.storage.FileTrees;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Runs real MariaDB servers of the bundled release, fetched from Maven Central into the shared download cache of the
 * tests (once) and unpacked for this class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MariaDbEngineTest
{
    private static final String PASSWORD = "s3cret 'quoted\\ pass";

    private Path base;
    private MariaDbEngine engine;
    private EngineInstallation installation;
    private Path image;
    private Endpoint superuser;
    private final List<String> progress = new ArrayList<>();

    @BeforeAll
    void buildImage()
            throws IOException
    {
        base = Files.createTempDirectory("dolly-mariadb-test");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwx--x--x"));
        Path cache = Path.of(System.getProperty("java.io.tmpdir"), "dolly-it-download-cache");
        MariaDbBinaries binaries = new MariaDbBinaries(base.resolve("engines"), cache, URI.create("https://repo1.maven.org/maven2/"), base.resolve("m2"), List.of(), Map.of());
        engine = new MariaDbEngine(MariaDbEngine.MYSQL, binaries, EngineUser.resolve("dolly"), base.resolve("run"));
        installation = engine.install("8.0", progress::add);

        image = directory("image");
        engine.initialize(installation, image, PASSWORD);
        int port = freePort();
        engine.start(installation, image, new ServerSettings("127.0.0.1", port, engine.buildParameters(), base.resolve("logs/image.log")));
        superuser = new Endpoint("127.0.0.1", port, engine.defaultUser(), PASSWORD, engine.defaultDatabase());
    }

    @AfterAll
    void stopServers()
    {
        if (engine != null && image != null) {
            engine.stop(installation, image);
        }
        if (base != null) {
            FileTrees.deleteRecursively(base);
        }
    }

    @Test
    void mysqlRunsOnTheBundledMariaDb()
            throws SQLException
    {
        assertThat(installation.engine()).isEqualTo("mysql");
        assertThat(installation.version()).isEqualTo("11.4.5-MariaDB");
        assertThat(engine.resolveVersion("5.7")).isEqualTo("11.4.5-MariaDB");
        assertThat(engine.serverVersion(superuser)).isEqualTo("11.4.5-MariaDB");
        assertThat(engine.isRunning(installation, image)).isTrue();
        assertThat(query(superuser, "SELECT @@bind_address")).isEqualTo("127.0.0.1");
        assertThat(query(superuser, "SELECT @@innodb_flush_log_at_trx_commit")).isEqualTo("0");
        assertThat(query(superuser, "SELECT @@character_set_server")).isEqualTo("utf8mb4");
        assertThatThrownBy(() -> engine.resolveVersion("2.1")).isInstanceOf(DollyException.class).hasMessageContaining("MySQL 2.1 does not exist");
    }

    @Test
    void theDataUserLogsInOverTcpWithItsPasswordOnly()
    {
        assertThatThrownBy(() -> query(withPassword(superuser, "wrong"), "SELECT 1"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("Access denied");
    }

    @Test
    void rootIsNotReachableOverTcp()
    {
        for (String password : List.of("", PASSWORD)) {
            Endpoint root = new Endpoint(superuser.host(), superuser.port(), "root", password, "");
            assertThatThrownBy(() -> query(root, "SELECT 1"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("Access denied");
        }
    }

    @Test
    void serverRunsAsTheEngineUserWithItsSocketOutsideTheData()
            throws IOException
    {
        EngineUser engineUser = EngineUser.resolve("dolly");
        // the pid file says 1 in a PID namespace of its own: the runtime knows the process as the daemon sees it
        long pid = LocalProcessRuntime.standalone().server(image, Optional::empty).orElseThrow().pid();
        assertThat(ProcessHandle.of(pid).flatMap(process -> process.info().user())).contains(engineUser.name());
        assertThat(Files.getPosixFilePermissions(image)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        // the socket is in the run directory, under the port: no clone of the data directory carries it along
        assertThat(base.resolve("run").resolve(superuser.port() + "/server.sock")).exists();
        try (var files = Files.walk(image)) {
            assertThat(files.map(Path::toString)).noneMatch(name -> name.endsWith(".sock"));
        }
    }

    /** Files the server reads and writes for SQL only in a directory of its own, and never the client's. */
    @Test
    void serverFilesAreConfinedToItsOwnDirectory()
            throws SQLException
    {
        String confined = query(superuser, "SELECT @@secure_file_priv");
        assertThat(confined).doesNotContain(image.toString());
        assertThat(Path.of(confined.strip())).isDirectory();
        assertThat(query(superuser, "SELECT @@local_infile").strip()).isEqualTo("0");
        assertThatThrownBy(() -> query(superuser, "SELECT 'x' INTO DUMPFILE '" + base.resolve("outside.txt") + "'"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("secure-file-priv");
    }

    @Test
    void loadsDumpsScriptsAndReportsTheFailingLine()
            throws IOException, SQLException
    {
        Path dump = base.resolve("dump.sql");
        Files.writeString(dump, """
                DROP DATABASE IF EXISTS `shop`;
                CREATE DATABASE `shop`;
                USE `shop`;
                CREATE TABLE item (id INT PRIMARY KEY, name VARCHAR(20)) ENGINE=InnoDB;
                INSERT INTO item VALUES (1, 'café'), (2, 'tea');
                """);
        Path broken = base.resolve("broken.sql");
        Files.writeString(broken, "USE `shop`;\nINSERT INTO item VALUES (3, 'ok');\nINSERT INTO item VALUES (4 'missing comma');\n");

        String database = engine.load(installation, superuser, plan(Optional.empty(), List.of(dump)), progress::add);
        assertThat(database).isEqualTo("shop");
        assertThat(query(superuser.withDatabase("shop"), "SELECT GROUP_CONCAT(name ORDER BY id) FROM item")).isEqualTo("café,tea");

        assertThatThrownBy(() -> engine.load(installation, superuser, plan(Optional.of("shop"), List.of(broken)), ProgressListener.NONE))
                .isInstanceOf(DollyException.class)
                .hasMessageContaining("broken.sql failed at line 3: ERROR 1064 (42000)");
        assertThat(engine.load(installation, superuser, new LoadPlan(Optional.of("empty_one"), Optional.empty(), List.of(), List.of(), Optional.empty()), ProgressListener.NONE))
                .isEqualTo("empty_one");
        assertThat(query(superuser, "SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = 'empty_one'")).isEqualTo("1");
    }

    @Test
    void aSealedCopyStartsAsAContainerWithItsOwnPassword()
            throws IOException, InterruptedException, SQLException
    {
        // an image of its own, so that the other tests keep their server
        Path source = directory("source");
        engine.initialize(installation, source, PASSWORD);
        int port = freePort();
        engine.start(installation, source, new ServerSettings("127.0.0.1", port, engine.buildParameters(), base.resolve("logs/source.log")));
        Endpoint sourceUser = new Endpoint("127.0.0.1", port, engine.defaultUser(), PASSWORD, "");
        Path script = base.resolve("numbers.sql");
        Files.writeString(script, "CREATE TABLE numbers (n INT PRIMARY KEY) ENGINE=InnoDB;\nINSERT INTO numbers SELECT seq FROM seq_1_to_1000;\n");
        assertThat(engine.load(installation, sourceUser, plan(Optional.of("data"), List.of(script)), ProgressListener.NONE)).isEqualTo("data");
        engine.seal(sourceUser);
        engine.stop(installation, source);
        assertThat(engine.isRunning(installation, source)).isFalse();
        assertThat(source.resolve("dolly-server.pid")).doesNotExist();
        Files.setPosixFilePermissions(source, PosixFilePermissions.fromString("r-x------"));
        assertThatThrownBy(() -> engine.start(installation, source, new ServerSettings("127.0.0.1", freePort(), Map.of(), base.resolve("logs/sealed.log"))))
                .hasMessageContaining("is a sealed image");

        Path clone = base.resolve("clone");
        Process copy = new ProcessBuilder("cp", "-a", source.toString(), clone.toString()).inheritIO().start();
        assertThat(copy.waitFor()).isZero();
        Files.setPosixFilePermissions(clone, PosixFilePermissions.fromString("rwx------"));
        int clonePort = freePort();
        Endpoint asImage = new Endpoint("127.0.0.1", clonePort, engine.defaultUser(), PASSWORD, "");
        engine.startWithNewPassword(installation, clone, new ServerSettings("127.0.0.1", clonePort, Map.of(), base.resolve("logs/clone.log")), asImage,
                engine.defaultUser(), "container-password");
        try {
            // the new password came in an init file, which is gone once the server answers
            assertThat(base.resolve("run").resolve(clonePort + "/init.sql")).doesNotExist();
            Endpoint container = new Endpoint("127.0.0.1", clonePort, engine.defaultUser(), "container-password", "data");
            assertThat(query(container, "SELECT COUNT(*) FROM numbers")).isEqualTo("1000");
            assertThatThrownBy(() -> query(asImage.withDatabase("data"), "SELECT 1")).hasMessageContaining("Access denied");
            // the clone started from a clean shutdown: no crash recovery
            assertThat(Files.readString(base.resolve("logs/clone.log"))).doesNotContain("crash recovery").doesNotContain("Starting recovery");
            assertThat(query(container, "SELECT @@innodb_flush_log_at_trx_commit")).isEqualTo("1");
        }
        finally {
            engine.stop(installation, clone);
        }
        // the socket's directory goes with the server
        assertThat(base.resolve("run").resolve(String.valueOf(clonePort))).doesNotExist();
        assertThat(base.resolve("run").resolve(String.valueOf(port))).doesNotExist();
    }

    private static LoadPlan plan(Optional<String> database, List<Path> scripts)
    {
        return new LoadPlan(database, Optional.empty(), List.of(), scripts, Optional.empty());
    }

    private Path directory(String name)
            throws IOException
    {
        Path directory = base.resolve(name);
        Files.createDirectories(directory);
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx--x--x"));
        return directory;
    }

    private static Endpoint withPassword(Endpoint endpoint, String password)
    {
        return new Endpoint(endpoint.host(), endpoint.port(), endpoint.user(), password, endpoint.database());
    }

    private static String query(Endpoint endpoint, String sql)
            throws SQLException
    {
        String url = "jdbc:mariadb://" + endpoint.host() + ":" + endpoint.port() + "/" + endpoint.database();
        try (Connection connection = DriverManager.getConnection(url, endpoint.user(), endpoint.password());
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }

    private static int freePort()
    {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
