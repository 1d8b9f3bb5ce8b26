package dev.dolly.core.engine.postgresql;

import dev.dolly.api.DollyException;
import dev.dolly.api.ErrorCode;
import dev.dolly.core.engine.Endpoint;
import dev.dolly.core.engine.EngineInstallation;
import dev.dolly.core.engine.EngineUser;
import dev.dolly.core.engine.LoadPlan;
import dev.dolly.core.engine.LoadPlan.Backup;
import dev.dolly.core.engine.LoadPlan.BackupFormat;
import dev.dolly.core.engine.PasswordChange;
import dev.dolly.core.engine.ProgressListener;
import dev.dolly.core.engine.ServerSettings;
import dev.dolly.core.runtime.LocalProcessRuntime;
import dev.dolly.core.storage.FileTrees;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
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

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Runs real PostgreSQL servers of the built-in version, installed from the class path without network. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresEngineTest
{
    private static final String PASSWORD = "s3cret 'quoted\" pass";

    private Path base;
    private EngineUser engineUser;
    private PostgresEngine engine;
    private EngineInstallation installation;
    private Path sharedData;
    private Endpoint superuser;

    @BeforeAll
    void startSharedServer()
    {
        base = TemporaryDirectories.createBase();
        engineUser = EngineUser.resolve("dolly");
        // an unreachable repository: the built-in version must not need it
        PostgresBinaries binaries = new PostgresBinaries(base.resolve("engines"), base.resolve("cache"), java.net.URI.create("http://127.0.0.1:9/maven2"), base.resolve("m2"), List.of());
        engine = new PostgresEngine(binaries, engineUser);
        installation = engine.install(null, ProgressListener.NONE);

        sharedData = TemporaryDirectories.createDirectory(base, "shared");
        engine.initialize(installation, sharedData, PASSWORD);
        int port = TemporaryDirectories.freePort();
        engine.start(installation, sharedData, settings(port, "shared.log", Map.of("fsync", "off", "max_connections", "30")));
        superuser = new Endpoint("127.0.0.1", port, engine.defaultUser(), PASSWORD, engine.defaultDatabase());
    }

    @AfterAll
    void stopSharedServer()
    {
        if (engine != null && sharedData != null) {
            engine.stop(installation, sharedData);
        }
        if (base != null) {
            FileTrees.deleteRecursively(base);
        }
    }

    @Test
    void runsTheBuiltInVersion()
            throws SQLException
    {
        assertThat(engine.name()).isEqualTo("postgresql");
        assertThat(installation.version()).isEqualTo("17.6.0");
        assertThat(engine.isRunning(installation, sharedData)).isTrue();
        assertThat(engine.serverVersion(superuser)).startsWith("PostgreSQL 17.6");
        assertThat(query(superuser, "SHOW max_connections")).isEqualTo("30");
        assertThat(query(superuser, "SHOW fsync")).isEqualTo("off");
        assertThat(query(superuser, "SHOW unix_socket_directories")).isEmpty();
        assertThat(query(superuser, "SHOW password_encryption")).isEqualTo("scram-sha-256");
        assertThat(query(superuser, "SHOW server_encoding")).isEqualTo("UTF8");
        assertThat(query(superuser, "SELECT datcollate FROM pg_database WHERE datname = current_database()")).isEqualTo("C");
        // small WAL segments, for overlay's copy-up
        assertThat(query(superuser, "SHOW wal_segment_size")).isEqualTo("1MB");
    }

    @Test
    void rejectsWrongPasswords()
    {
        Endpoint wrong = new Endpoint(superuser.host(), superuser.port(), superuser.user(), "wrong", superuser.database());
        assertThatThrownBy(() -> engine.serverVersion(wrong))
                .isInstanceOf(DollyException.class)
                .hasMessageContaining("password authentication failed");
    }

    @Test
    void serverRunsAsTheEngineUser()
            throws IOException, InterruptedException
    {
        // postmaster.pid says 1 in a PID namespace of its own: the runtime knows the process as the daemon sees it
        String pid = String.valueOf(LocalProcessRuntime.standalone().server(sharedData, Optional::empty).orElseThrow().pid());
        Process ps = new ProcessBuilder("ps", "-o", "user=", "-p", pid).redirectErrorStream(true).start();
        String user = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, ps.waitFor());
        assertThat(user).isEqualTo(engineUser.name());
        if (engineUser.switchesUser()) {
            assertThat(user).isNotEqualTo("root");
        }
        assertThat(Files.getPosixFilePermissions(sharedData)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(Files.getOwner(sharedData).getName()).isEqualTo(engineUser.name());
        try (var children = Files.list(base)) {
            assertThat(children.map(child -> child.getFileName().toString())).noneMatch(name -> name.startsWith(".dolly-password"));
        }
    }

    @Test
    void loadsAnEmptyPlanIntoItsInitialDatabase()
            throws SQLException
    {
        String database = "empty \"odd\" name";
        LoadPlan plan = new LoadPlan(Optional.of(database), Optional.empty(), List.of(), List.of(), Optional.empty());
        engine.load(installation, superuser, plan, ProgressListener.NONE);
        // loading is repeatable: the database exists already
        engine.load(installation, superuser, plan, ProgressListener.NONE);

        assertThat(query(superuser.withDatabase(database), "SELECT current_database()")).isEqualTo(database);
    }

    @Test
    void restoresCustomDirectoryAndTarBackups()
            throws Exception
    {
        requirePgRestore();
        for (BackupFormat format : List.of(BackupFormat.CUSTOM, BackupFormat.DIRECTORY, BackupFormat.TAR)) {
            Path backup = sample(format);
            assertThat(PostgresEngine.detectFormat(backup)).isEqualTo(format);
            String database = "restored_" + format.name().toLowerCase(java.util.Locale.ROOT);
            List<String> messages = new java.util.ArrayList<>();
            engine.load(installation, superuser, new LoadPlan(Optional.of(database), Optional.empty(), List.of(new Backup(backup, format)), List.of(), Optional.empty()), messages::add);

            assertThat(messages).contains("Restoring backup " + backup.getFileName());
            assertThat(query(superuser.withDatabase(database), "SELECT count(*) FROM sample")).isEqualTo("100");
            assertThat(query(superuser.withDatabase(database), "SELECT count(*) FROM sample_names")).isEqualTo("100");
            // the data went in through COPY ... FREEZE: every page of the new tables is all-frozen already
            execute(superuser.withDatabase(database), "CREATE EXTENSION pg_visibility");
            assertThat(query(superuser.withDatabase(database),
                    "SELECT all_frozen > 0 AND all_frozen = pg_relation_size('sample') / 8192 FROM pg_visibility_map_summary('sample')")).isEqualTo("t");
        }
    }

    @Test
    void reportsWhatPgRestoreSaysWhenItFails()
            throws Exception
    {
        requirePgRestore();
        Path backup = sample(BackupFormat.CUSTOM);
        LoadPlan plan = new LoadPlan(Optional.of("restored_twice"), Optional.empty(), List.of(new Backup(backup, BackupFormat.CUSTOM)), List.of(), Optional.empty());
        engine.load(installation, superuser, plan, ProgressListener.NONE);

        assertThatThrownBy(() -> engine.load(installation, superuser, plan, ProgressListener.NONE))
                .isInstanceOfSatisfying(DollyException.class, exception -> assertThat(exception.errorCode()).isEqualTo(ErrorCode.LOAD_FAILED))
                .hasMessageContaining("pg_restore could not restore")
                .hasMessageContaining("already exists");
    }

    @Test
    void explainsHowToGetPgRestore()
            throws Exception
    {
        PostgresEngine withoutPgRestore = new PostgresEngine(
                new PostgresBinaries(base.resolve("engines"), base.resolve("cache")), engineUser, PostgresConfiguration.defaults(), Optional::empty);
        Path backup = sample(BackupFormat.CUSTOM);
        LoadPlan plan = new LoadPlan(Optional.empty(), Optional.empty(), List.of(new Backup(backup, BackupFormat.CUSTOM)), List.of(), Optional.empty());

        assertThatThrownBy(() -> withoutPgRestore.load(installation, superuser, plan, ProgressListener.NONE))
                .isInstanceOfSatisfying(DollyException.class, exception -> assertThat(exception.errorCode()).isEqualTo(ErrorCode.ENGINE_FAILED))
                .hasMessage("Restoring custom/directory/tar dumps needs pg_restore: install the postgresql-client package "
                        + "(Debian/Ubuntu: apt-get install postgresql-client) or configure its path");
    }

    @Test
    void sealFreezesAndAnalyzesEveryDatabase()
            throws SQLException
    {
        Endpoint sealed = superuser.withDatabase("to_seal");
        engine.load(installation, superuser, new LoadPlan(Optional.of("to_seal"), Optional.empty(), List.of(), List.of(), Optional.empty()), ProgressListener.NONE);
        execute(sealed, "CREATE TABLE numbers AS SELECT i FROM generate_series(1, 1000) i");
        assertThat(query(sealed, "SELECT reltuples::bigint FROM pg_class WHERE relname = 'numbers'")).isEqualTo("-1");
        String frozen = "SELECT c.relfrozenxid::text::bigint > n.xmin::text::bigint FROM pg_class c, (SELECT xmin FROM numbers LIMIT 1) n WHERE c.relname = 'numbers'";
        assertThat(query(sealed, frozen)).isEqualTo("f");

        engine.seal(superuser);

        assertThat(query(sealed, "SELECT reltuples::bigint FROM pg_class WHERE relname = 'numbers'")).isEqualTo("1000");
        // the table's oldest unfrozen transaction is past the one that wrote its rows: they are frozen
        assertThat(query(sealed, frozen)).isEqualTo("t");
    }

    @Test
    void aSealedBuildKeepsLittleWal()
            throws IOException, SQLException
    {
        Path data = TemporaryDirectories.createDirectory(base, "build");
        engine.initialize(installation, data, PASSWORD);
        int port = TemporaryDirectories.freePort();
        engine.start(installation, data, settings(port, "build.log", engine.buildParameters()));
        Endpoint build = new Endpoint("127.0.0.1", port, engine.defaultUser(), PASSWORD, engine.defaultDatabase());
        try {
            // about 100 MB of WAL: rows written outside the transaction that created their table are WAL-logged
            execute(build, "CREATE TABLE filler (id int, text text)");
            execute(build, "INSERT INTO filler SELECT i, repeat('x', 300) FROM generate_series(1, 250000) i");
            engine.seal(build);
            // the seal lowered the WAL kept for reuse with ALTER SYSTEM: nothing on the command line may pin it
            assertThat(query(build, "SHOW max_wal_size")).isEqualTo("32MB");
        }
        finally {
            engine.stop(installation, data);
        }
        try (var segments = Files.list(data.resolve("pg_wal"))) {
            // 1 MB segments: the 32 MB the seal allows, and a few more
            assertThat(segments.filter(Files::isRegularFile).count()).isBetween(1L, 40L);
        }
    }

    @Test
    void changesPasswords()
            throws SQLException
    {
        execute(superuser, "CREATE ROLE app LOGIN PASSWORD 'old password'");
        Endpoint app = new Endpoint(superuser.host(), superuser.port(), "app", "old password", "postgres");
        assertThat(engine.serverVersion(app)).startsWith("PostgreSQL");

        String newPassword = "n3w 'pass\" \\ word";
        engine.changePassword(superuser, "app", newPassword);

        assertThat(engine.serverVersion(new Endpoint(app.host(), app.port(), "app", newPassword, "postgres"))).startsWith("PostgreSQL");
        assertThatThrownBy(() -> engine.serverVersion(app)).isInstanceOf(DollyException.class);
        assertThat(query(superuser, "SELECT rolpassword LIKE 'SCRAM-SHA-256$%' FROM pg_authid WHERE rolname = 'app'")).isEqualTo("t");
        assertThatThrownBy(() -> engine.changePassword(superuser, "nobody_like_this", "x"))
                .isInstanceOf(DollyException.class)
                .hasMessageContaining("nobody_like_this");
    }

    @Test
    void preparedPasswordChangeLogsInAheadAndSetsThePasswordWhenApplied()
            throws Exception
    {
        execute(superuser, "CREATE ROLE prepared LOGIN PASSWORD 'old password'");
        Endpoint prepared = new Endpoint(superuser.host(), superuser.port(), "prepared", "old password", "postgres");
        String newPassword = "n3w 'pass\" \\ word";

        String sessions = "SELECT count(*) FROM pg_stat_activity WHERE usename = 'postgres' AND application_name = 'dolly'";
        int sessionsBefore = Integer.parseInt(query(superuser, sessions));
        PasswordChange change = engine.preparePasswordChange(superuser, "prepared", newPassword);
        assertThat(change.newPassword()).isEqualTo(newPassword);
        // logged in, nothing changed yet
        assertThat(Integer.parseInt(query(superuser, sessions))).isEqualTo(sessionsBefore + 1);
        assertThat(engine.serverVersion(prepared)).startsWith("PostgreSQL");
        change.apply();

        assertThat(engine.serverVersion(new Endpoint(prepared.host(), prepared.port(), "prepared", newPassword, "postgres"))).startsWith("PostgreSQL");
        assertThatThrownBy(() -> engine.serverVersion(prepared)).isInstanceOf(DollyException.class);
        assertThat(query(superuser, "SELECT rolpassword LIKE 'SCRAM-SHA-256$%' FROM pg_authid WHERE rolname = 'prepared'")).isEqualTo("t");

        // closed without being applied: the password stays, the session ends
        PasswordChange unused = engine.preparePasswordChange(superuser, "prepared", "never set");
        unused.close();
        assertThat(engine.serverVersion(new Endpoint(prepared.host(), prepared.port(), "prepared", newPassword, "postgres"))).startsWith("PostgreSQL");
        // a backend ends a moment after its connection is closed
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
        while (Integer.parseInt(query(superuser, sessions)) != sessionsBefore && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(Integer.parseInt(query(superuser, sessions))).isEqualTo(sessionsBefore);

        // the session logs in to the database the endpoint names (a container's own), so that its catalog caches are built before the user's login
        execute(superuser, "CREATE DATABASE prepared_data");
        PasswordChange inData = engine.preparePasswordChange(superuser.withDatabase("prepared_data"), "prepared", "in data");
        assertThat(query(superuser, "SELECT count(*) FROM pg_stat_activity WHERE usename = 'postgres' AND datname = 'prepared_data'")).isEqualTo("1");
        inData.close();
        // a wrong superuser password fails when preparing, not at the take
        assertThatThrownBy(() -> engine.preparePasswordChange(new Endpoint(superuser.host(), superuser.port(), superuser.user(), "wrong", "postgres"), "prepared", "x"))
                .isInstanceOf(DollyException.class);
    }

    @Test
    void connectionStringsWork()
            throws SQLException
    {
        var strings = engine.connectionStrings(superuser);
        assertThat(strings.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + superuser.port() + "/postgres");
        assertThat(strings.uri()).isEqualTo("postgresql://postgres:s3cret%20%27quoted%22%20pass@127.0.0.1:" + superuser.port() + "/postgres");
        assertThat(strings.keyValue()).isEqualTo("host=127.0.0.1 port=" + superuser.port() + " user=postgres password='s3cret \\'quoted\" pass' dbname=postgres");
        try (Connection connection = DriverManager.getConnection(strings.jdbcUrl(), superuser.user(), superuser.password())) {
            assertThat(connection.isValid(5)).isTrue();
        }
    }

    /**
     * As root, a server runs in PID, mount and IPC namespaces of its own, with a private /tmp, in a cgroup of its own
     * with the memory and process limits; it cannot see or signal the daemon; stopping it leaves no process behind,
     * not even one a query detached, and removes its cgroup.
     */
    @Test
    void serverIsIsolatedAsRoot()
            throws Exception
    {
        assumeTrue(engineUser.switchesUser(), "namespaces and cgroups need a daemon running as root");
        LocalProcessRuntime runtime = LocalProcessRuntime.standalone();
        Path data = TemporaryDirectories.createDirectory(base, "isolated");
        engine.initialize(installation, data, "isolated");
        int port = TemporaryDirectories.freePort();
        engine.start(installation, data, settings(port, "logs/isolated.log", Map.of()));
        long server = runtime.server(data, Optional::empty).orElseThrow().pid();

        for (String namespace : List.of("pid", "mnt", "ipc")) {
            assertThat(Files.readSymbolicLink(Path.of("/proc", String.valueOf(server), "ns", namespace)))
                    .as(namespace).isNotEqualTo(Files.readSymbolicLink(Path.of("/proc/self/ns", namespace)));
        }
        assertThat(Files.readAllLines(Path.of("/proc", String.valueOf(server), "status"))).anyMatch(line -> line.matches("Uid:\\s+" + engineUser.uid() + "\\s.*"));

        List<Path> group = runtime.controlGroupDirectories(data).orElseThrow();
        String cgroups = Files.readString(Path.of("/proc", String.valueOf(server), "cgroup"));
        for (Path directory : group) {
            assertThat(cgroups).contains("/dolly/" + directory.getFileName());
            assertThat(Files.readAllLines(directory.resolve("cgroup.procs"))).contains(String.valueOf(server));
        }
        Path memoryLimit = group.getFirst().resolve(Files.exists(group.getFirst().resolve("memory.max")) ? "memory.max" : "memory.limit_in_bytes");
        assertThat(Files.readString(memoryLimit).strip()).isEqualTo(String.valueOf(2L * 1024 * 1024 * 1024));
        assertThat(Files.readString(group.getLast().resolve("pids.max")).strip()).isEqualTo("512");

        long daemon = ProcessHandle.current().pid();
        List<String> lines = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "isolated");
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE output (number serial, line text)");
            // from inside: the daemon out of reach, only its own processes, a /tmp of its own
            statement.execute("COPY output (line) FROM PROGRAM 'kill -0 " + daemon + " 2>/dev/null && echo daemon-reachable || echo daemon-unreachable'");
            statement.execute("COPY output (line) FROM PROGRAM 'ls /proc | grep -c ''^[0-9]'''");
            statement.execute("COPY output (line) FROM PROGRAM 'touch /tmp/isolated-marker && echo tmp-writable'");
            // a program that detaches itself from the server, which only the cgroup still holds
            statement.execute("COPY output (line) FROM PROGRAM 'setsid sleep 600 > /dev/null 2>&1 < /dev/null & echo detached'");
            try (ResultSet rows = statement.executeQuery("SELECT line FROM output ORDER BY number")) {
                while (rows.next()) {
                    lines.add(rows.getString(1));
                }
            }
        }
        assertThat(lines.get(0)).isEqualTo("daemon-unreachable");
        // the postmaster, its helper processes and the query's shell: far fewer than the machine runs
        assertThat(Integer.parseInt(lines.get(1))).isBetween(2, 20);
        assertThat(lines.subList(2, 4)).containsExactly("tmp-writable", "detached");
        assertThat(Path.of("/tmp/isolated-marker")).doesNotExist();
        List<Long> processes = Files.readAllLines(group.getFirst().resolve("cgroup.procs")).stream().map(Long::parseLong).toList();
        assertThat(processes).hasSizeGreaterThan(2);

        engine.stop(installation, data);
        assertThat(engine.isRunning(installation, data)).isFalse();
        for (long process : processes) {
            assertThat(ProcessHandle.of(process).filter(ProcessHandle::isAlive).filter(handle -> !isZombie(handle.pid()))).as("process " + process).isEmpty();
        }
        for (Path directory : group) {
            assertThat(directory).doesNotExist();
        }
    }

    private static boolean isZombie(long process)
    {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(process), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
        }
        catch (IOException e) {
            return true;
        }
    }

    @Test
    void lifecycle()
            throws IOException
    {
        Path data = TemporaryDirectories.createDirectory(base, "lifecycle");
        engine.initialize(installation, data, "lifecycle");
        int port = TemporaryDirectories.freePort();
        Endpoint endpoint = new Endpoint("127.0.0.1", port, "postgres", "lifecycle", "postgres");

        // a server that cannot start says why, from its log
        assertThatThrownBy(() -> engine.start(installation, data, settings(port, "logs/lifecycle.log", Map.of("shared_buffers", "plenty"))))
                .isInstanceOfSatisfying(DollyException.class, exception -> assertThat(exception.errorCode()).isEqualTo(ErrorCode.ENGINE_FAILED))
                .hasMessageContaining("did not start on port " + port)
                .hasMessageContaining("invalid value for parameter \"shared_buffers\"");
        assertThat(engine.isRunning(installation, data)).isFalse();

        engine.start(installation, data, settings(port, "logs/lifecycle.log", Map.of()));
        assertThat(engine.isRunning(installation, data)).isTrue();
        assertThat(TemporaryDirectories.isPortFree(port)).isFalse();
        assertThat(engine.serverVersion(endpoint)).startsWith("PostgreSQL 17");

        engine.stop(installation, data);
        assertThat(engine.isRunning(installation, data)).isFalse();
        assertThat(TemporaryDirectories.isPortFree(port)).isTrue();
        engine.stop(installation, data);

        // a postmaster.pid left by a crash does not stop anything
        Files.writeString(data.resolve("postmaster.pid"), "4000000\n" + data + "\n");
        engineUser.takeOwnership(data.resolve("postmaster.pid"));
        assertThat(engine.isRunning(installation, data)).isFalse();
        engine.stop(installation, data);
        engine.start(installation, data, settings(port, "logs/lifecycle.log", Map.of()));
        assertThat(engine.serverVersion(endpoint)).startsWith("PostgreSQL 17");
        engine.stop(installation, data);
        assertThat(engine.isRunning(installation, data)).isFalse();
        assertThat(Files.readString(base.resolve("logs/lifecycle.log"))).contains("database system is shut down");
    }

    @Test
    void detectsBackupFormats()
            throws Exception
    {
        assertThat(PostgresEngine.detectFormat(sample(BackupFormat.CUSTOM))).isEqualTo(BackupFormat.CUSTOM);
        assertThat(PostgresEngine.detectFormat(sample(BackupFormat.TAR))).isEqualTo(BackupFormat.TAR);
        assertThat(PostgresEngine.detectFormat(sample(BackupFormat.DIRECTORY))).isEqualTo(BackupFormat.DIRECTORY);
        Path plain = base.resolve("plain.sql");
        Files.writeString(plain, "CREATE TABLE t (id integer);\n");
        assertThat(PostgresEngine.detectFormat(plain)).isEqualTo(BackupFormat.PLAIN);
        Path empty = base.resolve("empty.sql");
        Files.writeString(empty, "");
        assertThat(PostgresEngine.detectFormat(empty)).isEqualTo(BackupFormat.PLAIN);
        assertThatThrownBy(() -> PostgresEngine.detectFormat(base.resolve("engines")))
                .isInstanceOfSatisfying(DollyException.class, exception -> assertThat(exception.errorCode()).isEqualTo(ErrorCode.BAD_INPUT))
                .hasMessageContaining("toc.dat");
        assertThatThrownBy(() -> PostgresEngine.detectFormat(base.resolve("missing.dump")))
                .isInstanceOfSatisfying(DollyException.class, exception -> assertThat(exception.errorCode()).isEqualTo(ErrorCode.BAD_INPUT));
    }

    private ServerSettings settings(int port, String logFile, Map<String, String> parameters)
    {
        return new ServerSettings("127.0.0.1", port, parameters, base.resolve(logFile));
    }

    /** The sample backups were written by pg_dump 15, which any pg_restore from 15 on can read. */
    private static Path sample(BackupFormat format)
            throws URISyntaxException
    {
        String name = switch (format) {
            case CUSTOM -> "sample.dump";
            case DIRECTORY -> "sample-directory";
            case TAR -> "sample.tar";
            case PLAIN -> throw new IllegalArgumentException();
        };
        return Path.of(requireNonNull(PostgresEngineTest.class.getResource(name), name).toURI());
    }

    /** Skips without pg_restore on a workstation; on CI, which installs postgresql-client, its absence is a failure. */
    private static void requirePgRestore()
    {
        Optional<Path> pgRestore = PostgresEngine.findPgRestore();
        if (System.getenv("CI") != null) {
            assertThat(pgRestore).as("pg_restore on CI (install postgresql-client)").isPresent();
        }
        assumeTrue(pgRestore.isPresent(), "pg_restore is not installed");
    }

    private static String query(Endpoint endpoint, String sql)
            throws SQLException
    {
        try (Connection connection = DriverManager.getConnection(
                "jdbc:postgresql://" + endpoint.host() + ":" + endpoint.port() + "/" + java.net.URLEncoder.encode(endpoint.database(), java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"),
                endpoint.user(), endpoint.password());
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }

    private static void execute(Endpoint endpoint, String sql)
            throws SQLException
    {
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://" + endpoint.host() + ":" + endpoint.port() + "/" + endpoint.database(), endpoint.user(), endpoint.password());
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
