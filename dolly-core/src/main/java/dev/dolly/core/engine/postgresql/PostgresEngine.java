package dev.dolly.core.engine.postgresql;

import dev.dolly.api.DollyException;
import dev.dolly.api.ServerInfo;
import dev.dolly.core.engine.ConnectionStrings;
import dev.dolly.core.engine.DatabaseStatements;
import dev.dolly.core.engine.DeferredIndexes;
import dev.dolly.core.engine.Endpoint;
import dev.dolly.core.engine.Engine;
import dev.dolly.core.engine.EngineInstallation;
import dev.dolly.core.engine.EngineUser;
import dev.dolly.core.engine.LoadPlan;
import dev.dolly.core.engine.ParallelWork;
import dev.dolly.core.engine.PasswordChange;
import dev.dolly.core.engine.LoadPlan.Backup;
import dev.dolly.core.engine.LoadPlan.BackupFormat;
import dev.dolly.core.engine.Passwords;
import dev.dolly.core.engine.ProgressListener;
import dev.dolly.core.engine.Readiness;
import dev.dolly.core.engine.RestoredBackup;
import dev.dolly.core.engine.ServerProcesses;
import dev.dolly.core.engine.ServerSettings;
import dev.dolly.core.process.Command;
import dev.dolly.core.process.CommandRunner;
import dev.dolly.core.runtime.ContainerRuntime;
import dev.dolly.core.runtime.LocalProcessRuntime;
import dev.dolly.core.runtime.ServerLaunch;
import dev.dolly.core.runtime.ServerProcess;
import org.postgresql.PGConnection;
import org.postgresql.util.PasswordUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * PostgreSQL: what is specific to it, and nothing else. Servers run as the {@link EngineUser}, listen on TCP only
 * (no Unix sockets), and accept password logins only ({@code scram-sha-256}, {@code md5} before PostgreSQL 10).
 */
public final class PostgresEngine
        implements Engine
{
    private static final int WAL_SEGMENT_MEGABYTES = 1;
    private static final String SUPERUSER = "postgres";
    private static final String MAINTENANCE_DATABASE = "postgres";
    private static final Duration INITDB_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration FIRST_CONNECTION_PAUSE = Duration.ofMillis(5);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration RESTORE_TIMEOUT = Duration.ofDays(2);
    private static final int LOGIN_TIMEOUT_SECONDS = 10;
    private static final Logger LOG = LoggerFactory.getLogger(PostgresEngine.class);
    /** Sealing logs each table that takes at least this long. */
    private static final long SLOW_SEAL_MILLISECONDS = 1000;
    private static final Pattern PARAMETER_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*");
    /**
     * The condition, on {@code pg_class c}, that a table is worth compacting: 1 MB or more, with dead rows (removed rows,
     * old versions of changed ones, as the statistics count them) at least a quarter of its live ones. The seal and a
     * transform both compact by it.
     */
    static final String MOSTLY_DEAD_ROWS = "pg_relation_size(c.oid) >= 1048576 AND pg_stat_get_dead_tuples(c.oid) > 0"
            + " AND pg_stat_get_dead_tuples(c.oid) * 4 >= pg_stat_get_live_tuples(c.oid)";

    /** Loading is faster without durability: the image is flushed to disk once, after a clean shutdown. */
    private static final Map<String, String> BUILD_PARAMETERS = Map.ofEntries(
            Map.entry("fsync", "off"),
            Map.entry("full_page_writes", "off"),
            Map.entry("synchronous_commit", "off"),
            Map.entry("autovacuum", "off"),
            Map.entry("shared_buffers", "128MB"),
            Map.entry("maintenance_work_mem", "256MB"),
            // no max_wal_size: settings go on the command line, where the seal's ALTER SYSTEM could not lower it for
            // the last checkpoints, and the image would keep that much old WAL (initdb's 1GB applies)
            Map.entry("checkpoint_timeout", "30min"),
            Map.entry("max_connections", "20"),
            // a table created or truncated in the transaction that fills it (pg_restore -j truncates each table before
            // its COPY for this) is written without WAL, and no WAL is kept for replicas nobody has
            Map.entry("wal_level", "minimal"),
            Map.entry("max_wal_senders", "0"));

    /**
     * PostgreSQL's defaults of the build parameters (from version 10 on). Earlier versions of Dolly appended
     * {@code include_if_exists = 'dolly.conf'} to {@code postgresql.conf} and wrote the settings of each start there;
     * an image built by them still holds its build's {@code dolly.conf}. Its containers get these back on the command
     * line, which wins over that file.
     */
    private static final Map<String, String> BUILD_PARAMETER_DEFAULTS = Map.ofEntries(
            Map.entry("fsync", "on"),
            Map.entry("full_page_writes", "on"),
            Map.entry("synchronous_commit", "on"),
            Map.entry("autovacuum", "on"),
            Map.entry("shared_buffers", "128MB"),
            Map.entry("maintenance_work_mem", "64MB"),
            Map.entry("max_wal_size", "1GB"),
            Map.entry("checkpoint_timeout", "5min"),
            Map.entry("max_connections", "100"),
            Map.entry("wal_level", "replica"),
            Map.entry("max_wal_senders", "10"));
    private static final String EARLIER_SETTINGS_FILE = "dolly.conf";

    private final PostgresBinaries binaries;
    private final EngineUser engineUser;
    /** Runs {@code initdb}, which refuses to run as an account without a name; the files become the engine user's. */
    private final EngineUser initializingUser;
    /** Runs {@code pg_restore}, which reads backups by their path: the engine user, unless {@link #readingSourcesAs} said otherwise. */
    private final EngineUser sourceReader;
    private final PostgresConfiguration configuration;
    private final ContainerRuntime runtime;
    private final Supplier<Optional<Path>> pgRestoreFinder;

    /**
     * @param configuration container settings, system installations, and the {@code pg_restore} to restore custom,
     *         directory and tar backups with; without one, the one of the server's installation, or else one found on
     *         the {@code PATH} or in {@code /usr/lib/postgresql/}
     */
    public PostgresEngine(PostgresBinaries binaries, EngineUser engineUser, PostgresConfiguration configuration, ContainerRuntime runtime)
    {
        this(binaries, engineUser, configuration, runtime, PostgresEngine::findPgRestore);
    }

    /** With the {@link LocalProcessRuntime#standalone() standalone runtime}. */
    public PostgresEngine(PostgresBinaries binaries, EngineUser engineUser, PostgresConfiguration configuration)
    {
        this(binaries, engineUser, configuration, LocalProcessRuntime.standalone());
    }

    PostgresEngine(PostgresBinaries binaries, EngineUser engineUser, PostgresConfiguration configuration, Supplier<Optional<Path>> pgRestoreFinder)
    {
        this(binaries, engineUser, engineUser, engineUser, configuration, LocalProcessRuntime.standalone(), pgRestoreFinder);
    }

    private PostgresEngine(PostgresBinaries binaries, EngineUser engineUser, PostgresConfiguration configuration, ContainerRuntime runtime,
            Supplier<Optional<Path>> pgRestoreFinder)
    {
        this(binaries, engineUser, engineUser, engineUser, configuration, runtime, pgRestoreFinder);
    }

    private PostgresEngine(PostgresBinaries binaries, EngineUser engineUser, EngineUser initializingUser, EngineUser sourceReader, PostgresConfiguration configuration,
            ContainerRuntime runtime,
            Supplier<Optional<Path>> pgRestoreFinder)
    {
        this.binaries = requireNonNull(binaries, "binaries is null");
        this.engineUser = requireNonNull(engineUser, "engineUser is null");
        this.initializingUser = requireNonNull(initializingUser, "initializingUser is null");
        this.sourceReader = requireNonNull(sourceReader, "sourceReader is null");
        this.configuration = requireNonNull(configuration, "configuration is null");
        this.runtime = requireNonNull(runtime, "runtime is null");
        this.pgRestoreFinder = requireNonNull(pgRestoreFinder, "pgRestoreFinder is null");
    }

    /** With the default configuration ({@link PostgresConfiguration#defaults()}). */
    public PostgresEngine(PostgresBinaries binaries, EngineUser engineUser)
    {
        this(binaries, engineUser, PostgresConfiguration.defaults());
    }

    @Override
    public String name()
    {
        return PostgresBinaries.ENGINE;
    }

    @Override
    public PostgresEngine runningAs(EngineUser account)
    {
        requireNonNull(account, "account is null");
        return account.equals(engineUser) && account.equals(sourceReader) ? this
                : new PostgresEngine(binaries, account, initializingUser, account, configuration, runtime, pgRestoreFinder);
    }

    @Override
    public PostgresEngine readingSourcesAs(EngineUser reader)
    {
        requireNonNull(reader, "reader is null");
        return reader.equals(sourceReader) ? this : new PostgresEngine(binaries, engineUser, initializingUser, reader, configuration, runtime, pgRestoreFinder);
    }

    /** {@code postgres}, the name of PostgreSQL's server program and a common short form. */
    @Override
    public Set<String> aliases()
    {
        return Set.of("postgres");
    }

    @Override
    public Map<String, String> containerParameters()
    {
        return configuration.containerParameters();
    }

    @Override
    public EngineInstallation install(String requestedVersion, ProgressListener progress)
    {
        return binaries.install(requestedVersion, progress);
    }

    @Override
    public String resolveVersion(String requestedVersion)
    {
        return binaries.resolveVersion(requestedVersion);
    }

    @Override
    public Map<String, String> buildParameters()
    {
        return BUILD_PARAMETERS;
    }

    @Override
    public BackupFormat backupFormat(Path backup)
    {
        return detectFormat(backup);
    }

    @Override
    public ServerInfo.EngineInfo describe()
    {
        return new ServerInfo.EngineInfo(name(), binaries.defaultVersion(), binaries.installedVersions(), binaries.availableMajors(),
                binaries.systemInstallations().stream().map(installation -> installation.version() + " (" + installation.binDirectory() + ")").toList());
    }

    @Override
    public void initialize(EngineInstallation installation, Path dataDirectory, String superuserPassword)
    {
        requireNonNull(installation, "installation is null");
        requireNonNull(dataDirectory, "dataDirectory is null");
        requireNonNull(superuserPassword, "superuserPassword is null");
        if (superuserPassword.isEmpty() || superuserPassword.contains("\n") || superuserPassword.contains("\r") || superuserPassword.contains("\0")) {
            throw DollyException.badInput("The superuser password must not be empty and must fit on one line.");
        }
        Path directory = dataDirectory.toAbsolutePath();
        if (!Files.isDirectory(directory)) {
            throw DollyException.engineFailed("Cannot initialize PostgreSQL in " + directory + ": the directory does not exist.");
        }
        Path passwordFile = null;
        try {
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
            initializingUser.takeOwnership(directory);
            // initdb reads the password from a file that only its user can read, removed right after
            passwordFile = Files.createTempFile(directory.getParent(), ".dolly-password-", "", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(passwordFile, superuserPassword + "\n");
            initializingUser.takeOwnership(passwordFile);

            List<String> command = new ArrayList<>(List.of(
                    program(installation, "initdb"),
                    "--pgdata=" + directory,
                    "--username=" + SUPERUSER,
                    "--auth=" + authenticationMethod(installation),
                    "--pwfile=" + passwordFile,
                    "--encoding=UTF8",
                    "--locale=C",
                    // no fsync of every file initdb wrote: an image build flushes its volume once, at the end
                    beforeVersion10(installation) ? "--nosync" : "--no-sync"));
            if (hasWalSegmentSizeOption(installation)) {
                // 1 MB WAL segments instead of 16 MB: on overlay, a container's first write to a segment of its image
                // copies the whole file up, so small segments keep each container's own space small
                command.add("--wal-segsize=" + WAL_SEGMENT_MEGABYTES);
            }
            CommandRunner.Result result = CommandRunner.system().run(Command.of(initializingUser.wrap(command)).inDirectory(directory).withTimeout(INITDB_TIMEOUT));
            if (!result.succeeded()) {
                throw DollyException.engineFailed("initdb could not create a PostgreSQL " + installation.version() + " data directory in " + directory + ": "
                        + result.output().strip());
            }
            if (!initializingUser.equals(engineUser)) {
                // a fresh data directory is small: giving it to the build's own account costs a few milliseconds
                engineUser.takeOwnership(directory);
            }
        }
        catch (IOException e) {
            throw DollyException.engineFailed("Cannot initialize PostgreSQL in " + directory + ": " + e.getMessage(), e);
        }
        finally {
            if (passwordFile != null) {
                try {
                    Files.deleteIfExists(passwordFile);
                }
                catch (IOException ignored) {
                    // unreadable to others, and in a directory of the daemon
                }
            }
        }
    }

    @Override
    public void start(EngineInstallation installation, Path dataDirectory, ServerSettings settings)
    {
        String host = ServerProcesses.connectHost(settings.listenAddress());
        start(installation, dataDirectory, settings, () -> answers(host, settings.port()));
    }

    /**
     * Starts the server and changes the password on the first connection it accepts, as the superuser: one login
     * where a plain {@link #start} and {@link #changePassword} take two.
     */
    @Override
    public void startWithNewPassword(EngineInstallation installation, Path dataDirectory, ServerSettings settings, Endpoint superuser, String user,
            String newPassword)
    {
        requireNonNull(superuser, "superuser is null");
        requireNonNull(user, "user is null");
        checkPassword(newPassword);
        start(installation, dataDirectory, settings, () -> {
            try {
                alterPassword(superuser, user, newPassword);
                return true;
            }
            catch (SQLException e) {
                if (isNotAcceptingYet(e)) {
                    throw e;
                }
                throw new Readiness.GiveUp("Cannot change the password of " + user + ": " + e.getMessage(), e);
            }
        });
    }

    /**
     * Launches {@code postgres} itself through the runtime, every setting Dolly relies on given on its command line
     * (where neither {@code postgresql.conf} nor {@code ALTER SYSTEM} can override them), then waits for its
     * postmaster.pid to say "ready" (PostgreSQL 10 and later) and for {@code firstConnection} to succeed: the server
     * answers within milliseconds of being ready, where {@code pg_ctl start --wait} looks only every 100 ms. A server
     * that does not get ready is killed.
     */
    private void start(EngineInstallation installation, Path dataDirectory, ServerSettings settings, Readiness.Probe firstConnection)
    {
        requireNonNull(installation, "installation is null");
        requireNonNull(dataDirectory, "dataDirectory is null");
        requireNonNull(settings, "settings is null");
        Path directory = dataDirectory.toAbsolutePath();
        Path logFile = settings.logFile().toAbsolutePath();
        List<String> command;
        try {
            ensureStartable(directory);
            Path hbaFile = runtime.writeServerFile(directory, engineUser, "pg_hba.conf", hostBasedAuthentication(installation, settings.listenAddress()));
            command = serverCommand(installation, directory, settings, hbaFile);
        }
        catch (IOException e) {
            throw DollyException.engineFailed("Cannot prepare " + directory + " for PostgreSQL: " + e.getMessage(), e);
        }

        ServerProcess postmaster = runtime.launch(new ServerLaunch(directory, command, engineUser, logFile, List.of()));
        try {
            PostmasterPidFile.awaitReady(directory.resolve(PostmasterPidFile.FILE_NAME), postmaster.ownProcessId(), !beforeVersion10(installation), postmaster::isAlive,
                    postmaster::exitCode, START_TIMEOUT);
            Readiness.await("PostgreSQL on port " + settings.port(), READY_TIMEOUT, FIRST_CONNECTION_PAUSE, ServerProcesses.whileAlive(postmaster, firstConnection));
        }
        catch (DollyException e) {
            runtime.kill(directory);
            throw DollyException.engineFailed("PostgreSQL " + installation.version() + " did not start on port " + settings.port() + ": " + e.getMessage()
                    + "\nThe end of its log (" + logFile + "):\n" + ServerProcesses.tail(logFile), e);
        }
    }

    /**
     * {@code postgres} with its settings: the image's or container's parameters, then the ones Dolly relies on, which
     * win (the last {@code -c} of a name counts): the data directory, the addresses and port, no Unix sockets, and a
     * {@code pg_hba.conf} of the daemon's outside the data directory.
     */
    List<String> serverCommand(EngineInstallation installation, Path directory, ServerSettings settings, Path hbaFile)
    {
        List<String> command = new ArrayList<>(List.of(program(installation, "postgres"), "-D", directory.toString()));
        Map<String, String> parameters = new TreeMap<>();
        if (!settings.parameters().equals(BUILD_PARAMETERS) && !beforeVersion10(installation)
                && Files.exists(directory.resolve(EARLIER_SETTINGS_FILE), LinkOption.NOFOLLOW_LINKS)) {
            parameters.putAll(BUILD_PARAMETER_DEFAULTS);
        }
        parameters.putAll(settings.parameters());
        for (Map.Entry<String, String> parameter : parameters.entrySet()) {
            command.addAll(setting(parameter.getKey(), parameter.getValue()));
        }
        command.addAll(setting("data_directory", directory.toString()));
        command.addAll(setting("hba_file", hbaFile.toString()));
        command.addAll(setting("listen_addresses", settings.listenAddress()));
        command.addAll(setting("port", String.valueOf(settings.port())));
        command.addAll(setting("unix_socket_directories", ""));
        if (!beforeVersion10(installation)) {
            command.addAll(setting("password_encryption", "scram-sha-256"));
        }
        return command;
    }

    /** The server is still starting (or its port not open yet): worth trying again, unlike a refused login. */
    private static boolean isNotAcceptingYet(SQLException e)
    {
        String state = String.valueOf(e.getSQLState());
        // 08001/08006: cannot connect; 57P03: the database system is starting up
        return state.startsWith("08") || state.equals("57P03");
    }

    @Override
    public boolean portTaken(ServerSettings settings)
    {
        // "could not bind IPv4 address ...: Address already in use", then "could not create any TCP/IP sockets"
        return ServerProcesses.logSaysAddressInUse(settings.logFile().toAbsolutePath());
    }

    /**
     * Asks the server for a fast shutdown, as {@code pg_ctl stop -m fast} does: SIGINT to the postmaster (roll back
     * open transactions, disconnect, checkpoint, exit). Saves, loads and deletes wait for it.
     */
    @Override
    public void stop(EngineInstallation installation, Path dataDirectory)
    {
        requireNonNull(installation, "installation is null");
        requireNonNull(dataDirectory, "dataDirectory is null");
        Path directory = dataDirectory.toAbsolutePath();
        if (!runtime.stop(directory, () -> postmaster(directory), "INT", STOP_TIMEOUT)) {
            LOG.warn("PostgreSQL on {} did not stop within {} seconds and was killed: its next start recovers from its write-ahead log", directory, STOP_TIMEOUT.toSeconds());
        }
    }

    /** Whether a process is a postgres server (a postmaster.pid may name a process id that was reused since). */
    private static boolean isPostgres(ProcessHandle process)
    {
        return process.info().command().map(command -> command.endsWith("/postgres")).orElse(false);
    }

    /**
     * The postmaster process of a data directory, from the first line of its postmaster.pid: how a server started
     * before the daemon restarted is found where the runtime has no cgroups.
     */
    private static Optional<ProcessHandle> postmaster(Path directory)
    {
        try {
            List<String> lines = Files.readAllLines(directory.resolve(PostmasterPidFile.FILE_NAME));
            return lines.isEmpty() ? Optional.empty() : ProcessHandle.of(Long.parseLong(lines.getFirst().strip())).filter(PostgresEngine::isPostgres);
        }
        catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean isRunning(EngineInstallation installation, Path dataDirectory)
    {
        requireNonNull(installation, "installation is null");
        requireNonNull(dataDirectory, "dataDirectory is null");
        Path directory = dataDirectory.toAbsolutePath();
        return runtime.isRunning(directory, () -> postmaster(directory));
    }

    @Override
    public String prepareLoad(EngineInstallation installation, Endpoint superuser, LoadPlan plan, ProgressListener progress)
    {
        requireNonNull(installation, "installation is null");
        requireNonNull(superuser, "superuser is null");
        requireNonNull(plan, "plan is null");
        requireNonNull(progress, "progress is null");
        String database = plan.initialDatabase().orElse(MAINTENANCE_DATABASE);
        if (database.equals(MAINTENANCE_DATABASE)) {
            return database;
        }
        // Where the scripts start: the initial database, unless they create or drop it themselves (the Chinook script
        // does "DROP DATABASE IF EXISTS chinook; CREATE DATABASE chinook; \\c chinook"); they then run as psql run
        // from the maintenance database would, and the initial database is made beforehand only if none creates it.
        DatabaseStatements statements = databaseStatements(plan, database, progress);
        if (!statements.creates()) {
            createDatabase(superuser, database);
        }
        return statements.any() ? MAINTENANCE_DATABASE : database;
    }

    /** What the plain SQL of a plan does to the initial database: create it, drop it, or neither. */
    private static DatabaseStatements databaseStatements(LoadPlan plan, String database, ProgressListener progress)
    {
        DatabaseStatements statements = plan.preScript().map(sql -> PlainSqlLoader.databaseStatements(sql, database)).orElse(DatabaseStatements.NONE);
        for (Backup backup : plan.backups()) {
            if (backup.format() == BackupFormat.PLAIN && Files.isRegularFile(backup.path())) {
                progress.progress("Reading backup " + backup.path().getFileName() + " for statements on the database " + database);
                statements = statements.or(PlainSqlLoader.databaseStatements(backup.path(), database));
            }
        }
        for (Path script : plan.scripts()) {
            statements = statements.or(PlainSqlLoader.databaseStatements(script, database));
        }
        return statements;
    }

    @Override
    public void checkDatabaseExists(EngineInstallation installation, Endpoint superuser, String database)
    {
        requireNonNull(superuser, "superuser is null");
        requireNonNull(database, "database is null");
        if (database.equals(MAINTENANCE_DATABASE)) {
            return;
        }
        try (Connection connection = connect(superuser.withDatabase(MAINTENANCE_DATABASE));
                PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, database);
            try (ResultSet rows = exists.executeQuery()) {
                if (!rows.next()) {
                    throw DollyException.loadFailed("The image definition names initialDatabaseName '" + database + "', but no database of that name exists "
                            + "after the load: the backup or a script dropped it and did not create it again. Name the database the backup creates, "
                            + "or leave initialDatabaseName out");
                }
            }
        }
        catch (SQLException e) {
            throw failed("Cannot look for the database " + database, e);
        }
    }

    @Override
    public void execute(EngineInstallation installation, Endpoint superuser, String database, String sql, String label, ProgressListener progress)
    {
        requireNonNull(sql, "sql is null");
        loader(superuser).execute(sql, label, database, progress);
    }

    @Override
    public String restore(EngineInstallation installation, Endpoint superuser, String database, Backup backup, ProgressListener progress)
    {
        return restore(installation, superuser, database, backup, progress, false).database();
    }

    /**
     * A custom, directory or tar backup restored in three parts leaves the third, {@code --section=post-data} (indexes,
     * constraints, triggers), for {@link DeferredIndexes#restore}; the schema database gets the first and the third
     * before the data comes. A plain SQL backup, or one restored in one {@code pg_restore}, is restored whole.
     */
    @Override
    public RestoredBackup restoreWithoutIndexes(EngineInstallation installation, Endpoint superuser, String database, Backup backup, ProgressListener progress)
    {
        return restore(installation, superuser, database, backup, progress, true);
    }

    private RestoredBackup restore(EngineInstallation installation, Endpoint superuser, String database, Backup backup, ProgressListener progress,
            boolean deferIndexes)
    {
        requireNonNull(installation, "installation is null");
        requireNonNull(backup, "backup is null");
        if (!Files.exists(backup.path())) {
            throw DollyException.badInput("The backup " + backup.path() + " does not exist.");
        }
        if (backup.format() == BackupFormat.PLAIN) {
            return new RestoredBackup(loader(superuser).load(backup.path(), database, progress), Optional.empty());
        }
        return new RestoredBackup(database, restoreDump(installation, superuser.withDatabase(database), backup, progress, deferIndexes));
    }

    @Override
    public String runScript(EngineInstallation installation, Endpoint superuser, String database, Path script, ProgressListener progress)
    {
        return loader(superuser).load(script, database, progress);
    }

    /** Runs SQL text the way psql would, connecting as the superuser to whatever database the text connects to. */
    private static PlainSqlLoader loader(Endpoint superuser)
    {
        requireNonNull(superuser, "superuser is null");
        return new PlainSqlLoader(name -> connect(superuser.withDatabase(name)));
    }

    /**
     * Freezes and analyses every table of every database, the biggest first, over up to {@code parallelism}
     * connections at once (one {@code VACUUM (FREEZE, ANALYZE)} per table: a database-wide one works through its
     * tables one after the other), then checkpoints. A table of 1 MB or more whose dead rows are at least a quarter of
     * its live ones (the statistics say so after a transform's subset or masking, or a script's deletes) is compacted
     * by {@code VACUUM FULL}, so that a shrunk image is small.
     */
    @Override
    public void seal(Endpoint superuser, int parallelism)
    {
        requireNonNull(superuser, "superuser is null");
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1: " + parallelism);
        }
        List<String> databases = new ArrayList<>();
        try (Connection connection = connect(superuser.withDatabase(MAINTENANCE_DATABASE));
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT datname FROM pg_database WHERE datallowconn AND datname <> 'template0' ORDER BY datname")) {
            while (rows.next()) {
                databases.add(rows.getString(1));
            }
        }
        catch (SQLException e) {
            throw failed("Cannot list the databases to seal", e);
        }
        List<TableToSeal> tables = new ArrayList<>();
        for (String database : databases) {
            tables.addAll(tablesToSeal(superuser.withDatabase(database)));
        }
        tables.sort(Comparator.comparingLong(TableToSeal::pages).reversed());
        long vacuumStart = System.nanoTime();
        // a connection costs more than vacuuming a system catalog: each worker keeps its connections for the next table
        Map<String, Queue<Connection>> idle = new ConcurrentHashMap<>();
        try {
            ParallelWork.run(tables, parallelism, table -> {
                Queue<Connection> connections = idle.computeIfAbsent(table.database(), database -> new ConcurrentLinkedQueue<>());
                long start = System.nanoTime();
                try {
                    Connection connection = connections.poll();
                    if (connection == null) {
                        connection = connect(superuser.withDatabase(table.database()));
                    }
                    try (Statement statement = connection.createStatement()) {
                        statement.execute(table.command());
                    }
                    finally {
                        connections.add(connection);
                    }
                    long milliseconds = (System.nanoTime() - start) / 1_000_000;
                    if (milliseconds >= SLOW_SEAL_MILLISECONDS) {
                        LOG.info("Sealing: {} in the database {} took {} ms", table.command(), table.database(), milliseconds);
                    }
                }
                catch (SQLException e) {
                    throw failed("Cannot vacuum " + table.qualifiedName() + " in the database " + table.database() + " while sealing", e);
                }
            });
        }
        finally {
            idle.values().forEach(connections -> connections.forEach(PostgresEngine::closeQuietly));
        }
        long checkpointStart = System.nanoTime();
        // The load ran with max_wal_size 1GB, which keeps that much old WAL for reuse. Lowering it for the last
        // checkpoints (this one and the shutdown's) lets the server drop what it no longer needs, so images and
        // their copies are not twice the size of their data.
        try (Connection connection = connect(superuser.withDatabase(MAINTENANCE_DATABASE));
                Statement statement = connection.createStatement()) {
            statement.execute("ALTER SYSTEM SET min_wal_size = '32MB'");
            statement.execute("ALTER SYSTEM SET max_wal_size = '32MB'");
            statement.execute("SELECT pg_reload_conf()");
            statement.execute("SELECT pg_sleep(0.2)");
            statement.execute("CHECKPOINT");
            statement.execute("ALTER SYSTEM RESET min_wal_size");
            statement.execute("ALTER SYSTEM RESET max_wal_size");
        }
        catch (SQLException e) {
            throw failed("Cannot checkpoint while sealing", e);
        }
        LOG.info("Sealing: {} tables frozen and analysed in {} ms on {} connections, then a checkpoint in {} ms", tables.size(),
                (checkpointStart - vacuumStart) / 1_000_000, parallelism, (System.nanoTime() - checkpointStart) / 1_000_000);
    }

    /**
     * A table of one database, and its size in pages when last counted.
     *
     * @param qualifiedName the schema-qualified, quoted name
     * @param compact whether to rewrite it without the room its removed rows and old row versions take
     */
    private record TableToSeal(String database, String qualifiedName, boolean partitioned, long pages, boolean compact)
    {
        /**
         * Partitions are vacuumed themselves: a partitioned table only needs the statistics of the whole. A table that a
         * transform or a script shrank or rewrote is compacted: {@code VACUUM FULL} writes its live rows, frozen, into new
         * files (without WAL, as a build server's {@code wal_level} is {@code minimal}) and builds its indexes again, where
         * a plain {@code VACUUM} would keep its size and clean every index of the dead rows.
         */
        String command()
        {
            return (partitioned ? "ANALYZE " : compact ? "VACUUM (FULL, FREEZE, ANALYZE) " : "VACUUM (FREEZE, ANALYZE) ") + qualifiedName;
        }
    }

    /**
     * The tables and materialised views a database-wide {@code VACUUM} would process, the system catalogs included.
     * Partitioned tables are analysed, for the statistics of the whole, and their partitions vacuumed one by one.
     */
    private static List<TableToSeal> tablesToSeal(Endpoint endpoint)
    {
        List<TableToSeal> tables = new ArrayList<>();
        try (Connection connection = connect(endpoint);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("""
                        SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname), c.relkind, pg_relation_size(c.oid) / 8192,
                               c.relkind IN ('r', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND %s
                        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                        WHERE c.relkind IN ('r', 'm', 'p') AND c.relpersistence <> 't'
                        """.formatted(MOSTLY_DEAD_ROWS))) {
            while (rows.next()) {
                tables.add(new TableToSeal(endpoint.database(), rows.getString(1), rows.getString(2).equals("p"), rows.getLong(3), rows.getBoolean(4)));
            }
        }
        catch (SQLException e) {
            throw failed("Cannot list the tables of the database " + endpoint.database() + " to seal", e);
        }
        return tables;
    }

    @Override
    public void changePassword(Endpoint superuser, String user, String newPassword)
    {
        requireNonNull(superuser, "superuser is null");
        requireNonNull(user, "user is null");
        checkPassword(newPassword);
        try {
            alterPassword(superuser, user, newPassword);
        }
        catch (SQLException e) {
            throw failed("Cannot change the password of " + user, e);
        }
    }

    /**
     * Logs in as the superuser now and hashes the new password (SCRAM, or MD5 before PostgreSQL 10) into its
     * {@code ALTER ROLE} statement: applying it is then one statement over the open connection, with neither a login
     * nor a hash to wait for.
     */
    @Override
    public PasswordChange preparePasswordChange(Endpoint superuser, String user, String newPassword)
    {
        requireNonNull(superuser, "superuser is null");
        requireNonNull(user, "user is null");
        checkPassword(newPassword);
        Connection connection = null;
        char[] password = newPassword.toCharArray();
        try {
            // the database the endpoint names: the session's login builds that database's catalog caches, which every
            // start of the server discards, before the user's own login needs them
            connection = connect(superuser);
            String encryption = connection.getMetaData().getDatabaseMajorVersion() < 10 ? "md5" : "scram-sha-256";
            String statement = PasswordUtil.genAlterUserPasswordSQL(user, password, encryption);
            return new PreparedPasswordChange(connection, user, newPassword, statement);
        }
        catch (SQLException e) {
            if (connection != null) {
                closeQuietly(connection);
            }
            throw failed("Cannot log in to prepare the password change of " + user, e);
        }
        finally {
            Arrays.fill(password, '\0');
        }
    }

    /** A superuser session holding the statement that sets a user's new password. */
    private static final class PreparedPasswordChange
            implements PasswordChange
    {
        private final Connection connection;
        private final String user;
        private final String newPassword;
        private final String statement;

        private PreparedPasswordChange(Connection connection, String user, String newPassword, String statement)
        {
            this.connection = connection;
            this.user = user;
            this.newPassword = newPassword;
            this.statement = statement;
        }

        @Override
        public String newPassword()
        {
            return newPassword;
        }

        @Override
        public void apply()
        {
            try (Statement alter = connection.createStatement()) {
                alter.execute(statement);
            }
            catch (SQLException e) {
                throw failed("Cannot change the password of " + user, e);
            }
            finally {
                closeQuietly(connection);
            }
        }

        @Override
        public void close()
        {
            closeQuietly(connection);
        }
    }

    private static void checkPassword(String newPassword)
    {
        requireNonNull(newPassword, "newPassword is null");
        if (newPassword.isEmpty() || newPassword.contains("\0")) {
            throw DollyException.badInput("A password must not be empty.");
        }
    }

    private static void alterPassword(Endpoint superuser, String user, String newPassword)
            throws SQLException
    {
        // The driver hashes the password (SCRAM or MD5) before sending it: the server, and its log, never see it
        try (Connection connection = connect(superuser.withDatabase(MAINTENANCE_DATABASE))) {
            String encryption = connection.getMetaData().getDatabaseMajorVersion() < 10 ? "md5" : "scram-sha-256";
            char[] password = newPassword.toCharArray();
            try {
                connection.unwrap(PGConnection.class).alterUserPassword(user, password, encryption);
            }
            finally {
                Arrays.fill(password, '\0');
            }
        }
    }

    @Override
    public String serverVersion(Endpoint endpoint)
    {
        requireNonNull(endpoint, "endpoint is null");
        try (Connection connection = connect(endpoint);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT version()")) {
            rows.next();
            return rows.getString(1);
        }
        catch (SQLException e) {
            throw failed("Cannot ask PostgreSQL on port " + endpoint.port() + " for its version", e);
        }
    }

    @Override
    public int clientConnections(Endpoint superuser)
    {
        requireNonNull(superuser, "superuser is null");
        try (Connection connection = connect(superuser.withDatabase(MAINTENANCE_DATABASE));
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()")) {
            rows.next();
            return rows.getInt(1);
        }
        catch (SQLException e) {
            throw failed("Cannot count the clients of PostgreSQL on port " + superuser.port(), e);
        }
    }

    @Override
    public String defaultUser()
    {
        return SUPERUSER;
    }

    @Override
    public String defaultDatabase()
    {
        return MAINTENANCE_DATABASE;
    }

    @Override
    public ConnectionStrings connectionStrings(Endpoint endpoint)
    {
        requireNonNull(endpoint, "endpoint is null");
        String uri = "postgresql://" + ConnectionStrings.uriEncode(endpoint.user()) + ":" + ConnectionStrings.uriEncode(endpoint.password()) + "@"
                + ConnectionStrings.uriHost(endpoint.host()) + ":" + endpoint.port() + "/" + ConnectionStrings.uriEncode(endpoint.database());
        String keyValue = "host=" + keyValueQuote(endpoint.host())
                + " port=" + endpoint.port()
                + " user=" + keyValueQuote(endpoint.user())
                + " password=" + keyValueQuote(endpoint.password())
                + " dbname=" + keyValueQuote(endpoint.database());
        return new ConnectionStrings(uri, jdbcUrl(endpoint), keyValue);
    }

    /**
     * The format of a pg_dump backup: a directory with {@code toc.dat} is the directory format, a file starting with
     * {@code PGDMP} the custom format, a file with a tar header the tar format; anything else is taken for SQL text.
     *
     * @throws DollyException BAD_INPUT for a missing file, or a directory that is no directory-format backup
     */
    public static BackupFormat detectFormat(Path path)
    {
        requireNonNull(path, "path is null");
        if (Files.isDirectory(path)) {
            if (Files.isRegularFile(path.resolve("toc.dat"))) {
                return BackupFormat.DIRECTORY;
            }
            throw DollyException.badInput(path + " is a directory without toc.dat, so not a backup of pg_dump's directory format (pg_dump -Fd). "
                    + "Name the backup file, or the directory pg_dump -Fd wrote.");
        }
        if (!Files.isRegularFile(path)) {
            throw DollyException.badInput("The backup " + path + " does not exist.");
        }
        byte[] header = new byte[512];
        int length = 0;
        try (InputStream input = Files.newInputStream(path)) {
            int count;
            while (length < header.length && (count = input.read(header, length, header.length - length)) > 0) {
                length += count;
            }
        }
        catch (IOException e) {
            throw DollyException.storageFailed("Cannot read the backup " + path + ": " + e.getMessage(), e);
        }
        if (length >= 5 && new String(header, 0, 5, StandardCharsets.US_ASCII).equals("PGDMP")) {
            return BackupFormat.CUSTOM;
        }
        if (length >= 262 && new String(header, 257, 5, StandardCharsets.US_ASCII).equals("ustar")) {
            return BackupFormat.TAR;
        }
        return BackupFormat.PLAIN;
    }

    /** A {@code pg_restore} on the {@code PATH}, or else the newest in {@code /usr/lib/postgresql/}. */
    public static Optional<Path> findPgRestore()
    {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String entry : path.split(":")) {
                if (!entry.isEmpty()) {
                    Path candidate = Path.of(entry, "pg_restore");
                    if (Files.isExecutable(candidate)) {
                        return Optional.of(candidate);
                    }
                }
            }
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(debian)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(debian)) {
            return versions
                    .filter(version -> PostgresVersions.isValid(version.getFileName().toString()))
                    .sorted(Comparator.comparing((Path version) -> version.getFileName().toString(), PostgresVersions.ORDER).reversed())
                    .map(version -> version.resolve("bin").resolve("pg_restore"))
                    .filter(Files::isExecutable)
                    .findFirst();
        }
        catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Restores a custom, directory or tar backup with pg_restore. When its text is UTF-8, in three parts: the schema
     * ({@code --section=pre-data}), then the tables' data as SQL text ({@code --section=data --file=-}) through
     * {@link PlainSqlLoader} on up to {@link #restoreJobs} connections, which fills each new, empty table with
     * {@code COPY ... FREEZE} (its rows frozen as they are written, so that sealing need not rewrite every page, and
     * without WAL), then indexes and constraints ({@code --section=post-data}, in parallel jobs). Otherwise in one
     * {@code pg_restore --jobs}.
     */
    private Optional<DeferredIndexes> restoreDump(EngineInstallation installation, Endpoint target, Backup backup, ProgressListener progress, boolean deferIndexes)
    {
        Path program = pgRestore(installation).orElseThrow(() -> DollyException.engineFailed(
                "Restoring custom/directory/tar dumps needs pg_restore: install the postgresql-client package "
                        + "(Debian/Ubuntu: apt-get install postgresql-client) or configure its path"));
        List<String> dataEntries = dataEntries(program, backup);
        if (dataEntries.isEmpty() || !isUtf8(program, backup)) {
            pgRestore(program, target, backup, List.of(), true);
            return Optional.empty();
        }
        pgRestore(program, target, backup, List.of("--section=pre-data"), false);
        Optional<DeferredIndexes> deferred = Optional.empty();
        if (deferIndexes) {
            deferred = Optional.of(schemaDatabase(program, target, backup));
        }
        restoreData(program, target, backup, dataEntries, progress);
        if (deferred.isEmpty()) {
            pgRestore(program, target, backup, List.of("--section=post-data"), true);
        }
        return deferred;
    }

    /**
     * Creates the schema database of a restore that defers its indexes: the backup's schema, indexes and
     * constraints, no rows. Its name is chosen at random, so that no database of the backup's server can be taken for
     * it; it never outlives the build, whose server goes when it fails, and whose seal comes after it is dropped.
     */
    private DeferredIndexes schemaDatabase(Path program, Endpoint target, Backup backup)
    {
        String schemaDatabase = "dolly_schema_" + Passwords.random(12, "abcdefghijklmnopqrstuvwxyz0123456789");
        createDatabase(target, schemaDatabase);
        Endpoint schema = target.withDatabase(schemaDatabase);
        pgRestore(program, schema, backup, List.of("--section=pre-data"), false);
        pgRestore(program, schema, backup, List.of("--section=post-data"), false);
        return new DeferredIndexes()
        {
            @Override
            public String schemaDatabase()
            {
                return schemaDatabase;
            }

            @Override
            public void restore(ProgressListener progress)
            {
                progress.progress("Adding the indexes and constraints of " + backup.path().getFileName());
                CommandRunner.Result result = runPgRestore(program, target, backup, List.of("--section=post-data"), true);
                if (!result.succeeded()) {
                    throw DollyException.loadFailed("The transformed data of " + target.database() + " does not fit the indexes and constraints of "
                            + backup.path().getFileName() + ": " + result.output().strip() + ". Change the transform so that its result keeps them, then build again.");
                }
                dropDatabase(target, schemaDatabase);
            }
        };
    }

    private static int restoreJobs()
    {
        return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    }

    private void pgRestore(Path program, Endpoint target, Backup backup, List<String> options, boolean parallel)
    {
        CommandRunner.Result result = runPgRestore(program, target, backup, options, parallel);
        if (!result.succeeded()) {
            throw restoreFailed(program, target, backup, result.output());
        }
    }

    private CommandRunner.Result runPgRestore(Path program, Endpoint target, Backup backup, List<String> options, boolean parallel)
    {
        List<String> command = new ArrayList<>(List.of(
                program.toString(),
                "--no-owner", "--no-privileges", "--exit-on-error", "--no-password",
                "--host=" + target.host(),
                "--port=" + target.port(),
                "--username=" + target.user(),
                "--dbname=" + target.database()));
        command.addAll(options);
        if (parallel && backup.format() != BackupFormat.TAR) {
            command.add("--jobs=" + restoreJobs());
        }
        command.add(backup.path().toAbsolutePath().toString());
        // pg_restore reads what the backup names with the rights of the build's account: its staging directory only
        return CommandRunner.system().run(Command.of(sourceReader.wrap(command))
                .withEnvironment(Map.of("PGPASSWORD", target.password(), "PGAPPNAME", "dolly", "PGCONNECT_TIMEOUT", "10"))
                .withTimeout(RESTORE_TIMEOUT));
    }

    private static DollyException restoreFailed(Path program, Endpoint target, Backup backup, String output)
    {
        String text = output.strip();
        String advice = text.contains("unsupported version")
                ? " This pg_restore (" + program + ") is older than the pg_dump that wrote the backup: install a newer postgresql-client or configure a newer pg_restore."
                : " Fix the backup, or load it from SQL text instead.";
        return DollyException.loadFailed("pg_restore could not restore " + backup.path() + " into the database " + target.database() + ": " + text + "." + advice);
    }

    /** The backup's entries of the data section ({@code TABLE DATA}, {@code SEQUENCE SET}, large objects), as {@code pg_restore --list} writes them. */
    private List<String> dataEntries(Path program, Backup backup)
    {
        CommandRunner.Result result = CommandRunner.system().run(Command.of(sourceReader.wrap(List.of(program.toString(), "--list", "--section=data",
                        backup.path().toAbsolutePath().toString())))
                .withTimeout(RESTORE_TIMEOUT));
        if (!result.succeeded()) {
            throw DollyException.loadFailed("pg_restore could not read " + backup.path() + ": " + result.output().strip() + ". Fix the backup, or load it from SQL text instead.");
        }
        return result.output().lines().filter(line -> !line.isBlank() && !line.startsWith(";")).toList();
    }

    /** Whether the backup's text is UTF-8, which {@link PlainSqlLoader} reads: from the client_encoding its SQL text sets. */
    private boolean isUtf8(Path program, Backup backup)
    {
        Path noEntries = null;
        try {
            noEntries = Files.createTempFile("dolly-restore-", ".list");
            sourceReader.takeOwnership(noEntries);
            CommandRunner.Result result = CommandRunner.system().run(Command.of(sourceReader.wrap(List.of(program.toString(), "--file=-", "--use-list=" + noEntries,
                            backup.path().toAbsolutePath().toString())))
                    .withTimeout(RESTORE_TIMEOUT));
            return result.succeeded() && result.output().lines().anyMatch(line -> line.strip().equalsIgnoreCase("SET client_encoding = 'UTF8';"));
        }
        catch (IOException e) {
            throw DollyException.storageFailed("Cannot write a temporary file: " + e.getMessage(), e);
        }
        finally {
            deleteQuietly(noEntries);
        }
    }

    /** Streams the data section's SQL text into the loader, the entries split over up to {@link #restoreJobs} pg_restore processes and connections. */
    private void restoreData(Path program, Endpoint target, Backup backup, List<String> entries, ProgressListener progress)
    {
        int streams = Math.min(restoreJobs(), entries.size());
        List<List<String>> parts = new ArrayList<>();
        for (int index = 0; index < streams; index++) {
            parts.add(new ArrayList<>());
        }
        for (int index = 0; index < entries.size(); index++) {
            parts.get(index % streams).add(entries.get(index));
        }
        ParallelWork.run(parts, streams, part -> restoreData(program, target, backup, part, parts.indexOf(part) + 1, progress));
    }

    private void restoreData(Path program, Endpoint target, Backup backup, List<String> entries, int part, ProgressListener progress)
    {
        Path list = null;
        Path errors = null;
        Process process = null;
        try {
            list = Files.createTempFile("dolly-restore-", ".list");
            errors = Files.createTempFile("dolly-restore-", ".errors");
            Files.write(list, entries, StandardCharsets.UTF_8);
            sourceReader.takeOwnership(list);
            process = CommandRunner.system().stream(Command.of(sourceReader.wrap(List.of(program.toString(), "--section=data", "--no-owner", "--no-privileges", "--file=-",
                    "--use-list=" + list, backup.path().toAbsolutePath().toString()))), errors);
            String name = backup.path().getFileName() + " (data, part " + part + ")";
            try (Reader text = new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT))) {
                loader(target).load(text, name, target.database(), progress);
            }
            if (!process.waitFor(RESTORE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) || process.exitValue() != 0) {
                throw restoreFailed(program, target, backup, Files.readString(errors));
            }
        }
        catch (IOException e) {
            throw DollyException.engineFailed("Cannot restore the data of " + backup.path() + ": " + e.getMessage(), e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DollyException.failed("Interrupted while restoring " + backup.path());
        }
        finally {
            if (process != null) {
                process.destroyForcibly();
            }
            deleteQuietly(list);
            deleteQuietly(errors);
        }
    }

    private static void deleteQuietly(Path file)
    {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            }
            catch (IOException ignored) {
                // a temporary file of a few bytes
            }
        }
    }

    private Optional<Path> pgRestore(EngineInstallation installation)
    {
        Path bundled = installation.binDirectory().resolve("pg_restore");
        if (Files.isExecutable(bundled)) {
            return Optional.of(bundled);
        }
        Optional<Path> pgRestore = configuration.pgRestore();
        if (pgRestore.isPresent()) {
            if (!Files.isExecutable(pgRestore.get())) {
                throw DollyException.engineFailed("The configured pg_restore " + pgRestore.get() + " does not exist or cannot be run: "
                        + "configure the path of an installed pg_restore, or none to use the one on the PATH.");
            }
            return pgRestore;
        }
        return pgRestoreFinder.get();
    }

    private void createDatabase(Endpoint superuser, String database)
    {
        if (database.isEmpty() || database.contains("\0")) {
            throw DollyException.badInput("'" + database + "' is not a database name.");
        }
        try (Connection connection = connect(superuser.withDatabase(MAINTENANCE_DATABASE))) {
            try (PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                exists.setString(1, database);
                try (ResultSet rows = exists.executeQuery()) {
                    if (rows.next()) {
                        return;
                    }
                }
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE DATABASE " + quoteIdentifier(database));
            }
        }
        catch (SQLException e) {
            throw failed("Cannot create the database " + database, e);
        }
    }

    private void dropDatabase(Endpoint superuser, String database)
    {
        try (Connection connection = connect(superuser.withDatabase(MAINTENANCE_DATABASE)); Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE " + quoteIdentifier(database));
        }
        catch (SQLException e) {
            throw failed("Cannot drop the database " + database, e);
        }
    }

    static String quoteIdentifier(String identifier)
    {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    private static void closeQuietly(Connection connection)
    {
        try {
            connection.close();
        }
        catch (SQLException ignored) {
            // the session ends with the connection either way
        }
    }

    @Override
    public dev.dolly.core.transform.TransformDatabase openTransform(Endpoint superuser, Optional<DeferredIndexes> deferredIndexes)
    {
        List<Connection> connections = new ArrayList<>();
        try {
            connections.add(connect(superuser));
            connections.add(connect(superuser));
            if (deferredIndexes.isPresent()) {
                connections.add(connect(superuser.withDatabase(deferredIndexes.get().schemaDatabase())));
            }
            return new PostgresTransformDatabase(connections.get(0), connections.get(1), connections.size() > 2 ? Optional.of(connections.get(2)) : Optional.empty());
        }
        catch (SQLException | RuntimeException e) {
            for (Connection connection : connections) {
                try {
                    connection.close();
                }
                catch (SQLException closing) {
                    e.addSuppressed(closing);
                }
            }
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw DollyException.badInput("The transform could not connect to the build's server: " + e.getMessage());
        }
    }

    private static Connection connect(Endpoint endpoint)
            throws SQLException
    {
        Properties properties = new Properties();
        properties.setProperty("user", endpoint.user());
        properties.setProperty("password", endpoint.password());
        properties.setProperty("ApplicationName", "dolly");
        properties.setProperty("loginTimeout", String.valueOf(LOGIN_TIMEOUT_SECONDS));
        properties.setProperty("connectTimeout", String.valueOf(LOGIN_TIMEOUT_SECONDS));
        return DriverManager.getConnection(jdbcUrl(endpoint), properties);
    }

    /** Whether the server takes connections: it gets to asking for a password (or refusing it) once it is ready. */
    private static boolean answers(String host, int port)
            throws SQLException
    {
        Properties properties = new Properties();
        properties.setProperty("user", SUPERUSER);
        properties.setProperty("ApplicationName", "dolly");
        properties.setProperty("loginTimeout", "5");
        properties.setProperty("connectTimeout", "5");
        String url = "jdbc:postgresql://" + ConnectionStrings.uriHost(host) + ":" + port + "/" + MAINTENANCE_DATABASE;
        try (Connection ignored = DriverManager.getConnection(url, properties)) {
            return true;
        }
        catch (SQLException e) {
            String state = String.valueOf(e.getSQLState());
            // 08004: the driver has no password to answer the server's request; 28xxx: authentication refused
            if (state.equals("08004") || state.startsWith("28")) {
                return true;
            }
            throw e;
        }
    }

    private static DollyException failed(String action, SQLException e)
    {
        return DollyException.engineFailed(action + ": " + e.getMessage(), e);
    }

    private static String jdbcUrl(Endpoint endpoint)
    {
        return "jdbc:postgresql://" + ConnectionStrings.uriHost(endpoint.host()) + ":" + endpoint.port() + "/" + ConnectionStrings.uriEncode(endpoint.database());
    }

    /** A libpq keyword/value: quoted when empty or holding spaces, quotes or backslashes, which are escaped. */
    static String keyValueQuote(String value)
    {
        if (!value.isEmpty() && value.chars().noneMatch(character -> Character.isWhitespace(character) || character == '\'' || character == '\\')) {
            return value;
        }
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private static String program(EngineInstallation installation, String name)
    {
        return installation.binDirectory().resolve(name).toString();
    }

    /** initdb sets the WAL segment size from PostgreSQL 11 on; before, it was fixed when the server was built. */
    private static boolean hasWalSegmentSizeOption(EngineInstallation installation)
    {
        return !beforeVersion10(installation) && Integer.parseInt(installation.majorVersion()) >= 11;
    }

    private static boolean beforeVersion10(EngineInstallation installation)
    {
        return installation.majorVersion().contains(".");
    }

    private static String authenticationMethod(EngineInstallation installation)
    {
        return beforeVersion10(installation) ? "md5" : "scram-sha-256";
    }

    private static boolean isLoopback(String listenAddress)
    {
        return Arrays.stream(listenAddress.split(","))
                .map(String::strip)
                .allMatch(address -> address.equals("localhost") || address.startsWith("127.") || address.equals("::1"));
    }

    /** A {@code -c name=value} option of {@code postgres}. */
    private static List<String> setting(String name, String value)
    {
        if (!PARAMETER_NAME.matcher(name).matches()) {
            throw DollyException.badInput("'" + name + "' is not a PostgreSQL setting name: use names such as shared_buffers.");
        }
        if (value.contains("\n") || value.contains("\r") || value.contains("\0")) {
            throw DollyException.badInput("The value of the PostgreSQL setting " + name + " must fit on one line.");
        }
        return List.of("-c", name + "=" + value);
    }

    private static String hostBasedAuthentication(EngineInstallation installation, String listenAddress)
    {
        String method = authenticationMethod(installation);
        StringBuilder text = new StringBuilder("# Written by Dolly at each start, outside the data directory: password logins over TCP only.\n");
        text.append("host all all 127.0.0.1/32 ").append(method).append('\n');
        text.append("host all all ::1/128 ").append(method).append('\n');
        if (!isLoopback(listenAddress)) {
            // listening beyond loopback: clients come from other machines, always with a password
            text.append("host all all 0.0.0.0/0 ").append(method).append('\n');
            text.append("host all all ::/0 ").append(method).append('\n');
        }
        return text.toString();
    }

    /** A PostgreSQL data directory, made startable; the runtime makes it the server's account's at launch. */
    private static void ensureStartable(Path directory)
            throws IOException
    {
        if (!Files.isRegularFile(directory.resolve("PG_VERSION"))) {
            throw DollyException.engineFailed(directory + " is not a PostgreSQL data directory (it has no PG_VERSION).");
        }
        ServerProcesses.claimDataDirectory(directory);
    }

}
