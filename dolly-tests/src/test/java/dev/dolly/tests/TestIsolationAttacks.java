package dev.dolly.tests;

import dev.dolly.api.DataContainer;
import dev.dolly.api.DataImage;
import dev.dolly.api.ResourceStatus;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10's attacks, end to end: two users of one root daemon, alice and bob, each with a PostgreSQL and a MariaDB
 * container of their own image; from alice's containers, as their superusers, every attack on bob's files and
 * processes, on the daemon's files, on what the daemon later opens, on the settings Dolly relies on, and on root must
 * fail. Each attack has a positive control: the same statement on alice's own files works, so that no attack passes
 * because its statement was broken. The attacks of one test are soft assertions: a failing run lists every attack
 * that succeeded, not only the first. One daemon per storage driver serves both engines.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(DriverUnderTest.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestIsolationAttacks
        extends DaemonOnDriver
{
    /** How a refused file operation reads, whichever layer refuses it (permissions, a mount namespace, MariaDB's secure_file_priv). */
    private static final Pattern REFUSED = Pattern.compile(
            "(?is).*(permission denied|no such file|not a directory|could not (open|stat|read|access)|operation not permitted|read-only file system|secure.file.priv|errcode: (2|13)\\b|cannot|denied).*");
    private static final String ALICE_PASSWORD = "alice's long password";
    private static final String BOB_PASSWORD = "bob's long password!";

    private Cli alice;
    private Cli bob;
    private DataContainer alicePostgres;
    private DataContainer aliceMariaDb;
    private DataContainer bobPostgres;
    private DataContainer bobMariaDb;
    private DataImage bobPostgresImage;
    private DataImage bobMariaDbImage;
    private Path bobsDump;

    @Override
    String exampleImage()
    {
        // the administrator's image: small, so that the daemon of each driver starts fast
        return "scripts/image.yaml";
    }

    @BeforeParameterizedClassInvocation
    void startContainersOfTwoUsers()
            throws Exception
    {
        if (!"root".equals(System.getProperty("user.name"))) {
            String message = "The isolation attacks need a daemon running as root, which isolates users: run the tests as root (./run-tests does).";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(message);
            }
            Assumptions.abort(message);
        }
        for (String[] user : new String[][] {{"alice", ALICE_PASSWORD}, {"bob", BOB_PASSWORD}}) {
            dolly.succeedWithStdin(user[1] + "\n", "create", "user", user[0], "--password-stdin");
        }
        alice = signIn("alice", ALICE_PASSWORD);
        bob = signIn("bob", BOB_PASSWORD);

        alice.succeed("create", "data-image", "-f", emptyImage("alice-postgres", "postgresql").toString(), "-q");
        alice.succeed("create", "data-image", "-f", emptyImage("alice-mariadb", "mariadb").toString(), "-q");
        bob.succeed("create", "data-image", "-f", emptyImage("bob-postgres", "postgresql").toString(), "-q");
        bob.succeed("create", "data-image", "-f", emptyImage("bob-mariadb", "mariadb").toString(), "-q");
        bobPostgresImage = bob.json(DataImage.class, "get", "data-image", "bob-postgres");
        bobMariaDbImage = bob.json(DataImage.class, "get", "data-image", "bob-mariadb");

        alicePostgres = alice.json(DataContainer.class, "create", "data-container", "-i", "alice-postgres", "-n", "alice-pg");
        aliceMariaDb = alice.json(DataContainer.class, "create", "data-container", "-i", "alice-mariadb", "-n", "alice-maria");
        bobPostgres = bob.json(DataContainer.class, "create", "data-container", "-i", "bob-postgres", "-n", "bob-pg");
        bobMariaDb = bob.json(DataContainer.class, "create", "data-container", "-i", "bob-mariadb", "-n", "bob-maria");
        try (Connection connection = TestImagesAndContainers.connect(bobPostgres); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE bobs_secret (body text)");
            statement.execute("INSERT INTO bobs_secret VALUES ('only bob may read this')");
        }
        // a file bob's MariaDB server wrote, readable by all as MariaDB writes them: LOAD_FILE reads only such files
        try (Connection connection = TestMySql.connect(bobMariaDb); Statement statement = connection.createStatement()) {
            bobsDump = Path.of(allowedFileDirectory(statement) + "bobs-dump.txt");
            statement.execute("SELECT 'only bob may read this' INTO DUMPFILE " + PostgresSuperuser.literal(bobsDump.toString()));
        }
        // a revision of bob's: its volume is one more thing of bob's that alice must not reach
        assertThat(bob.succeed("save", "data-container", "bob-pg", "-q").stdout().strip()).isEqualTo("rev.1");
    }

    /** A CLI of its own for a user (its own DOLLY_CONFIG), signed in over HTTP with the password on stdin. */
    private Cli signIn(String user, String password)
            throws IOException
    {
        Cli cli = dolly.with(Map.of("DOLLY_CONFIG", daemon.home().getParent().resolve(user + "-config").toString()));
        cli.succeedWithStdin(password + "\n", "auth", "login", "--server", daemon.address().url(), "--username", user, "--password-stdin");
        return cli;
    }

    private Path emptyImage(String name, String engine)
            throws IOException
    {
        Path directory = Files.createDirectories(daemon.home().getParent().resolve("definitions").resolve(name));
        Path definition = directory.resolve("image.yaml");
        Files.writeString(definition, "name: " + name + "\nsourceType: empty\nengine: " + engine + "\ninitialDatabaseName: app\n");
        return definition;
    }

    @Test
    @Order(1)
    void aPostgresSuperuserCannotReadListOrWriteAnotherUsersFiles()
            throws Exception
    {
        Path bobData = dataDirectory(bobPostgres);
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("bob's data directory", bobData.resolve("PG_VERSION"));
        files.put("bob's control file", bobData.resolve("global/pg_control"));
        files.put("bob's revision", fileUnder(daemon.home().resolve("storage/revisions/" + bobPostgres.id()), "PG_VERSION"));
        files.put("bob's image", fileUnder(daemon.home().resolve("storage/images/" + bobPostgresImage.id()), "PG_VERSION"));
        files.put("bob's MariaDB data directory", fileUnder(dataDirectory(bobMariaDb), "aria_log_control"));
        files.put("bob's MariaDB image", fileUnder(daemon.home().resolve("storage/images/" + bobMariaDbImage.id()), "aria_log_control"));
        files.put("bob's log", engineLog(bobPostgres));
        files.put("bob's MariaDB log", engineLog(bobMariaDb));
        files.put("bob's dump", bobsDump);
        Map<String, Path> directories = new LinkedHashMap<>();
        directories.put("bob's data directory", bobData);
        directories.put("bob's revision", files.get("bob's revision").getParent());
        directories.put("bob's image", files.get("bob's image").getParent());
        directories.put("bob's MariaDB data directory", dataDirectory(bobMariaDb));
        directories.put("bob's MariaDB socket directory", mariaDbSocketDirectory(bobMariaDb));
        assertThat(Stream.concat(files.values().stream(), directories.values().stream())).allSatisfy(path -> assertThat(onHost(path)).exists());
        writeBobsNotes(bobPostgres);
        writeBobsNotes(bobMariaDb);

        try (PostgresSuperuser superuser = new PostgresSuperuser(alicePostgres)) {
            // positive controls: every statement works on alice's own files
            String own = superuser.show("data_directory");
            assertThat(superuser.readFile(own + "/PG_VERSION").result()).matches("\\d+\n");
            assertThat(superuser.readBinaryFile(own + "/global/pg_control").succeeded()).isTrue();
            assertThat(superuser.listDirectory(own).result()).contains("PG_VERSION");
            assertThat(superuser.writeFile(own + "/alices-own-file", "alice's own").succeeded()).isTrue();
            assertThat(superuser.readFile(own + "/alices-own-file").result()).isEqualTo("alice's own\n");
            assertThat(superuser.succeed("cat PG_VERSION > /dev/null && ls -a . && echo alice >> alices-own-file && cat alices-own-file"))
                    .contains("PG_VERSION").endsWith("alice's own\nalice");

            SoftAssertions softly = new SoftAssertions();
            for (Map.Entry<String, Path> file : files.entrySet()) {
                String path = file.getValue().toString();
                refused(softly, "pg_read_binary_file on " + file.getKey(), superuser.readBinaryFile(path));
                refused(softly, "cat of " + file.getKey(), superuser.shell("cat " + quoted(path) + " > /dev/null"));
            }
            // writing: to files of bob's that his servers do not need (alice's attacks must not break bob's servers when they succeed)
            for (Path file : List.of(bobsNotes(bobPostgres), bobsNotes(bobMariaDb), engineLog(bobPostgres), engineLog(bobMariaDb))) {
                refused(softly, "appending to " + file, superuser.shell("echo 'appended by alice' >> " + quoted(file.toString())));
                softly.assertThat(contains(file, "appended by alice")).as("%s after alice appended to it", file).isFalse();
            }
            for (Path file : List.of(bobsNotes(bobPostgres), bobsNotes(bobMariaDb))) {
                refused(softly, "COPY TO " + file, superuser.writeFile(file.toString(), "overwritten by alice"));
                softly.assertThat(contains(file, "overwritten by alice")).as("%s after alice's COPY TO", file).isFalse();
            }
            for (Map.Entry<String, Path> directory : directories.entrySet()) {
                String path = directory.getValue().toString();
                refused(softly, "pg_ls_dir of " + directory.getKey(), superuser.listDirectory(path));
                refused(softly, "ls of " + directory.getKey(), superuser.shell("ls -a " + quoted(path)));
                refused(softly, "COPY TO a new file in " + directory.getKey(), superuser.writeFile(path + "/planted-by-alice", "planted by alice"));
                refused(softly, "a link planted in " + directory.getKey(), superuser.shell("ln -s /etc/passwd " + quoted(path + "/linked-by-alice")));
                softly.assertThat(onHost(directory.getValue()).resolve("planted-by-alice")).as("alice's file in %s", directory.getKey()).doesNotExist();
                softly.assertThat(Files.exists(onHost(directory.getValue()).resolve("linked-by-alice"), LinkOption.NOFOLLOW_LINKS)).as("alice's link in %s", directory.getKey()).isFalse();
            }
            // the engine logs' directory: whether or not alice may list it, she learns nothing of bob's containers there
            PostgresSuperuser.Attempt logs = superuser.listDirectory(daemon.home().resolve("logs/engines").toString());
            softly.assertThat(logs.succeeded() ? logs.result() : "").as("the engine logs alice lists")
                    .doesNotContain("container-" + bobPostgres.id() + ".log").doesNotContain("container-" + bobMariaDb.id() + ".log");
            softly.assertAll();
        }
        try (Connection connection = TestImagesAndContainers.connect(bobPostgres); Statement statement = connection.createStatement()) {
            assertThat(TestImagesAndContainers.count(statement, "SELECT count(*) FROM bobs_secret")).isEqualTo(1);
        }
    }

    @Test
    @Order(2)
    void aPostgresSuperuserCannotSeeOrSignalOtherProcesses()
            throws Exception
    {
        Map<String, Long> targets = new LinkedHashMap<>();
        targets.put("the daemon", daemon.pid());
        List<ProcessHandle> bobsServers = serverProcesses(bobPostgres);
        assertThat(bobsServers).as("bob's PostgreSQL processes").isNotEmpty();
        for (ProcessHandle process : bobsServers) {
            targets.put("bob's postgres process " + process.pid(), process.pid());
        }
        List<ProcessHandle> bobsMariaDb = serverProcesses(bobMariaDb);
        assertThat(bobsMariaDb).as("bob's MariaDB server").hasSize(1);
        targets.put("bob's MariaDB server", bobsMariaDb.getFirst().pid());
        Map<String, String> commandLines = new LinkedHashMap<>();
        for (Map.Entry<String, Long> target : targets.entrySet()) {
            commandLines.put(target.getKey(), commandLine(target.getValue()));
        }
        assertThat(commandLines.get("the daemon")).contains("dev.dolly.daemon.DaemonMain");

        try (PostgresSuperuser superuser = new PostgresSuperuser(alicePostgres)) {
            // positive controls: alice sees and signals her own processes
            List<String> own = superuser.succeed("echo $$; ls /proc").lines().toList();
            assertThat(own.subList(1, own.size())).contains(own.getFirst());
            assertThat(superuser.succeed("kill -0 $PPID && tr '\\0' ' ' < /proc/$PPID/cmdline")).contains("postgres");
            assertThat(superuser.succeed("ps -e -o pid=,args=")).contains("postgres");

            SoftAssertions softly = new SoftAssertions();
            Set<String> listed = Set.copyOf(superuser.succeed("ls /proc").lines().toList());
            String processes = superuser.succeed("ps -e -o pid=,args=");
            for (Map.Entry<String, Long> target : targets.entrySet()) {
                long pid = target.getValue();
                String hostCommandLine = commandLines.get(target.getKey());
                // in a PID namespace of its own, alice may well have a process of that number: it must not be this one
                PostgresSuperuser.ShellResult seen = superuser.shell("tr '\\0' ' ' < /proc/" + pid + "/cmdline");
                boolean sameProcess = seen.exitCode() == 0 && seen.output().strip().equals(hostCommandLine.strip());
                boolean anotherProcess = seen.exitCode() == 0 && !seen.output().isBlank() && !sameProcess;
                softly.assertThat(sameProcess && listed.contains(String.valueOf(pid))).as("ls /proc shows %s (pid %s)", target.getKey(), pid).isFalse();
                softly.assertThat(sameProcess).as("/proc/%s/cmdline shows %s: %s", pid, target.getKey(), seen.output()).isFalse();
                PostgresSuperuser.ShellResult signalled = superuser.shell("kill -0 " + pid);
                softly.assertThat(signalled.exitCode() != 0 || anotherProcess).as("kill -0 %s (%s) succeeded", pid, target.getKey()).isTrue();
            }
            softly.assertThat(processes.contains("dev.dolly.daemon.DaemonMain")).as("ps -e shows the daemon").isFalse();
            softly.assertThat(processes.contains(volume(bobPostgres).toString())).as("ps -e shows bob's PostgreSQL server").isFalse();
            softly.assertThat(processes.contains(volume(bobMariaDb).toString())).as("ps -e shows bob's MariaDB server").isFalse();
            softly.assertAll();
        }
        assertThat(serverProcesses(bobPostgres)).isNotEmpty().allMatch(ProcessHandle::isAlive);
        assertThat(daemon.address().url()).isNotBlank();
    }

    @Test
    @Order(3)
    void aPostgresSuperuserCannotReadTheDaemonsFiles()
            throws Exception
    {
        Path upload = plantUpload();
        try (PostgresSuperuser superuser = new PostgresSuperuser(alicePostgres)) {
            String own = superuser.show("data_directory");
            assertThat(superuser.readBinaryFile(own + "/global/pg_control").succeeded()).isTrue();
            assertThat(superuser.listDirectory(own).succeeded()).isTrue();

            Map<String, Path> files = daemonFiles(upload);
            SoftAssertions softly = new SoftAssertions();
            for (Map.Entry<String, Path> file : files.entrySet()) {
                String path = file.getValue().toString();
                refused(softly, "pg_read_binary_file on " + file.getKey(), superuser.readBinaryFile(path));
                refused(softly, "cat of " + file.getKey(), superuser.shell("cat " + quoted(path) + " > /dev/null"));
            }
            for (Path directory : List.of(daemon.home(), upload.getParent().getParent(), upload.getParent())) {
                refused(softly, "pg_ls_dir of " + directory, superuser.listDirectory(directory.toString()));
            }
            // the names of cached downloads are no secret; their contents, and room to plant files among them, are
            for (Path directory : List.of(daemon.home(), upload.getParent(), downloadCache(), daemon.home().resolve("engines"))) {
                refused(softly, "COPY TO a new file in " + directory, superuser.writeFile(directory.resolve("planted-by-alice").toString(), "planted"));
                softly.assertThat(directory.resolve("planted-by-alice")).doesNotExist();
            }
            softly.assertAll();
            // the attacks read real files: they are all still there
            assertThat(files.values()).allSatisfy(file -> assertThat(file).isRegularFile());
        }
        finally {
            deleteTree(upload.getParent());
        }
    }

    @Test
    @Order(4)
    void aMariaDbUserCannotReachFilesBeyondItsContainer()
            throws Exception
    {
        Path upload = plantUpload();
        try (Connection connection = TestMySql.connect(aliceMariaDb); Statement statement = connection.createStatement()) {
            String allowed = allowedFileDirectory(statement);
            String pluginDirectory = value(statement, "SELECT @@plugin_dir");
            statement.execute("CREATE TABLE loaded (line LONGBLOB)");

            // positive controls: each statement works on alice's own files
            String control = allowed + "alice-control-" + System.nanoTime();
            statement.execute("SELECT 'alice''s own' INTO DUMPFILE " + PostgresSuperuser.literal(control));
            assertThat(value(statement, "SELECT LOAD_FILE(" + PostgresSuperuser.literal(control) + ")")).isEqualTo("alice's own");
            statement.execute("SELECT 'alice''s outfile' INTO OUTFILE " + PostgresSuperuser.literal(control + ".out"));
            assertThat(statement.executeUpdate("LOAD DATA INFILE " + PostgresSuperuser.literal(control + ".out") + " INTO TABLE loaded (line)")).isEqualTo(1);
            assertThat(value(statement, "SELECT CAST(line AS CHAR) FROM loaded")).isEqualTo("alice's outfile");

            Map<String, Path> files = new LinkedHashMap<>(daemonFiles(upload));
            files.put("bob's PostgreSQL data directory", dataDirectory(bobPostgres).resolve("PG_VERSION"));
            files.put("bob's MariaDB data directory", fileUnder(dataDirectory(bobMariaDb), "aria_log_control"));
            files.put("bob's MariaDB image", fileUnder(daemon.home().resolve("storage/images/" + bobMariaDbImage.id()), "aria_log_control"));
            files.put("bob's revision", fileUnder(daemon.home().resolve("storage/revisions/" + bobPostgres.id()), "PG_VERSION"));
            files.put("bob's MariaDB log", engineLog(bobMariaDb));
            files.put("bob's dump", bobsDump);
            files.put("the daemon's environment", Path.of("/proc/" + daemon.pid() + "/environ"));
            Map<String, Path> directories = new LinkedHashMap<>();
            directories.put("bob's MariaDB data directory", dataDirectory(bobMariaDb));
            directories.put("bob's MariaDB socket directory", mariaDbSocketDirectory(bobMariaDb));
            directories.put("bob's PostgreSQL data directory", dataDirectory(bobPostgres));
            directories.put("the engine logs", daemon.home().resolve("logs/engines"));
            directories.put("the daemon's home", daemon.home());
            directories.put("the plugin directory", Path.of(pluginDirectory));
            assertThat(files.values()).allSatisfy(path -> assertThat(path).exists());

            SoftAssertions softly = new SoftAssertions();
            for (Map.Entry<String, Path> file : files.entrySet()) {
                String path = PostgresSuperuser.literal(file.getValue().toString());
                softly.assertThat(value(statement, "SELECT LOAD_FILE(" + path + ") IS NULL")).as("LOAD_FILE of %s is NULL", file.getKey()).isEqualTo("1");
                refused(softly, "LOAD DATA INFILE of " + file.getKey(), attempt(statement, "LOAD DATA INFILE " + path + " INTO TABLE loaded (line)"));
            }
            for (Map.Entry<String, Path> directory : directories.entrySet()) {
                Path dumpFile = directory.getValue().resolve("dumped-by-alice.so");
                Path outFile = directory.getValue().resolve("written-by-alice");
                refused(softly, "INTO DUMPFILE in " + directory.getKey(),
                        attempt(statement, "SELECT 'planted' INTO DUMPFILE " + PostgresSuperuser.literal(dumpFile.toString())));
                refused(softly, "INTO OUTFILE in " + directory.getKey(),
                        attempt(statement, "SELECT 'planted' INTO OUTFILE " + PostgresSuperuser.literal(outFile.toString())));
                softly.assertThat(onHost(dumpFile)).as("alice's dump file in %s", directory.getKey()).doesNotExist();
                softly.assertThat(onHost(outFile)).as("alice's out file in %s", directory.getKey()).doesNotExist();
            }
            // plugins: none can be loaded from a path, and none was planted where plugins are looked for
            Attempt fromPath = attempt(statement, "INSTALL SONAME " + PostgresSuperuser.literal(control));
            softly.assertThat(fromPath.result()).as("INSTALL SONAME from alice's own directory").containsIgnoringCase("No paths allowed");
            Attempt planted = attempt(statement, "INSTALL SONAME 'dumped-by-alice'");
            softly.assertThat(planted.succeeded()).as("INSTALL SONAME of a library alice planted: %s", planted.result()).isFalse();
            // LOAD DATA LOCAL: the server refuses it, whatever the client allows
            softly.assertThat(value(statement, "SELECT @@local_infile")).as("@@local_infile").isEqualTo("0");
            softly.assertAll();
        }
        finally {
            deleteTree(upload.getParent());
        }
        Path clientFile = Files.writeString(daemon.home().getParent().resolve("client-file.csv"), "from the client\n");
        String url = aliceMariaDb.jdbcUrl() + (aliceMariaDb.jdbcUrl().startsWith("jdbc:mysql:") ? "?permitMysqlScheme&allowLocalInfile=true" : "?allowLocalInfile=true");
        try (Connection connection = DriverManager.getConnection(url, aliceMariaDb.user(), aliceMariaDb.password()); Statement statement = connection.createStatement()) {
            Attempt local = attempt(statement, "LOAD DATA LOCAL INFILE " + PostgresSuperuser.literal(clientFile.toString()) + " INTO TABLE loaded (line)");
            assertThat(local.succeeded()).as("LOAD DATA LOCAL INFILE").isFalse();
            assertThat(local.result()).containsIgnoringCase("not allowed");
        }
    }

    @Test
    @Order(5)
    void linksPlantedInAContainerNeverMakeTheDaemonTouchFilesOutsideIt()
            throws Exception
    {
        SoftAssertions softly = new SoftAssertions();
        for (String operation : List.of("save", "load", "reset", "delete")) {
            String name = "alice-links-" + operation;
            DataContainer container = alice.json(DataContainer.class, "create", "data-container", "-i", "alice-postgres", "-n", name);
            if (operation.equals("load")) {
                alice.succeed("save", "data-container", name, "-q");
            }
            Path canaries = Files.createTempDirectory(daemon.home().getParent(), "canaries-" + operation + "-");
            Map<String, Path> links = new LinkedHashMap<>();
            try (PostgresSuperuser superuser = new PostgresSuperuser(container)) {
                String own = superuser.show("data_directory");
                for (String file : List.of("postgresql.conf", "postgresql.auto.conf", "pg_hba.conf", "postmaster.opts", "dolly.conf", "pg_hba.conf.dolly-new")) {
                    links.put(own + "/" + file, canaries.resolve(file));
                }
                if (operation.equals("delete")) {
                    // only here: a server whose pid file is a link must still be stopped and deleted (elsewhere it would stop the operation before the other links matter)
                    links.put(own + "/postmaster.pid", canaries.resolve("postmaster.pid"));
                }
                links.put(engineLog(container).toString(), canaries.resolve("log"));
                for (Path canary : links.values()) {
                    Files.writeString(canary, "canary " + canary.getFileName() + "\n");
                    Files.setPosixFilePermissions(canary, PosixFilePermissions.fromString("rw-------"));
                }
                Map<Path, String> before = states(links.values());
                // the attack: every file the daemon might open, replaced by a link to a root-owned file elsewhere
                List<String> planted = new ArrayList<>();
                for (Map.Entry<String, Path> link : links.entrySet()) {
                    if (superuser.shell("ln -sfn " + quoted(link.getValue().toString()) + " " + quoted(link.getKey())).exitCode() == 0) {
                        planted.add(link.getKey());
                    }
                }
                // the positive control: the links are there (at least those of alice's own data directory)
                assertThat(planted).as("links alice planted in her data directory").contains(own + "/postgresql.conf", own + "/postgresql.auto.conf");
                System.out.printf("%s %s: links planted: %s%n", driver, operation, planted);

                Cli.Result result = switch (operation) {
                    case "save" -> alice.run("save", "data-container", name);
                    case "load" -> alice.run("load", "data-container", name, "-r", "rev.1");
                    case "reset" -> alice.run("reset", "data-container", name);
                    default -> alice.run("delete", "data-container", name);
                };
                System.out.printf("%s %s with planted links: exit %d %s%n", driver, operation, result.exitCode(), result.stderr().strip());
                softly.assertThat(states(links.values())).as("the canaries after %s", operation).isEqualTo(before);
            }
            finally {
                // nothing half-made: the container goes, and with it every process and file of it, the canaries stay
                if (alice.run("get", "data-container", name).exitCode() == 0) {
                    Cli.Result deleted = alice.run("delete", "data-container", name);
                    softly.assertThat(deleted.exitCode()).as("delete of %s after %s: %s", name, operation, deleted.stderr()).isZero();
                }
                List<ProcessHandle> left = serverProcesses(container);
                softly.assertThat(left).as("processes of %s after %s", name, operation).isEmpty();
                if (!left.isEmpty() || alice.run("get", "data-container", name).exitCode() == 0) {
                    // what the attack left behind, removed by the test, so that the next container starts cleanly
                    stop(left);
                    for (String link : links.keySet()) {
                        if (Files.isSymbolicLink(Path.of(link))) {
                            Files.delete(Path.of(link));
                        }
                    }
                    if (alice.run("get", "data-container", name).exitCode() == 0) {
                        alice.succeed("delete", "data-container", name);
                    }
                }
                softly.assertThat(volume(container)).as("volume of %s after %s", name, operation).doesNotExist();
                softly.assertThat(links.values()).as("the canaries after %s", operation).allSatisfy(canary -> assertThat(canary).isRegularFile());
                deleteTree(canaries);
            }
        }
        softly.assertAll();
    }

    @Test
    @Order(6)
    void aContainerCannotBecomeRootOrAnotherContainer()
            throws Exception
    {
        Map<String, Long> others = new LinkedHashMap<>();
        others.put("bob's PostgreSQL container", uid(serverProcesses(bobPostgres).getFirst()));
        others.put("bob's MariaDB container", uid(serverProcesses(bobMariaDb).getFirst()));
        others.put("alice's MariaDB container", uid(serverProcesses(aliceMariaDb).getFirst()));
        List<String> daemonPath = List.of(environment(daemon.pid()).getOrDefault("PATH", "").split(":"));
        assertThat(daemonPath).isNotEmpty();

        try (PostgresSuperuser superuser = new PostgresSuperuser(alicePostgres)) {
            long uid = Long.parseLong(superuser.succeed("id -u").strip());
            // positive controls: the tools run, and alice may write where her server writes
            assertThat(superuser.succeed("setpriv --reuid=" + uid + " id -u").strip()).isEqualTo(String.valueOf(uid));
            assertThat(superuser.succeed("[ -w . ] && echo writable")).isEqualTo("writable");

            SoftAssertions softly = new SoftAssertions();
            softly.assertThat(uid).as("the uid of alice's PostgreSQL server").isNotZero();
            others.forEach((label, other) -> softly.assertThat(uid).as("the uid of alice's PostgreSQL server against %s", label).isNotEqualTo(other));
            softly.assertThat(superuser.shell("sudo -n true").exitCode()).as("sudo -n true").isNotZero();
            softly.assertThat(superuser.shell("su root -c 'id -u' < /dev/null").output()).as("su root").doesNotContain("\n0").isNotEqualTo("0");
            softly.assertThat(superuser.shell("setpriv --reuid=0 id -u").exitCode()).as("setpriv to root").isNotZero();
            for (Map.Entry<String, Long> other : others.entrySet()) {
                softly.assertThat(superuser.shell("setpriv --reuid=" + other.getValue() + " id -u").exitCode())
                        .as("setpriv to %s", other.getKey()).isNotZero();
            }
            // set-user-ID programs are there on any system: they must not raise a process that cannot gain privileges
            String noNewPrivileges = superuser.succeed("grep NoNewPrivs /proc/self/status");
            String setUserIdPrograms = superuser.succeed("find /usr/bin /usr/sbin /bin /sbin -xdev -perm -4000 -user root -type f 2>/dev/null; true");
            softly.assertThat(noNewPrivileges.endsWith("1") || setUserIdPrograms.isBlank())
                    .as("%s, set-user-ID programs: %s", noNewPrivileges, setUserIdPrograms.replace('\n', ' ')).isTrue();
            String writable = superuser.succeed(daemonPath.stream().map(directory -> "if [ -w " + quoted(directory) + " ]; then echo " + quoted(directory) + "; fi")
                    .collect(Collectors.joining("; ")) + "; true");
            softly.assertThat(writable).as("directories of the daemon's PATH that alice may write").isEmpty();
            softly.assertAll();
        }
    }

    @Test
    @Order(7)
    void settingsDollyReliesOnCannotBeOverridden()
            throws Exception
    {
        String name = "alice-settings";
        DataContainer container = alice.json(DataContainer.class, "create", "data-container", "-i", "alice-postgres", "-n", name);
        Map<String, String> expected = new LinkedHashMap<>();
        int otherPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            otherPort = socket.getLocalPort();
        }
        try (PostgresSuperuser superuser = new PostgresSuperuser(container)) {
            for (String setting : List.of("listen_addresses", "port", "hba_file", "unix_socket_directories", "data_directory", "config_file")) {
                expected.put(setting, superuser.show(setting));
            }
            assertThat(expected.get("port")).isEqualTo(String.valueOf(container.port()));
            String own = expected.get("data_directory");
            // positive control: ALTER SYSTEM works, on a setting Dolly leaves alone
            assertThat(superuser.execute("ALTER SYSTEM SET cursor_tuple_fraction = 0.42").succeeded()).isTrue();
            assertThat(superuser.query("SELECT count(*) FROM pg_file_settings WHERE name = 'cursor_tuple_fraction' AND setting = '0.42' AND error IS NULL").result()).isEqualTo("1");

            // the attack: a server open to everyone, on another port, with alice's own rules for logins
            assertThat(superuser.writeFile(own + "/alices_hba.conf", "host all all 0.0.0.0/0 trust").succeeded()).isTrue();
            assertThat(superuser.execute("ALTER SYSTEM SET listen_addresses = '*'").succeeded()).isTrue();
            assertThat(superuser.execute("ALTER SYSTEM SET port = " + otherPort).succeeded()).isTrue();
            assertThat(superuser.execute("ALTER SYSTEM SET hba_file = " + PostgresSuperuser.literal(own + "/alices_hba.conf")).succeeded()).isTrue();
            assertThat(superuser.execute("ALTER SYSTEM SET unix_socket_directories = '/tmp'").succeeded()).isTrue();
            // ALTER SYSTEM refuses data_directory: the file takes it
            superuser.succeed("printf \"data_directory = '%s'\\n\" " + quoted(own + "/elsewhere") + " >> postgresql.auto.conf");
        }

        SoftAssertions softly = new SoftAssertions();
        Cli.Result saved = alice.run("save", "data-container", name, "-q");
        checkSettings(softly, "save", container, expected, otherPort, saved);
        Cli.Result loaded = alice.run("load", "data-container", name, "-r", "rev.1");
        checkSettings(softly, "load", container, expected, otherPort, loaded);
        // a restart of the daemon starts the container again
        daemon.stop();
        daemon.start();
        alice = signIn("alice", ALICE_PASSWORD);
        bob = signIn("bob", BOB_PASSWORD);
        checkSettings(softly, "a daemon restart", container, expected, otherPort, new Cli.Result(0, "", ""));

        // nothing runs when a start fails: a library that does not exist stops the server from starting
        if (containerAnswers(container)) {
            try (PostgresSuperuser superuser = new PostgresSuperuser(container)) {
                assertThat(superuser.execute("ALTER SYSTEM SET shared_preload_libraries = 'dolly_no_such_library'").succeeded()).isTrue();
            }
            Cli.Result failed = alice.run("save", "data-container", name);
            softly.assertThat(failed.exitCode() != 0 || alice.json(DataContainer.class, "get", "data-container", name).status() != ResourceStatus.READY)
                    .as("a save whose restart cannot start the server reports it: %s", failed.stderr()).isTrue();
            softly.assertThat(serverProcesses(container)).as("the processes of a server that did not start").isEmpty();
            softly.assertThat(TestImagesAndContainers.portIsFree(container.port())).as("the port of a server that did not start is free").isTrue();
        }
        Cli.Result deleted = alice.run("delete", "data-container", name);
        softly.assertThat(deleted.exitCode()).as("delete: %s", deleted.stderr()).isZero();
        List<ProcessHandle> left = serverProcesses(container);
        softly.assertThat(left).as("processes of the deleted container").isEmpty();
        stop(left);
        if (alice.run("get", "data-container", name).exitCode() == 0) {
            alice.succeed("delete", "data-container", name);
        }
        softly.assertThat(TestImagesAndContainers.portIsFree(otherPort)).as("port %s alice asked for", otherPort).isTrue();
        softly.assertAll();
    }

    /** After an operation that restarts the server: it listens where Dolly says, and only there, with Dolly's settings. */
    private void checkSettings(SoftAssertions softly, String operation, DataContainer container, Map<String, String> expected, int otherPort, Cli.Result result)
            throws SQLException
    {
        System.out.printf("%s %s after ALTER SYSTEM: exit %d %s%n", driver, operation, result.exitCode(), result.stderr().strip());
        softly.assertThat(TestImagesAndContainers.portIsFree(otherPort)).as("after %s, port %s that alice asked for is free", operation, otherPort).isTrue();
        softly.assertThat(listensBeyondLoopback(otherPort) || listensBeyondLoopback(container.port())).as("after %s, a server listens beyond the loopback", operation).isFalse();
        if (!containerAnswers(container)) {
            softly.fail("After %s the container does not answer on its port %s (exit %s: %s)", operation, container.port(), result.exitCode(), result.stderr());
            softly.assertThat(serverProcesses(container)).as("after %s, processes of a server that does not answer", operation).isEmpty();
            return;
        }
        try (PostgresSuperuser superuser = new PostgresSuperuser(container)) {
            // a load or reset moves the container to a new volume of its own, named after the first (containers/<id>-<n>),
            // and its server's files to the run directory named after that volume
            String dataDirectory = superuser.show("data_directory");
            // overlay: <volume>/merged
            String own = expected.get("data_directory");
            boolean merged = own.endsWith("/merged");
            String volume = merged ? own.substring(0, own.length() - "/merged".length()) : own;
            softly.assertThat(dataDirectory).as("after %s, SHOW data_directory", operation)
                    .matches(Pattern.quote(volume) + "(-[0-9]+)?" + (merged ? "/merged" : ""));
            softly.assertThat(superuser.show("config_file")).as("after %s, SHOW config_file", operation).isEqualTo(dataDirectory + "/postgresql.conf");
            // Dolly's own file, in the daemon's run directory of the server of that data directory, never alice's
            Path runDirectory = Path.of(expected.get("hba_file")).getParent().getParent();
            Path hbaFile = Path.of(superuser.show("hba_file"));
            softly.assertThat(hbaFile).as("after %s, SHOW hba_file", operation).hasFileName("pg_hba.conf").startsWith(runDirectory);
            softly.assertThat(hbaFile.getParent().getFileName().toString()).as("after %s, the server directory of hba_file", operation)
                    .matches(".*-containers-" + Pattern.quote(dataDirectory.substring(dataDirectory.indexOf("/containers/") + "/containers/".length()).replace('/', '-'))
                            + "-[0-9a-f]{12}");
            for (Map.Entry<String, String> setting : expected.entrySet()) {
                if (!List.of("data_directory", "config_file", "hba_file").contains(setting.getKey())) {
                    softly.assertThat(superuser.show(setting.getKey())).as("after %s, SHOW %s", operation, setting.getKey()).isEqualTo(setting.getValue());
                }
            }
            softly.assertThat(superuser.show("cursor_tuple_fraction")).as("after %s, the setting Dolly leaves alone", operation).isEqualTo("0.42");
        }
    }

    /** Stops what Dolly could not: a clean shutdown (SIGTERM), so that the next server finds no shared memory left behind. */
    private static void stop(List<ProcessHandle> processes)
            throws Exception
    {
        // the postmaster, whose children follow it
        for (ProcessHandle process : processes) {
            if (process.parent().filter(processes::contains).isEmpty()) {
                process.destroy();
            }
        }
        for (ProcessHandle process : processes) {
            try {
                process.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
            }
            catch (java.util.concurrent.TimeoutException e) {
                process.destroyForcibly();
            }
        }
    }

    private static boolean containerAnswers(DataContainer container)
    {
        try (Connection connection = TestImagesAndContainers.connect(container)) {
            return connection.isValid(5);
        }
        catch (SQLException e) {
            return false;
        }
    }

    /** Whether something accepts connections on the port at an address of this machine other than the loopback. */
    private static boolean listensBeyondLoopback(int port)
    {
        try {
            List<String> lines = new ArrayList<>(Files.readAllLines(Path.of("/proc/net/tcp")));
            lines.addAll(Files.readAllLines(Path.of("/proc/net/tcp6")));
            String hexadecimalPort = String.format(":%04X", port);
            return lines.stream().map(String::strip).map(line -> line.split("\\s+"))
                    // state 0A: listening
                    .filter(fields -> fields.length > 3 && fields[1].endsWith(hexadecimalPort) && fields[3].equals("0A"))
                    .anyMatch(fields -> !fields[1].startsWith("0100007F") && !fields[1].startsWith("00000000000000000000000001000000"));
        }
        catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void refused(SoftAssertions softly, String attack, PostgresSuperuser.Attempt attempt)
    {
        softly.assertThat(attempt.succeeded()).as("%s succeeded: %s", attack, abbreviated(attempt.result())).isFalse();
        if (!attempt.succeeded()) {
            softly.assertThat(attempt.result()).as(attack).matches(REFUSED);
        }
    }

    private static void refused(SoftAssertions softly, String attack, PostgresSuperuser.ShellResult result)
    {
        softly.assertThat(result.exitCode()).as("%s succeeded: %s", attack, abbreviated(result.output())).isNotZero();
        if (result.exitCode() != 0) {
            softly.assertThat(result.output()).as(attack).matches(REFUSED);
        }
    }

    private static void refused(SoftAssertions softly, String attack, Attempt attempt)
    {
        softly.assertThat(attempt.succeeded()).as("%s succeeded", attack).isFalse();
        if (!attempt.succeeded()) {
            softly.assertThat(attempt.result()).as(attack).matches(REFUSED);
        }
    }

    private static String abbreviated(String text)
    {
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }

    /** Where MariaDB lets the container's user read and write files: {@code secure_file_priv}, or anywhere (its data directory) when unset. */
    private static String allowedFileDirectory(Statement statement)
            throws SQLException
    {
        String securePrivileges = value(statement, "SELECT @@secure_file_priv");
        if (securePrivileges == null || securePrivileges.isEmpty()) {
            String dataDirectory = value(statement, "SELECT @@datadir");
            return dataDirectory.endsWith("/") ? dataDirectory : dataDirectory + "/";
        }
        return securePrivileges.endsWith("/") ? securePrivileges : securePrivileges + "/";
    }

    private static String value(Statement statement, String query)
            throws SQLException
    {
        try (ResultSet resultSet = statement.executeQuery(query)) {
            resultSet.next();
            return resultSet.getString(1);
        }
    }

    private static Attempt attempt(Statement statement, String sql)
    {
        try {
            statement.execute(sql);
            return new Attempt(true, "");
        }
        catch (SQLException e) {
            return new Attempt(false, e.getMessage());
        }
    }

    /** What a MariaDB statement did: its error message, if it failed. */
    private record Attempt(boolean succeeded, String result) {}

    /** A file of bob's in the data directory of his container, owned like the data directory, that his server does not use. */
    private Path bobsNotes(DataContainer container)
    {
        return dataDirectory(container).resolve("bobs-notes.txt");
    }

    private void writeBobsNotes(DataContainer container)
            throws IOException
    {
        Path notes = bobsNotes(container);
        Files.writeString(notes, "bob's notes\n");
        Files.setPosixFilePermissions(notes, PosixFilePermissions.fromString("rw-------"));
        Path dataDirectory = dataDirectory(container);
        Files.setAttribute(notes, "unix:uid", Files.getAttribute(dataDirectory, "unix:uid"));
        Files.setAttribute(notes, "unix:gid", Files.getAttribute(dataDirectory, "unix:gid"));
    }

    private static boolean contains(Path file, String text)
            throws IOException
    {
        return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(text);
    }

    /** The daemon's own files: its token, its catalog, an upload, the download cache. */
    private Map<String, Path> daemonFiles(Path upload)
            throws IOException
    {
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("admin-token", daemon.home().resolve("admin-token"));
        files.put("catalog.db", daemon.home().resolve("catalog.db"));
        files.put("an upload", upload);
        try (Stream<Path> cached = Files.list(downloadCache())) {
            cached.filter(Files::isRegularFile).min(Comparator.comparing(Path::toString))
                    .ifPresent(file -> files.put("the download cache", file));
        }
        assertThat(files.values()).allSatisfy(file -> assertThat(file).isRegularFile());
        return files;
    }

    private Path downloadCache()
    {
        return Path.of(daemon.environment().getOrDefault("DOLLY_DOWNLOAD_CACHE", daemon.home().resolve("cache").toString()));
    }

    /** A file of an image build's upload in progress, as the daemon keeps it: its own directory, mode 0700, below {@code uploads}. */
    private Path plantUpload()
            throws IOException
    {
        Path uploads = daemon.home().resolve("uploads");
        if (!Files.exists(uploads)) {
            Files.createDirectory(uploads, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Path directory = Files.createTempDirectory(uploads, "attack-");
        Path file = directory.resolve("production.sql");
        Files.writeString(file, "INSERT INTO customer VALUES ('a secret of production');\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private Path volume(DataContainer container)
    {
        return daemon.home().resolve("storage/containers/" + container.id());
    }

    private Path dataDirectory(DataContainer container)
    {
        return TestImagesAndContainers.dataDirectory(volume(container));
    }

    private Path engineLog(DataContainer container)
    {
        return daemon.home().resolve("logs/engines/container-" + container.id() + ".log");
    }

    private List<ProcessHandle> serverProcesses(DataContainer container)
    {
        return container.engine().equals("postgresql") ? Engines.postgresProcessesUnder(volume(container)) : Engines.mariadbProcessesUnder(volume(container));
    }

    /**
     * Where the test finds a path that bob's MariaDB server names: its socket directory is below {@code /tmp}, which may
     * be a private one in a mount namespace of the server's, seen from here through {@code /proc/<pid>/root}.
     */
    private Path onHost(Path path)
    {
        if (!path.startsWith("/tmp/")) {
            return path;
        }
        return Path.of("/proc/" + serverProcesses(bobMariaDb).getFirst().pid() + "/root" + path);
    }

    /** The private directory of a MariaDB server's socket, from its command line, as the server sees it. */
    private Path mariaDbSocketDirectory(DataContainer container)
    {
        List<ProcessHandle> servers = serverProcesses(container);
        assertThat(servers).hasSize(1);
        String socket = servers.getFirst().info().arguments().stream().flatMap(Arrays::stream)
                .filter(argument -> argument.startsWith("--socket="))
                .findFirst().orElseThrow(() -> new AssertionError("No --socket= on the command line of " + servers.getFirst().info()));
        return Path.of(socket.substring("--socket=".length())).getParent();
    }

    /** A file named {@code name} in a volume (overlay volumes hold it in a layer), or else any file of it. */
    private static Path fileUnder(Path root, String name)
            throws IOException
    {
        try (Stream<Path> paths = Files.walk(root)) {
            List<Path> regularFiles = paths.filter(path -> Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
            Optional<Path> named = regularFiles.stream().filter(path -> path.getFileName().toString().equals(name)).findFirst();
            return named.or(() -> regularFiles.stream().findFirst()).orElseThrow(() -> new AssertionError("No file under " + root));
        }
    }

    private static Map<Path, String> states(java.util.Collection<Path> files)
            throws IOException
    {
        Map<Path, String> states = new LinkedHashMap<>();
        for (Path file : files) {
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                states.put(file, "missing");
                continue;
            }
            states.put(file, "uid " + Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS) + ", gid " + Files.getAttribute(file, "unix:gid", LinkOption.NOFOLLOW_LINKS)
                    + ", " + PosixFilePermissions.toString(Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS)) + ", " + Files.readString(file).strip());
        }
        return states;
    }

    private static String commandLine(long pid)
            throws IOException
    {
        return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
    }

    private static Map<String, String> environment(long pid)
            throws IOException
    {
        return Arrays.stream(new String(Files.readAllBytes(Path.of("/proc/" + pid + "/environ")), StandardCharsets.UTF_8).split("\0"))
                .filter(entry -> entry.contains("="))
                .collect(Collectors.toMap(entry -> entry.substring(0, entry.indexOf('=')), entry -> entry.substring(entry.indexOf('=') + 1), (first, second) -> second));
    }

    /** The real user id of a process, as the host sees it. */
    private static long uid(ProcessHandle process)
            throws IOException
    {
        return Files.readAllLines(Path.of("/proc/" + process.pid() + "/status")).stream()
                .filter(line -> line.startsWith("Uid:"))
                .map(line -> Long.parseLong(line.split("\\s+")[1]))
                .findFirst().orElseThrow();
    }

    private static String quoted(String text)
    {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    private static void deleteTree(Path root)
            throws IOException
    {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
