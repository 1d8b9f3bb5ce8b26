package dev.dolly.core.testing;

import dev.dolly.api.DollyException;
import dev.dolly.api.ServerInfo;
import dev.dolly.core.engine.ConnectionStrings;
import dev.dolly.core.engine.DeferredIndexes;
import dev.dolly.core.engine.Endpoint;
import dev.dolly.core.engine.Engine;
import dev.dolly.core.engine.EngineInstallation;
import dev.dolly.core.engine.EngineUser;
import dev.dolly.core.engine.LoadPlan;
import dev.dolly.core.engine.PasswordChange;
import dev.dolly.core.engine.ProgressListener;
import dev.dolly.core.engine.RestoredBackup;
import dev.dolly.core.engine.ServerSettings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * An engine without a database server, for tests of the services: a "server" is an entry in memory keyed by its data
 * directory, and everything a real server would keep is kept in files of the data directory, so that clones,
 * snapshots and revisions carry it like they carry a real one's:
 * <ul>
 * <li>{@value #MARKER}: written by {@link #initialize}, holds the superuser's password (a server refuses to start on
 * a directory without it, and refuses logins with another password);</li>
 * <li>{@value #LOADED}: what the scripts, backups and files of a load loaded, one line each;</li>
 * <li>{@value #ROWS}: rows clients wrote through {@link #insertRow}.</li>
 * </ul>
 * Like PostgreSQL, it refuses to start on a sealed image (a root directory its owner cannot write). Every operation
 * can be made to fail ({@link #fail}), loads can be held until a test lets them go ({@link #holdLoads}), and every
 * call is counted ({@link #calls}). No process, no port: {@link #kill} stands for servers that died with the machine.
 */
public final class FakeEngine
        implements Engine
{
    public static final String NAME = "fake";
    public static final String DEFAULT_VERSION = "1.0.0";
    public static final String MARKER = "fake-engine";
    public static final String LOADED = "loaded";
    public static final String ROWS = "rows";
    private static final List<String> VERSIONS = List.of("1.0.0", "2.0.0");

    /** The operations that can be made to fail, and that are counted. */
    public enum Operation
    {
        INSTALL, INITIALIZE, START, LOAD, SEAL, STOP, CHANGE_PASSWORD, PREPARE_PASSWORD_CHANGE, APPLY_PASSWORD_CHANGE,
        /** A backup restored without its indexes ({@link #restoreWithoutIndexes}). */
        RESTORE_WITHOUT_INDEXES,
        /** A transform opened on a database whose indexes come after it. */
        OPEN_TRANSFORM_BEFORE_INDEXES,
        /** The indexes a restore left out, added ({@link DeferredIndexes#restore}). */
        RESTORE_INDEXES
    }

    private final Map<Path, Integer> running = new HashMap<>();
    private final Map<Integer, Integer> passwordChangesByPort = new HashMap<>();
    private final Map<Integer, Integer> clients = new HashMap<>();
    private final Map<Operation, Integer> calls = new EnumMap<>(Operation.class);
    /** The sessions of prepared password changes still open, by port. */
    private final Map<Integer, Integer> sessions = new HashMap<>();
    private final Set<Operation> failing = EnumSet.noneOf(Operation.class);
    private final List<LoadPlan> plans = new ArrayList<>();
    private final List<EngineUser> accounts = new ArrayList<>();
    private CountDownLatch loadGate = new CountDownLatch(0);
    private CountDownLatch installGate = new CountDownLatch(0);

    /** Makes every later call of the operation fail, until {@link #succeed} is called. */
    public synchronized FakeEngine fail(Operation operation)
    {
        failing.add(requireNonNull(operation, "operation is null"));
        return this;
    }

    public synchronized FakeEngine succeed(Operation operation)
    {
        failing.remove(requireNonNull(operation, "operation is null"));
        return this;
    }

    /**
     * Makes loads wait until the returned latch is counted down, their server is stopped, or 30 seconds pass: builds
     * stay PENDING meanwhile.
     */
    public synchronized CountDownLatch holdLoads()
    {
        loadGate = new CountDownLatch(1);
        return loadGate;
    }

    /** How often the operation was called, failed calls included. */
    public synchronized int calls(Operation operation)
    {
        return calls.getOrDefault(operation, 0);
    }

    /** How many times a password was changed by logging in to the server on this port. */
    public synchronized int passwordChangesOn(int port)
    {
        return passwordChangesByPort.getOrDefault(port, 0);
    }

    /** The plans loads were started with ({@link #prepareLoad}), in order. */
    public synchronized List<LoadPlan> loadPlans()
    {
        return List.copyOf(plans);
    }

    /** The data directories a server runs on. */
    public synchronized Set<Path> runningDirectories()
    {
        return Set.copyOf(running.keySet());
    }

    /** The ports servers listen on. */
    public synchronized Set<Integer> runningPorts()
    {
        return Set.copyOf(running.values());
    }

    /** The servers die without a shutdown, as with a machine that restarts. */
    public synchronized void kill()
    {
        running.clear();
    }

    /** A client writes a row through the server on a port, logged in with a password. */
    public synchronized void insertRow(int port, String password, String row)
    {
        Path dataDirectory = login(port, password);
        append(dataDirectory.resolve(ROWS), row);
    }

    /** The rows a client reads through the server on a port, logged in with a password. */
    public synchronized List<String> rows(int port, String password)
    {
        Path file = login(port, password).resolve(ROWS);
        return Files.exists(file) ? readLines(file) : List.of();
    }

    @Override
    public String name()
    {
        return NAME;
    }

    /** The fake runs no process: it records the account, and is itself the engine bound to it. */
    @Override
    public synchronized FakeEngine runningAs(EngineUser account)
    {
        accounts.add(requireNonNull(account, "account is null"));
        return this;
    }

    @Override
    public FakeEngine readingSourcesAs(EngineUser reader)
    {
        requireNonNull(reader, "reader is null");
        return this;
    }

    /** The accounts the services bound the engine to ({@link #runningAs}), in order. */
    public synchronized List<EngineUser> accountsUsed()
    {
        return List.copyOf(accounts);
    }

    /**
     * Makes installs wait until the returned latch is counted down (or 30 seconds pass): a container creation then
     * waits with its record made and its clone not yet taken.
     */
    public synchronized CountDownLatch holdInstalls()
    {
        installGate = new CountDownLatch(1);
        return installGate;
    }

    /** Installs, after waiting for the latch of {@link #holdInstalls}. */
    @Override
    public EngineInstallation install(String requestedVersion, ProgressListener progress)
    {
        CountDownLatch gate;
        synchronized (this) {
            gate = installGate;
        }
        try {
            if (!gate.await(30, TimeUnit.SECONDS)) {
                throw DollyException.engineFailed("The held install was never let go.");
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DollyException.failed("Interrupted while installing");
        }
        return installNow(requestedVersion, progress);
    }

    private synchronized EngineInstallation installNow(String requestedVersion, ProgressListener progress)
    {
        count(Operation.INSTALL);
        String version = resolveVersion(requestedVersion);
        progress.progress("Installing " + NAME + " " + version);
        return new EngineInstallation(NAME, version, Path.of(NAME, version, "bin"));
    }

    @Override
    public String resolveVersion(String requestedVersion)
    {
        if (requestedVersion == null) {
            return DEFAULT_VERSION;
        }
        return VERSIONS.stream()
                .filter(version -> version.equals(requestedVersion) || version.startsWith(requestedVersion + "."))
                .findFirst()
                .orElseThrow(() -> DollyException.badInput("Engine " + NAME + " has no version '" + requestedVersion + "': use one of " + String.join(", ", VERSIONS) + "."));
    }

    @Override
    public synchronized void initialize(EngineInstallation installation, Path dataDirectory, String superuserPassword)
    {
        count(Operation.INITIALIZE);
        try (var entries = Files.list(dataDirectory)) {
            if (entries.findAny().isPresent()) {
                throw DollyException.engineFailed("The data directory " + dataDirectory + " is not empty.");
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        write(dataDirectory.resolve(MARKER), superuserPassword);
    }

    @Override
    public Map<String, String> buildParameters()
    {
        return Map.of("durability", "off");
    }

    @Override
    public synchronized void start(EngineInstallation installation, Path dataDirectory, ServerSettings settings)
    {
        count(Operation.START);
        Path key = key(dataDirectory);
        if (!Files.isRegularFile(key.resolve(MARKER))) {
            throw DollyException.engineFailed(dataDirectory + " is not a data directory of " + NAME + ".");
        }
        if (!permissions(key).contains(PosixFilePermission.OWNER_WRITE)) {
            throw DollyException.engineFailed(dataDirectory + " is a sealed image: it is never started.");
        }
        if (running.containsKey(key)) {
            throw DollyException.engineFailed("A server runs on " + dataDirectory + " already.");
        }
        if (running.containsValue(settings.port())) {
            throw DollyException.engineFailed("Port " + settings.port() + " is taken by another server.");
        }
        running.put(key, settings.port());
    }

    @Override
    public synchronized void stop(EngineInstallation installation, Path dataDirectory)
    {
        count(Operation.STOP);
        running.remove(key(dataDirectory));
    }

    @Override
    public synchronized boolean isRunning(EngineInstallation installation, Path dataDirectory)
    {
        return running.containsKey(key(dataDirectory));
    }

    /** The start of a load: counted as {@link Operation#LOAD}, held by {@link #holdLoads}. */
    @Override
    public String prepareLoad(EngineInstallation installation, Endpoint superuser, LoadPlan plan, ProgressListener progress)
    {
        Optional<String> initialDatabase = plan.initialDatabase();
        CountDownLatch gate;
        synchronized (this) {
            count(Operation.LOAD);
            plans.add(plan);
            gate = loadGate;
        }
        try {
            // like a client whose server goes away, a held load ends when its server is stopped
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!gate.await(10, TimeUnit.MILLISECONDS)) {
                synchronized (this) {
                    if (!running.containsValue(superuser.port())) {
                        throw DollyException.engineFailed("The server on port " + superuser.port() + " stopped during the load.");
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw DollyException.engineFailed("The held load was never let go.");
                }
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DollyException.failed("Interrupted while loading");
        }
        synchronized (this) {
            login(superuser.port(), superuser.password());
            return initialDatabase.orElse(defaultDatabase());
        }
    }

    /** Its sources never drop a database: the initial database is there once {@link #prepareLoad} made it. */
    @Override
    public synchronized void checkDatabaseExists(EngineInstallation installation, Endpoint superuser, String database)
    {
        login(superuser.port(), superuser.password());
    }

    @Override
    public synchronized void execute(EngineInstallation installation, Endpoint superuser, String database, String sql, String label, ProgressListener progress)
    {
        loaded(superuser, label + " " + sql.strip(), progress);
    }

    @Override
    public synchronized String restore(EngineInstallation installation, Endpoint superuser, String database, LoadPlan.Backup backup, ProgressListener progress)
    {
        loaded(superuser, "backup " + backup.path().getFileName() + " " + backup.format(), progress);
        return database;
    }

    /** Restores as {@link #restore} does, and leaves "indexes" that {@link Operation#RESTORE_INDEXES} counts when restored. */
    @Override
    public synchronized RestoredBackup restoreWithoutIndexes(EngineInstallation installation, Endpoint superuser, String database, LoadPlan.Backup backup,
            ProgressListener progress)
    {
        count(Operation.RESTORE_WITHOUT_INDEXES);
        String endedIn = restore(installation, superuser, database, backup, progress);
        return new RestoredBackup(endedIn, Optional.of(new DeferredIndexes()
        {
            @Override
            public String schemaDatabase()
            {
                return "schema of " + database;
            }

            @Override
            public void restore(ProgressListener indexesProgress)
            {
                synchronized (FakeEngine.this) {
                    count(Operation.RESTORE_INDEXES);
                }
            }
        }));
    }

    @Override
    public synchronized String runScript(EngineInstallation installation, Endpoint superuser, String database, Path script, ProgressListener progress)
    {
        loaded(superuser, "script " + script.getFileName(), progress);
        return database;
    }

    private void loaded(Endpoint superuser, String line, ProgressListener progress)
    {
        Path dataDirectory = login(superuser.port(), superuser.password());
        progress.progress("Loading " + line);
        append(dataDirectory.resolve(LOADED), line);
    }

    @Override
    public LoadPlan.BackupFormat backupFormat(Path backup)
    {
        return LoadPlan.BackupFormat.PLAIN;
    }

    @Override
    public synchronized void seal(Endpoint superuser, int parallelism)
    {
        count(Operation.SEAL);
        login(superuser.port(), superuser.password());
    }

    @Override
    public synchronized void changePassword(Endpoint superuser, String user, String newPassword)
    {
        count(Operation.CHANGE_PASSWORD);
        passwordChangesByPort.merge(superuser.port(), 1, Integer::sum);
        Path dataDirectory = login(superuser.port(), superuser.password());
        if (!user.equals(defaultUser())) {
            throw DollyException.engineFailed("Role \"" + user + "\" does not exist.");
        }
        write(dataDirectory.resolve(MARKER), newPassword);
    }

    /** Logs in now, as a real engine's session would; applying it sets the password without another login. */
    @Override
    public synchronized PasswordChange preparePasswordChange(Endpoint superuser, String user, String newPassword)
    {
        count(Operation.PREPARE_PASSWORD_CHANGE);
        Path dataDirectory = login(superuser.port(), superuser.password());
        int port = superuser.port();
        sessions.merge(port, 1, Integer::sum);
        return new PasswordChange()
        {
            private boolean open = true;

            @Override
            public String newPassword()
            {
                return newPassword;
            }

            @Override
            public void apply()
            {
                synchronized (FakeEngine.this) {
                    try {
                        count(Operation.APPLY_PASSWORD_CHANGE);
                        // the session dies with its server
                        if (!running.containsKey(dataDirectory)) {
                            throw DollyException.engineFailed("The session's connection to port " + port + " was closed.");
                        }
                        write(dataDirectory.resolve(MARKER), newPassword);
                    }
                    finally {
                        close();
                    }
                }
            }

            @Override
            public void close()
            {
                synchronized (FakeEngine.this) {
                    if (open) {
                        open = false;
                        sessions.merge(port, -1, Integer::sum);
                    }
                }
            }
        };
    }

    /** How many sessions of prepared password changes are open, over all servers. */
    public synchronized int openSessions()
    {
        return sessions.values().stream().mapToInt(Integer::intValue).sum();
    }

    @Override
    public synchronized int clientConnections(Endpoint superuser)
    {
        return clients.getOrDefault(superuser.port(), 0);
    }

    /** Makes the server on {@code port} report {@code count} client connections. */
    public synchronized FakeEngine clients(int port, int count)
    {
        clients.put(port, count);
        return this;
    }

    @Override
    public String serverVersion(Endpoint endpoint)
    {
        return NAME + " " + DEFAULT_VERSION;
    }

    @Override
    public ServerInfo.EngineInfo describe()
    {
        return new ServerInfo.EngineInfo(NAME, DEFAULT_VERSION, List.of(), VERSIONS, List.of());
    }

    @Override
    public String defaultUser()
    {
        return "owner";
    }

    @Override
    public String defaultDatabase()
    {
        return "main";
    }

    @Override
    public ConnectionStrings connectionStrings(Endpoint endpoint)
    {
        String host = ConnectionStrings.uriHost(endpoint.host());
        return new ConnectionStrings(
                NAME + "://" + ConnectionStrings.uriEncode(endpoint.user()) + ":" + ConnectionStrings.uriEncode(endpoint.password()) + "@" + host + ":"
                        + endpoint.port() + "/" + endpoint.database(),
                "jdbc:" + NAME + "://" + host + ":" + endpoint.port() + "/" + endpoint.database(),
                "host=" + endpoint.host() + " port=" + endpoint.port() + " user=" + endpoint.user() + " password=" + endpoint.password() + " dbname="
                        + endpoint.database());
    }

    private void count(Operation operation)
    {
        calls.merge(operation, 1, Integer::sum);
        if (failing.contains(operation)) {
            throw DollyException.engineFailed("The fake engine was told to fail " + operation.name().toLowerCase(Locale.ROOT).replace('_', ' ') + ".");
        }
    }

    /** The transform statements of the server a superuser endpoint names ({@link FakeTransformDatabase}). */
    @Override
    public synchronized dev.dolly.core.transform.TransformDatabase openTransform(Endpoint superuser, Optional<DeferredIndexes> deferredIndexes)
    {
        if (deferredIndexes.isPresent()) {
            count(Operation.OPEN_TRANSFORM_BEFORE_INDEXES);
        }
        return new FakeTransformDatabase(login(superuser.port(), superuser.password()));
    }

    /** The data directory of the server on a port, once the password is the one its data holds. */
    private Path login(int port, String password)
    {
        Optional<Path> dataDirectory = running.entrySet().stream().filter(entry -> entry.getValue() == port).map(Map.Entry::getKey).findFirst();
        if (dataDirectory.isEmpty()) {
            throw DollyException.engineFailed("Connection refused: no server listens on port " + port + ".");
        }
        if (!readLines(dataDirectory.get().resolve(MARKER)).equals(List.of(password))) {
            throw DollyException.engineFailed("Password authentication failed on port " + port + ".");
        }
        return dataDirectory.get();
    }

    private static Path key(Path dataDirectory)
    {
        return dataDirectory.toAbsolutePath().normalize();
    }

    private static Set<PosixFilePermission> permissions(Path directory)
    {
        try {
            return Files.getPosixFilePermissions(directory);
        }
        catch (IOException e) {
            throw DollyException.engineFailed("Cannot read " + directory + ": " + e.getMessage(), e);
        }
    }

    private static void write(Path file, String line)
    {
        try {
            Files.writeString(file, line + "\n", StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void append(Path file, String line)
    {
        try {
            Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> readLines(Path file)
    {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
