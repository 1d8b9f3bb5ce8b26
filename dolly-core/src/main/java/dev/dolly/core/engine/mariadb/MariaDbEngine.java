package dev.dolly.core.engine.mariadb;

import dev.dolly.api.DollyException;
import dev.dolly.api.ErrorCode;
import dev.dolly.api.ServerInfo;
import dev.dolly.core.engine.ConnectionStrings;
import dev.dolly.core.engine.DatabaseStatements;
import dev.dolly.core.engine.DeferredIndexes;
import dev.dolly.core.engine.Endpoint;
import dev.dolly.core.engine.Engine;
import dev.dolly.core.engine.EngineInstallation;
import dev.dolly.core.engine.EngineUser;
import dev.dolly.core.engine.LoadPlan;
import dev.dolly.core.engine.LoadPlan.Backup;
import dev.dolly.core.engine.LoadPlan.BackupFormat;
import dev.dolly.core.engine.ProgressListener;
import dev.dolly.core.engine.Readiness;
import dev.dolly.core.engine.ServerProcesses;
import dev.dolly.core.engine.ServerSettings;
import dev.dolly.core.engine.mariadb.MariaDbBinaries.InstalledServer;
import dev.dolly.core.storage.FileTrees;
import dev.dolly.core.process.Command;
import dev.dolly.core.process.CommandRunner;
import dev.dolly.core.runtime.ContainerRuntime;
import dev.dolly.core.runtime.LocalProcessRuntime;
import dev.dolly.core.runtime.ServerLaunch;
import dev.dolly.core.runtime.ServerProcess;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * MariaDB, and MySQL: what is specific to them, and nothing else. One class serves both engine names: {@code mariadb}
 * runs MariaDB; {@code mysql} runs the MySQL installation configured for the requested version, and otherwise
 * MariaDB, whose wire protocol and SQL dumps are compatible for typical schemas (the image's engine version then says
 * {@code 11.4.5-MariaDB}).
 * <p>
 * Servers run as the {@link EngineUser}. The data belongs to one account, {@value #DATA_USER}, with every privilege,
 * reachable over TCP with its password; {@code root} authenticates through the Unix socket only, so it cannot log in
 * from the network. The socket lives in a short private directory per port (socket paths are limited to 108 bytes),
 * and Dolly itself talks to the server through it, with the {@code mariadb} (or {@code mysql}) client.
 */
public final class MariaDbEngine
        implements Engine
{
    public static final String MARIADB = "mariadb";
    public static final String MYSQL = "mysql";

    private static final String DATA_USER = "dolly";
    private static final String PID_FILE = "dolly-server.pid";
    private static final String SOCKET_FILE = "server.sock";
    private static final String MARIADB_SUFFIX = "-MariaDB";
    private static final Duration INITIALIZE_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration FIRST_PAUSE = Duration.ofMillis(5);
    private static final Duration STOP_TIMEOUT = Duration.ofMinutes(30);
    private static final Duration CLIENT_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration LOAD_TIMEOUT = Duration.ofDays(2);
    private static final Pattern VERSION = Pattern.compile("\\d+(\\.\\d+){0,2}");
    private static final Pattern CLIENT_ERROR = Pattern.compile("(ERROR \\d+ \\([0-9A-Z]+\\)) at line (\\d+)(?: in file: '[^']*')?: (.*)", Pattern.DOTALL);
    private static final Pattern DATABASE_STATEMENT = Pattern.compile(
            "(?i)(create|drop)\\s+(?:database|schema)\\s+(?:/\\*!\\d*\\s*)?(?:if\\s+(?:not\\s+)?exists\\s*)?(?:\\*/\\s*)?(`(?:[^`]|``)+`|[A-Za-z0-9_$]+)");
    private static final Pattern SETTING_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");
    private static final String DATABASE_MARKER = "dolly-database:";

    /** Every server: small for development, no files that would tie a data directory to one place or one start. */
    private static final Map<String, String> SERVER_SETTINGS = Map.ofEntries(
            Map.entry("innodb_buffer_pool_size", "64M"),
            Map.entry("innodb_log_file_size", "32M"),
            Map.entry("max_connections", "50"),
            Map.entry("max_allowed_packet", "256M"),
            // plain writes and fsync work on every storage driver; O_DIRECT through overlayfs depends on the kernel and the upper file system
            Map.entry("innodb_flush_method", "fsync"),
            Map.entry("innodb_buffer_pool_dump_at_shutdown", "OFF"),
            Map.entry("innodb_buffer_pool_load_at_startup", "OFF"),
            Map.entry("innodb_temp_data_file_path", "ibtmp1:1M:autoextend"),
            // InnoDB's simulated asynchronous I/O: a start and a stop each take some 50 ms less than with Linux native AIO
            Map.entry("innodb_use_native_aio", "OFF"),
            Map.entry("character_set_server", "utf8mb4"),
            Map.entry("collation_server", "utf8mb4_general_ci"));

    /** Loading is faster without durability: the image is shut down cleanly and flushed to disk once at the end. */
    private static final Map<String, String> BUILD_SETTINGS = Map.of(
            "innodb_use_native_aio", "ON",
            "innodb_flush_log_at_trx_commit", "0",
            "innodb_doublewrite", "OFF",
            "innodb_buffer_pool_size", "256M");

    private static final Logger LOG = LoggerFactory.getLogger(MariaDbEngine.class);

    private final String name;
    private final MariaDbBinaries binaries;
    private final EngineUser engineUser;
    private final Path runDirectory;
    private final ContainerRuntime runtime;
    /**
     * The installation each running server was started from, by port, for the calls that know only the port (seal,
     * changePassword, serverVersion): kept by the daemon, shared by the copies for other accounts, never read back
     * from a directory a server can write.
     */
    private final Map<Integer, EngineInstallation> installationsByPort;

    /** With the {@link LocalProcessRuntime#standalone() standalone runtime}. */
    public MariaDbEngine(String name, MariaDbBinaries binaries, EngineUser engineUser, Path runDirectory)
    {
        this(name, binaries, engineUser, runDirectory, LocalProcessRuntime.standalone());
    }

    /**
     * @param name {@value #MARIADB} or {@value #MYSQL}
     * @param runDirectory a directory with a short path for the servers' sockets, such as {@code /tmp/dolly-mariadb-0}
     * @param runtime what starts and stops the servers
     */
    public MariaDbEngine(String name, MariaDbBinaries binaries, EngineUser engineUser, Path runDirectory, ContainerRuntime runtime)
    {
        this(name, binaries, engineUser, runDirectory, runtime, new ConcurrentHashMap<>());
    }

    private MariaDbEngine(String name, MariaDbBinaries binaries, EngineUser engineUser, Path runDirectory, ContainerRuntime runtime,
            Map<Integer, EngineInstallation> installationsByPort)
    {
        this.installationsByPort = requireNonNull(installationsByPort, "installationsByPort is null");
        this.runtime = requireNonNull(runtime, "runtime is null");
        this.name = requireNonNull(name, "name is null");
        if (!name.equals(MARIADB) && !name.equals(MYSQL)) {
            throw new IllegalArgumentException("not mariadb or mysql: " + name);
        }
        this.binaries = requireNonNull(binaries, "binaries is null");
        this.engineUser = requireNonNull(engineUser, "engineUser is null");
        this.runDirectory = requireNonNull(runDirectory, "runDirectory is null").toAbsolutePath();
    }

    @Override
    public MariaDbEngine runningAs(EngineUser account)
    {
        requireNonNull(account, "account is null");
        return account.equals(engineUser) ? this : new MariaDbEngine(name, binaries, account, runDirectory, runtime, installationsByPort);
    }

    /** The client reads scripts and dumps from its standard input, which the daemon streams: nothing reads them by path. */
    @Override
    public MariaDbEngine readingSourcesAs(EngineUser reader)
    {
        requireNonNull(reader, "reader is null");
        return this;
    }

    /** The run directory for sockets of this process's user: {@code <tmp>/dolly-mariadb-<uid>}. */
    public static Path defaultRunDirectory()
    {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return Path.of(System.getProperty("java.io.tmpdir"), "dolly-mariadb-" + uid);
        }
        catch (IOException | UnsupportedOperationException e) {
            return Path.of(System.getProperty("java.io.tmpdir"), "dolly-mariadb-" + System.getProperty("user.name"));
        }
    }

    @Override
    public String name()
    {
        return name;
    }

    /**
     * {@code mariadb}: the version of a configured installation that matches, else the bundled release for
     * {@code 11}, {@code 11.4}, {@code 11.4.5} or none. {@code mysql}: the configured MySQL installation of that
     * version, else the bundled MariaDB, reported as {@code 11.4.5-MariaDB}.
     */
    @Override
    public String resolveVersion(String requestedVersion)
    {
        String requested = requestedVersion == null ? "" : requestedVersion.strip();
        if (requested.equals(MariaDbBinaries.BUNDLED_VERSION + MARIADB_SUFFIX)) {
            return isMysql() ? requested : MariaDbBinaries.BUNDLED_VERSION;
        }
        if (!requested.isEmpty() && !VERSION.matcher(requested).matches()) {
            throw DollyException.badInput("'" + requested + "' is not a " + (isMysql() ? "MySQL" : "MariaDB") + " version: ask for one such as "
                    + (isMysql() ? "8.0 or 5.7." : "11.4."));
        }
        if (isMysql()) {
            Optional<InstalledServer> mysql = requested.isEmpty() ? Optional.empty() : binaries.mysqlInstallation(requested);
            if (mysql.isPresent()) {
                return mysql.get().version();
            }
            int major = requested.isEmpty() ? 8 : Integer.parseInt(requested.split("\\.")[0]);
            if (major < 5 || major > 11) {
                throw DollyException.badInput("MySQL " + requested + " does not exist: ask for a version such as 8.0 or 5.7 (they run on MariaDB "
                        + MariaDbBinaries.BUNDLED_VERSION + " unless DOLLY_MYSQL_INSTALLATIONS names an installation of that version).");
            }
            return MariaDbBinaries.BUNDLED_VERSION + MARIADB_SUFFIX;
        }
        Optional<InstalledServer> system = binaries.systemInstallations().stream().filter(server -> matches(requested, server.version())).findFirst();
        if (system.isPresent()) {
            return system.get().version();
        }
        if (matches(requested, MariaDbBinaries.BUNDLED_VERSION)) {
            return MariaDbBinaries.BUNDLED_VERSION;
        }
        throw DollyException.badInput("MariaDB " + requested + " is not available: Dolly fetches MariaDB " + MariaDbBinaries.BUNDLED_VERSION
                + " (ask for 11.4 or leave the version out), and runs other versions installed on the system when DOLLY_MARIADB_INSTALLATIONS names them.");
    }

    private static boolean matches(String requested, String version)
    {
        return requested.isEmpty() || version.equals(requested) || version.startsWith(requested + ".");
    }

    /** Takes a requested version, or an exact one as {@link #resolveVersion} returns it (images record those). */
    @Override
    public EngineInstallation install(String requestedVersion, ProgressListener progress)
    {
        Optional<InstalledServer> exact = installed(requestedVersion);
        String version = exact.map(InstalledServer::version).orElseGet(() -> resolveVersion(requestedVersion));
        if (exact.isEmpty()) {
            exact = installed(version);
        }
        if (exact.isPresent()) {
            // a MariaDB version as the mysql engine reports it keeps its suffix
            return new EngineInstallation(name, version.endsWith(MARIADB_SUFFIX) ? version : exact.get().version(), exact.get().binDirectory());
        }
        String plain = version.endsWith(MARIADB_SUFFIX) ? version.substring(0, version.length() - MARIADB_SUFFIX.length()) : version;
        if (!plain.equals(MariaDbBinaries.BUNDLED_VERSION)) {
            throw DollyException.engineFailed((isMysql() ? "MySQL " : "MariaDB ") + version + " is no longer installed here: configure its installation again, "
                    + "or create the image again with another version.");
        }
        return new EngineInstallation(name, version, binaries.installBundled(progress).binDirectory());
    }

    /** The configured installation of an exact version: {@code 8.0.36} (MySQL), {@code 10.11.6} or {@code 10.11.6-MariaDB} (MariaDB). */
    private Optional<InstalledServer> installed(String version)
    {
        if (version == null || version.isBlank()) {
            return Optional.empty();
        }
        if (isMysql() && !version.endsWith(MARIADB_SUFFIX)) {
            // the installation configured for 8.0 serves 8.0 and 8.0.36; another one that is broken does not matter here
            return binaries.mysqlVersions().stream()
                    .filter(key -> version.equals(key) || version.startsWith(key + "."))
                    .flatMap(key -> binaries.mysqlInstallation(key).stream())
                    .filter(server -> server.version().equals(version) || server.version().startsWith(version + "."))
                    .findFirst();
        }
        String plain = version.endsWith(MARIADB_SUFFIX) ? version.substring(0, version.length() - MARIADB_SUFFIX.length()) : version;
        return binaries.systemInstallations().stream().filter(server -> server.version().equals(plain)).findFirst();
    }

    @Override
    public BackupFormat backupFormat(Path backup)
    {
        if (!Files.isRegularFile(backup)) {
            throw DollyException.badInput("The backup " + backup + " does not exist or is not a file: " + name + " images load SQL dumps (mysqldump, mariadb-dump).");
        }
        return BackupFormat.PLAIN;
    }

    @Override
    public Map<String, String> buildParameters()
    {
        return BUILD_SETTINGS;
    }

    @Override
    public ServerInfo.EngineInfo describe()
    {
        List<String> installed = binaries.isBundledInstalled() ? List.of(MariaDbBinaries.BUNDLED_VERSION) : List.of();
        if (isMysql()) {
            List<String> configured = binaries.mysqlVersions().stream().map(version -> version + " (MySQL, DOLLY_MYSQL_INSTALLATIONS)").toList();
            return new ServerInfo.EngineInfo(name, MariaDbBinaries.BUNDLED_VERSION + MARIADB_SUFFIX, installed,
                    List.of("5.7 and 8.0 run on MariaDB " + MariaDbBinaries.BUNDLED_VERSION + " unless configured"), configured);
        }
        return new ServerInfo.EngineInfo(name, MariaDbBinaries.BUNDLED_VERSION, installed, List.of("11.4"),
                binaries.systemInstallations().stream().map(server -> server.version() + " (" + server.binDirectory() + ")").toList());
    }

    @Override
    public void initialize(EngineInstallation installation, Path dataDirectory, String superuserPassword)
    {
        requireNonNull(installation, "installation is null");
        requireNonNull(dataDirectory, "dataDirectory is null");
        checkPassword(superuserPassword);
        Path directory = dataDirectory.toAbsolutePath();
        Programs programs = Programs.of(installation);
        try {
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
            engineUser.takeOwnership(directory);
        }
        catch (IOException e) {
            throw DollyException.engineFailed("Cannot prepare " + directory + " for " + programs.product() + ": " + e.getMessage(), e);
        }
        List<String> command = new ArrayList<>();
        if (programs.mysql()) {
            command.addAll(List.of(programs.server().toString(), "--no-defaults", "--initialize-insecure", "--basedir=" + programs.baseDirectory(),
                    "--datadir=" + directory, "--innodb-log-file-size=" + SERVER_SETTINGS.get("innodb_log_file_size")));
        }
        else {
            command.addAll(List.of("/bin/sh", programs.installDb().toString(), "--no-defaults", "--basedir=" + programs.baseDirectory(), "--datadir=" + directory,
                    // root without a password, reachable only over the private socket of the start without networking that
                    // follows, which leaves root with unix_socket only: the account may have no name for unix_socket to match
                    "--auth-root-authentication-method=normal", "--skip-test-db", "--skip-name-resolve",
                    "--innodb-log-file-size=" + SERVER_SETTINGS.get("innodb_log_file_size")));
        }
        CommandRunner.Result result = CommandRunner.system().run(Command.of(engineUser.wrap(command)).inDirectory(directory).withTimeout(INITIALIZE_TIMEOUT));
        if (!result.succeeded()) {
            throw DollyException.engineFailed("Cannot create a " + programs.product() + " " + installation.version() + " data directory in " + directory + ": "
                    + result.output().strip());
        }
        createDataUser(programs, directory, superuserPassword);
    }

    /**
     * Starts the new data directory once without networking, logs in through its private socket as {@code root}
     * without a password (MariaDB's {@code --auth-root-authentication-method=normal}, MySQL's
     * {@code --initialize-insecure}), and creates the data user with its password; {@code root} is left with the
     * socket as its only way in.
     */
    private void createDataUser(Programs programs, Path directory, String password)
    {
        Path logFile = directory.resolveSibling(directory.getFileName() + "-initialize.log");
        Path sockets = runDirectory.resolve("i" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 1_000_000);
        boolean stopped = false;
        try {
            prepareSocketDirectory(sockets);
            List<String> arguments = new ArrayList<>(serverArguments(programs, directory, sockets, Map.of()));
            arguments.add("--skip-networking");
            ServerProcess server = runtime.launch(new ServerLaunch(directory, arguments, engineUser, logFile, List.of(sockets)));
            Readiness.await(programs.product() + " initialising " + directory, START_TIMEOUT, FIRST_PAUSE,
                    ServerProcesses.whileAlive(server, () -> Files.exists(sockets.resolve(SOCKET_FILE), LinkOption.NOFOLLOW_LINKS)));
            String admin = "root";
            StringBuilder sql = new StringBuilder();
            sql.append("CREATE USER '").append(DATA_USER).append("'@'%' IDENTIFIED ")
                    .append(programs.mysql() ? "WITH mysql_native_password " : "").append("BY ").append(sqlString(password)).append(";\n");
            sql.append("GRANT ALL PRIVILEGES ON *.* TO '").append(DATA_USER).append("'@'%' WITH GRANT OPTION;\n");
            if (programs.mysql()) {
                sql.append("INSTALL PLUGIN auth_socket SONAME 'auth_socket.so';\n");
                sql.append("ALTER USER 'root'@'localhost' IDENTIFIED WITH auth_socket;\n");
            }
            else {
                sql.append("ALTER USER 'root'@'localhost' IDENTIFIED VIA unix_socket;\n");
                // root's accounts for TCP, and the host name of this machine, which means nothing to clones on another one
                sql.append("DELETE FROM mysql.global_priv WHERE User = 'root' AND Host <> 'localhost';\n");
                sql.append("DELETE FROM mysql.proxies_priv WHERE Host NOT IN ('localhost', '');\n");
            }
            sql.append("FLUSH PRIVILEGES;\n");
            List<String> client = programs.clientCommand(sockets, admin);
            CommandRunner.Result result = CommandRunner.system().run(Command.of(engineUser.wrap(client)).withTimeout(CLIENT_TIMEOUT)
                    .withInput(input -> input.write(sql.toString().getBytes(StandardCharsets.UTF_8))));
            if (!result.succeeded()) {
                throw DollyException.engineFailed("Cannot create the user " + DATA_USER + " in the new data directory " + directory + ": " + result.output().strip());
            }
            shutDown(directory);
            stopped = true;
        }
        catch (IOException e) {
            throw DollyException.engineFailed("Cannot initialise " + directory + ": " + e.getMessage(), e);
        }
        catch (DollyException e) {
            throw DollyException.engineFailed(e.getMessage() + "\nThe end of the server's log (" + logFile + "):\n" + ServerProcesses.tail(logFile), e);
        }
        finally {
            if (!stopped) {
                runtime.kill(directory);
            }
            FileTrees.deleteRecursively(sockets);
            try {
                Files.deleteIfExists(logFile);
            }
            catch (IOException ignored) {
                // it only matters while initialising
            }
        }
    }

    @Override
    public void start(EngineInstallation installation, Path dataDirectory, ServerSettings settings)
    {
        start(installation, dataDirectory, settings, Optional.empty());
    }

    /**
     * Starts the server with an init file that gives {@code user} its new password before the server accepts any
     * connection: no client has to log in with the old one, and nobody can.
     */
    @Override
    public void startWithNewPassword(EngineInstallation installation, Path dataDirectory, ServerSettings settings, Endpoint superuser, String user,
            String newPassword)
    {
        requireNonNull(superuser, "superuser is null");
        requireNonNull(user, "user is null");
        checkPassword(newPassword);
        start(installation, dataDirectory, settings, Optional.of("ALTER USER " + sqlString(user) + "@'%' IDENTIFIED BY " + sqlString(newPassword) + ";\n"));
    }

    private void start(EngineInstallation installation, Path dataDirectory, ServerSettings settings, Optional<String> initSql)
    {
        requireNonNull(installation, "installation is null");
        requireNonNull(dataDirectory, "dataDirectory is null");
        requireNonNull(settings, "settings is null");
        Programs programs = Programs.of(installation);
        Path directory = dataDirectory.toAbsolutePath();
        Path logFile = settings.logFile().toAbsolutePath();
        Path sockets = socketDirectory(settings.port());
        List<String> arguments;
        try {
            ensureStartable(programs, directory);
            prepareSocketDirectory(sockets);
            installationsByPort.put(settings.port(), installation);
            Map<String, String> extra = new TreeMap<>(settings.parameters());
            extra.put("port", String.valueOf(settings.port()));
            extra.put("bind_address", settings.listenAddress());
            if (initSql.isPresent()) {
                Path initFile = sockets.resolve("init.sql");
                Files.createFile(initFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(initFile, initSql.get());
                engineUser.takeOwnership(initFile);
                extra.put("init_file", initFile.toString());
            }
            arguments = serverArguments(programs, directory, sockets, extra);
        }
        catch (IOException e) {
            throw DollyException.engineFailed("Cannot prepare " + directory + " for " + programs.product() + ": " + e.getMessage(), e);
        }
        ServerProcess server = runtime.launch(new ServerLaunch(directory, arguments, engineUser, logFile, List.of(sockets)));
        String host = ServerProcesses.connectHost(settings.listenAddress());
        try {
            awaitSocket(server, sockets.resolve(SOCKET_FILE));
            Readiness.await(programs.product() + " on port " + settings.port(), START_TIMEOUT, FIRST_PAUSE,
                    ServerProcesses.whileAlive(server, () -> answers(host, settings.port())));
        }
        catch (DollyException e) {
            runtime.kill(directory);
            throw DollyException.engineFailed(programs.product() + " " + installation.version() + " did not start on port " + settings.port() + ": " + e.getMessage()
                    + "\nThe end of its log (" + logFile + "):\n" + ServerProcesses.tail(logFile), e);
        }
        finally {
            try {
                // read once the server accepts connections; it holds a password
                Files.deleteIfExists(sockets.resolve("init.sql"));
            }
            catch (IOException ignored) {
                // in a directory only the engine user can read, removed with the server
            }
        }
    }

    /**
     * Waits in steps of a few milliseconds for the server's socket, which it creates once it is about to accept
     * connections: the readiness check then answers at once instead of backing off while InnoDB starts.
     */
    private static void awaitSocket(ServerProcess server, Path socket)
    {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS) && server.isAlive() && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(FIRST_PAUSE);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw DollyException.failed("Interrupted while waiting for the server's socket " + socket);
            }
        }
    }

    /**
     * The server's command line, every setting on it ({@code --no-defaults}: no option file is read): its output
     * goes to the log the runtime opened; files it may read and write with {@code LOAD DATA}, {@code LOAD_FILE} and
     * {@code INTO OUTFILE} only in a directory of its own ({@code secure_file_priv}), and never the client's
     * ({@code local_infile}); plugins only from the installation, which its account cannot write.
     */
    private List<String> serverArguments(Programs programs, Path directory, Path sockets, Map<String, String> settings)
    {
        Path files = runtime.serverDirectory(directory, engineUser, "files");
        List<String> arguments = new ArrayList<>(List.of(
                programs.server().toString(),
                "--no-defaults",
                "--basedir=" + programs.baseDirectory(),
                "--datadir=" + directory,
                "--socket=" + sockets.resolve(SOCKET_FILE),
                "--pid-file=" + directory.resolve(PID_FILE),
                "--secure-file-priv=" + files,
                "--local-infile=0",
                "--skip-name-resolve"));
        programs.pluginDirectory().ifPresent(plugins -> arguments.add("--plugin-dir=" + plugins));
        programs.messagesDirectory().ifPresent(messages -> arguments.add("--lc-messages-dir=" + messages));
        if (programs.mysql()) {
            // the X protocol would take port 33060 for every server
            arguments.add("--mysqlx=OFF");
        }
        else {
            // MariaDB 11.4 would generate a TLS certificate at each start, which takes seconds
            arguments.add("--skip-ssl");
        }
        Map<String, String> all = new TreeMap<>(SERVER_SETTINGS);
        all.putAll(settings);
        all.forEach((setting, value) -> {
            if (!SETTING_NAME.matcher(setting).matches() || value.contains("\n") || value.contains("\0")) {
                throw DollyException.badInput("'" + setting + "=" + value + "' is not a " + programs.product() + " setting: use names such as innodb_buffer_pool_size.");
            }
            arguments.add("--" + setting.replace('_', '-') + "=" + value);
        });
        return arguments;
    }

    /** Whether the server answers on its port: it sends a greeting (or an error packet) as soon as it accepts connections. */
    private static boolean answers(String host, int port)
            throws IOException
    {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 5000);
            socket.setSoTimeout(5000);
            DataInputStream input = new DataInputStream(socket.getInputStream());
            byte[] header = new byte[5];
            input.readFully(header);
            int kind = header[4] & 0xff;
            // 10: the handshake of protocol 10; 0xff: an error packet (too many connections), but a server that answers
            return kind == 10 || kind == 0xff;
        }
    }

    @Override
    public boolean portTaken(ServerSettings settings)
    {
        // "Can't start server: Bind on TCP/IP port. Got error: 98: Address already in use"
        return ServerProcesses.logSaysAddressInUse(settings.logFile().toAbsolutePath());
    }

    @Override
    public void stop(EngineInstallation installation, Path dataDirectory)
    {
        requireNonNull(installation, "installation is null");
        requireNonNull(dataDirectory, "dataDirectory is null");
        Path directory = dataDirectory.toAbsolutePath();
        Optional<ProcessHandle> server = runtime.server(directory, () -> server(directory));
        if (server.isEmpty()) {
            return;
        }
        Optional<Path> sockets = server.get().info().arguments().stream().flatMap(Stream::of)
                .filter(argument -> argument.startsWith("--socket="))
                .map(argument -> Path.of(argument.substring("--socket=".length())).getParent())
                .filter(parent -> parent != null && parent.startsWith(runDirectory))
                .findFirst();
        shutDown(directory);
        sockets.ifPresent(FileTrees::deleteRecursively);
    }

    /** SIGTERM is a normal shutdown: connections end, InnoDB flushes everything and writes a checkpoint. */
    private void shutDown(Path directory)
    {
        if (!runtime.stop(directory, () -> server(directory), "TERM", STOP_TIMEOUT)) {
            LOG.warn("The server of {} did not stop within {} minutes and was killed: its next start recovers from its redo log", directory, STOP_TIMEOUT.toMinutes());
        }
    }

    @Override
    public boolean isRunning(EngineInstallation installation, Path dataDirectory)
    {
        requireNonNull(installation, "installation is null");
        requireNonNull(dataDirectory, "dataDirectory is null");
        Path directory = dataDirectory.toAbsolutePath();
        return runtime.isRunning(directory, () -> server(directory));
    }

    /** The live server process of a data directory, from its pid file (which may name a process id that was reused since). */
    private static Optional<ProcessHandle> server(Path directory)
    {
        try {
            String text = Files.readString(directory.resolve(PID_FILE)).strip();
            return ProcessHandle.of(Long.parseLong(text))
                    .filter(ProcessHandle::isAlive)
                    .filter(process -> process.info().command().map(command -> command.endsWith("/mariadbd") || command.endsWith("/mysqld")).orElse(false));
        }
        catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public String prepareLoad(EngineInstallation installation, Endpoint superuser, LoadPlan plan, ProgressListener progress)
    {
        requireNonNull(installation, "installation is null");
        requireNonNull(superuser, "superuser is null");
        requireNonNull(plan, "plan is null");
        requireNonNull(progress, "progress is null");
        String database = plan.initialDatabase().orElse("");
        if (database.isEmpty()) {
            return database;
        }
        // Scripts start in the initial database, unless they create or drop it themselves ("DROP DATABASE IF EXISTS
        // `Chinook`; CREATE DATABASE `Chinook`; USE `Chinook`"): they then run as the client run without a database
        // would, and the initial database is made beforehand only if none creates it.
        DatabaseStatements statements = databaseStatements(plan, database, progress);
        if (!statements.creates()) {
            run(installation, superuser, "", "Creating the initial database", "CREATE DATABASE IF NOT EXISTS " + quoteIdentifier(database) + ";\n");
        }
        return statements.any() ? "" : database;
    }

    @Override
    public void checkDatabaseExists(EngineInstallation installation, Endpoint superuser, String database)
    {
        requireNonNull(installation, "installation is null");
        requireNonNull(superuser, "superuser is null");
        requireNonNull(database, "database is null");
        if (database.isEmpty()) {
            return;
        }
        try {
            run(installation, superuser, "", "Looking for the initial database", "USE " + quoteIdentifier(database) + ";\n");
        }
        catch (DollyException e) {
            throw DollyException.loadFailed("The image definition names initialDatabaseName '" + database + "', but no database of that name exists "
                    + "after the load: the backup or a script dropped it and did not create it again. Name the database the backup creates, "
                    + "or leave initialDatabaseName out", e);
        }
    }

    @Override
    public void execute(EngineInstallation installation, Endpoint superuser, String database, String sql, String label, ProgressListener progress)
    {
        requireNonNull(sql, "sql is null");
        run(installation, superuser, database, "The " + label, sql);
    }

    @Override
    public String restore(EngineInstallation installation, Endpoint superuser, String database, Backup backup, ProgressListener progress)
    {
        requireNonNull(backup, "backup is null");
        if (backup.format() != BackupFormat.PLAIN) {
            throw DollyException.badInput("The backup " + backup.path().getFileName() + " is in pg_dump's " + backup.format().name().toLowerCase(java.util.Locale.ROOT)
                    + " format: " + name + " images load SQL dumps (mysqldump, mariadb-dump).");
        }
        return orDatabase(runFile(installation, superuser, database, backup.path(), "Restoring backup", progress), database);
    }

    @Override
    public String runScript(EngineInstallation installation, Endpoint superuser, String database, Path script, ProgressListener progress)
    {
        return orDatabase(runFile(installation, superuser, database, script, "Running script", progress), database);
    }

    /** The database a file ended in, or the one it started in when it ended in none. */
    private static String orDatabase(String ended, String database)
    {
        return ended.isEmpty() ? database : ended;
    }

    /** What the SQL of a plan does to the initial database: create it, drop it, or neither. */
    private static DatabaseStatements databaseStatements(LoadPlan plan, String database, ProgressListener progress)
    {
        DatabaseStatements statements = plan.preScript().map(sql -> databaseStatements(sql.lines(), database)).orElse(DatabaseStatements.NONE);
        List<Path> files = new ArrayList<>();
        plan.backups().stream().filter(backup -> backup.format() == BackupFormat.PLAIN).map(Backup::path).forEach(files::add);
        files.addAll(plan.scripts());
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                continue;
            }
            progress.progress("Reading " + file.getFileName() + " for statements on the database " + database);
            // read as bytes decoded leniently: dumps may hold binary strings
            try (Stream<String> lines = new java.io.BufferedReader(new java.io.InputStreamReader(Files.newInputStream(file),
                    StandardCharsets.UTF_8.newDecoder().onMalformedInput(java.nio.charset.CodingErrorAction.REPLACE)
                            .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPLACE))).lines()) {
                statements = statements.or(databaseStatements(lines, database));
            }
            catch (IOException | java.io.UncheckedIOException e) {
                throw DollyException.storageFailed("Cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        return statements;
    }

    /**
     * The statements on {@code database} among lines of SQL: {@code CREATE DATABASE|SCHEMA [IF NOT EXISTS] name} and
     * {@code DROP DATABASE|SCHEMA [IF EXISTS] name} at the start of a line, as mysqldump and hand-written scripts put
     * them (mysqldump wraps {@code IF NOT EXISTS} in a version comment).
     */
    static DatabaseStatements databaseStatements(Stream<String> lines, String database)
    {
        boolean creates = false;
        boolean drops = false;
        for (String line : (Iterable<String>) lines::iterator) {
            String text = line.stripLeading();
            if (!(text.regionMatches(true, 0, "create", 0, 6) || text.regionMatches(true, 0, "drop", 0, 4))) {
                continue;
            }
            Matcher matcher = DATABASE_STATEMENT.matcher(text);
            if (matcher.lookingAt() && identifier(matcher.group(2)).equals(database)) {
                if (matcher.group(1).equalsIgnoreCase("create")) {
                    creates = true;
                }
                else {
                    drops = true;
                }
            }
        }
        return new DatabaseStatements(creates, drops);
    }

    private static String identifier(String text)
    {
        if (text.length() >= 2 && text.startsWith("`") && text.endsWith("`")) {
            return text.substring(1, text.length() - 1).replace("``", "`");
        }
        return text;
    }

    /** Runs an SQL file through the client, reporting progress; returns the database it ended in ({@code USE chinook}), or {@code ""}. */
    private String runFile(EngineInstallation installation, Endpoint superuser, String database, Path file, String action, ProgressListener progress)
    {
        if (!Files.isRegularFile(file)) {
            throw DollyException.badInput("The file " + file + " does not exist.");
        }
        long size;
        try {
            size = Files.size(file);
        }
        catch (IOException e) {
            throw DollyException.storageFailed("Cannot read " + file + ": " + e.getMessage(), e);
        }
        String label = action + " " + file.getFileName();
        Command.StandardInput input = output -> {
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buffer = new byte[256 * 1024];
                long done = 0;
                int reported = 0;
                int count;
                while ((count = in.read(buffer)) >= 0) {
                    output.write(buffer, 0, count);
                    done += count;
                    int percent = size == 0 ? 100 : (int) (done * 100 / size) / 10 * 10;
                    if (percent > reported && percent < 100) {
                        reported = percent;
                        progress.progress(label + ": " + percent + "%");
                    }
                }
            }
            writeDatabaseQuery(output);
        };
        // the client fails here on the user's own backup or script
        return client(installation, superuser, database, label, input, LOAD_TIMEOUT, ErrorCode.LOAD_FAILED);
    }

    private String run(EngineInstallation installation, Endpoint superuser, String database, String label, String sql)
    {
        return client(installation, superuser, database, label, output -> {
            output.write(sql.getBytes(StandardCharsets.UTF_8));
            writeDatabaseQuery(output);
        }, LOAD_TIMEOUT, ErrorCode.ENGINE_FAILED);
    }

    /** After the SQL, which may end without a newline or semicolon: the database it ended in. */
    private static void writeDatabaseQuery(OutputStream output)
            throws IOException
    {
        output.write(("\n;\nSELECT CONCAT('" + DATABASE_MARKER + "', IFNULL(DATABASE(), ''));\n").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Runs SQL through the client over the server's socket, as the data user, stopping at the first error.
     *
     * @param failureCode the code of the failure when the SQL fails: the user's script's, or Dolly's own
     * @return the database the SQL ended in, from the query {@link #writeDatabaseQuery} appends, or {@code ""}
     */
    private String client(EngineInstallation installation, Endpoint superuser, String database, String label, Command.StandardInput input, Duration timeout, ErrorCode failureCode)
    {
        Programs programs = Programs.of(installation);
        List<String> command = programs.clientCommand(socketDirectory(superuser.port()), superuser.user());
        command.addAll(List.of("--binary-mode", "--default-character-set=utf8mb4", "--max-allowed-packet=256M"));
        if (!database.isEmpty()) {
            command.add("--database=" + database);
        }
        // what the SQL reads from files (LOAD DATA LOCAL INFILE, the client's source command), it reads with the rights of the build's account
        command.add("--local-infile=0");
        // the password goes through the environment, not the command line that ps shows
        CommandRunner.Result result = CommandRunner.system().run(Command.of(engineUser.wrap(command)).withEnvironment(Map.of("MYSQL_PWD", superuser.password())).withTimeout(timeout).withInput(input));
        String output = result.output().strip();
        if (!result.succeeded()) {
            Matcher error = CLIENT_ERROR.matcher(output.lines().filter(line -> line.startsWith("ERROR")).findFirst().orElse(""));
            if (error.matches()) {
                throw new DollyException(failureCode, label + " failed at line " + error.group(2) + ": " + error.group(1) + ": " + error.group(3).strip()
                        + ". Fix that line and create the image again.");
            }
            throw new DollyException(failureCode, label + " failed: " + (output.isEmpty() ? "the " + programs.client().getFileName() + " client exited with code " + result.exitCode() : output));
        }
        return output.lines()
                .filter(line -> line.startsWith(DATABASE_MARKER))
                .reduce((first, second) -> second)
                .map(line -> line.substring(DATABASE_MARKER.length()))
                .orElse("");
    }

    /**
     * An image is shut down with {@code innodb_fast_shutdown=0}: every purge and change-buffer merge done, so that its
     * clones start without work left over from the build. One connection whatever the parallelism: {@code ANALYZE
     * TABLE} samples a few pages per index and takes little time.
     */
    @Override
    public void seal(Endpoint superuser, int parallelism)
    {
        requireNonNull(superuser, "superuser is null");
        // fresh statistics for every table, as containers' query plans and information_schema sizes need them
        String analyze = sql(superuser, "listing the tables to analyse", """
                SELECT CONCAT('ANALYZE TABLE `', REPLACE(table_schema, '`', '``'), '`.`', REPLACE(table_name, '`', '``'), '`;')
                FROM information_schema.tables
                WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('mysql', 'information_schema', 'performance_schema', 'sys');
                """);
        sql(superuser, "analysing the tables", analyze + "SET GLOBAL innodb_fast_shutdown = 0;\n");
    }

    @Override
    public void changePassword(Endpoint superuser, String user, String newPassword)
    {
        requireNonNull(superuser, "superuser is null");
        requireNonNull(user, "user is null");
        checkPassword(newPassword);
        sql(superuser, "changing the password of " + user, "ALTER USER " + sqlString(user) + "@'%' IDENTIFIED BY " + sqlString(newPassword) + ";\n");
    }

    @Override
    public String serverVersion(Endpoint endpoint)
    {
        requireNonNull(endpoint, "endpoint is null");
        return sql(endpoint, "asking for the version", "SELECT VERSION();\n").strip();
    }

    @Override
    public int clientConnections(Endpoint superuser)
    {
        requireNonNull(superuser, "superuser is null");
        // the server's own threads (event scheduler, replication) are not clients: they run as 'system user' or 'event_scheduler'
        String count = sql(superuser, "counting the clients", "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID() "
                + "AND COMMAND NOT IN ('Daemon', 'Binlog Dump', 'Slave_IO', 'Slave_SQL', 'Slave_worker') "
                + "AND USER NOT IN ('system user', 'event_scheduler', 'unauthenticated user');\n").strip();
        String[] lines = count.split("\\R");
        return Integer.parseInt(lines[lines.length - 1].strip());
    }

    /** Runs SQL through the client of the installation that runs on the endpoint's port (the daemon knows only the endpoint here). */
    private String sql(Endpoint endpoint, String label, String sql)
    {
        EngineInstallation installation = installationOnPort(endpoint.port());
        Programs programs = Programs.of(installation);
        List<String> command = programs.clientCommand(socketDirectory(endpoint.port()), endpoint.user());
        CommandRunner.Result result = CommandRunner.system().run(Command.of(command).withEnvironment(Map.of("MYSQL_PWD", endpoint.password())).withTimeout(CLIENT_TIMEOUT)
                .withInput(output -> output.write(sql.getBytes(StandardCharsets.UTF_8))));
        if (!result.succeeded()) {
            throw DollyException.engineFailed(programs.product() + " on port " + endpoint.port() + " failed " + label + ": " + result.output().strip());
        }
        return result.output();
    }

    /** The installation a server on this port was started from. */
    private EngineInstallation installationOnPort(int port)
    {
        EngineInstallation installation = installationsByPort.get(port);
        if (installation == null) {
            throw DollyException.engineFailed("No server of Dolly runs on port " + port + ": start it first.");
        }
        return installation;
    }

    @Override
    public String defaultUser()
    {
        return DATA_USER;
    }

    /** No database: a dump that creates its own ({@code CREATE DATABASE}, {@code USE}) names it. */
    @Override
    public String defaultDatabase()
    {
        return "";
    }

    /** A MariaDB load restores the indexes with the data ({@link Engine#restoreWithoutIndexes} as by default): none are deferred. */
    @Override
    public dev.dolly.core.transform.TransformDatabase openTransform(Endpoint superuser, Optional<DeferredIndexes> deferredIndexes)
    {
        String url = "jdbc:mariadb://" + ConnectionStrings.uriHost(superuser.host()) + ":" + superuser.port() + "/" + ConnectionStrings.uriEncode(superuser.database());
        java.util.Properties properties = new java.util.Properties();
        properties.setProperty("user", superuser.user());
        properties.setProperty("password", superuser.password());
        properties.setProperty("useBulkStmts", "true");
        try {
            java.sql.Connection connection = java.sql.DriverManager.getConnection(url, properties);
            try {
                return new MariaDbTransformDatabase(connection, java.sql.DriverManager.getConnection(url, properties));
            }
            catch (java.sql.SQLException | RuntimeException e) {
                connection.close();
                throw e;
            }
        }
        catch (java.sql.SQLException e) {
            throw DollyException.badInput("The transform could not connect to the build's server: " + e.getMessage());
        }
    }

    @Override
    public ConnectionStrings connectionStrings(Endpoint endpoint)
    {
        requireNonNull(endpoint, "endpoint is null");
        String host = ConnectionStrings.uriHost(endpoint.host());
        String uri = "mysql://" + ConnectionStrings.uriEncode(endpoint.user()) + ":" + ConnectionStrings.uriEncode(endpoint.password()) + "@" + host + ":" + endpoint.port() + "/" + ConnectionStrings.uriEncode(endpoint.database());
        String jdbcUrl = "jdbc:" + (isMysql() ? "mysql" : "mariadb") + "://" + host + ":" + endpoint.port() + "/" + ConnectionStrings.uriEncode(endpoint.database());
        String keyValue = "host=" + endpoint.host() + " port=" + endpoint.port() + " user=" + endpoint.user() + " password=" + endpoint.password()
                + (endpoint.database().isEmpty() ? "" : " database=" + endpoint.database());
        return new ConnectionStrings(uri, jdbcUrl, keyValue);
    }

    private boolean isMysql()
    {
        return name.equals(MYSQL);
    }

    private Path socketDirectory(int port)
    {
        return runDirectory.resolve(String.valueOf(port));
    }

    /**
     * A fresh directory for one server's socket, readable by the engine user only, below the run directory, which
     * must belong to the daemon's user (it is in a directory anyone can write to). The installation the server runs
     * is recorded there for the client calls that know only the port.
     */
    private void prepareSocketDirectory(Path sockets)
            throws IOException
    {
        if (!Files.isDirectory(runDirectory, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(runDirectory);
        }
        if (Files.isSymbolicLink(runDirectory) || !Files.getOwner(runDirectory, LinkOption.NOFOLLOW_LINKS).equals(Files.getOwner(Path.of("/proc/self"))))  {
            throw DollyException.engineFailed(runDirectory + " belongs to another user: remove it, or point java.io.tmpdir of the daemon elsewhere.");
        }
        Files.setPosixFilePermissions(runDirectory, PosixFilePermissions.fromString("rwx--x--x"));
        FileTrees.deleteRecursively(sockets);
        Files.createDirectory(sockets, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        engineUser.takeOwnership(sockets);
    }

    private void ensureStartable(Programs programs, Path directory)
            throws IOException
    {
        if (!Files.isDirectory(directory.resolve("mysql"))) {
            throw DollyException.engineFailed(directory + " is not a " + programs.product() + " data directory (it has no mysql/ system database).");
        }
        ServerProcesses.claimDataDirectory(directory);
    }

    private static void checkPassword(String password)
    {
        requireNonNull(password, "password is null");
        if (password.isEmpty() || password.contains("\0") || password.contains("\n")) {
            throw DollyException.badInput("A password must not be empty and must fit on one line.");
        }
    }

    static String sqlString(String text)
    {
        return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    static String quoteIdentifier(String identifier)
    {
        if (identifier.isEmpty() || identifier.contains("\0")) {
            throw DollyException.badInput("'" + identifier + "' is not a database name.");
        }
        return "`" + identifier.replace("`", "``") + "`";
    }

    /** Where the programs of an installation are: the bundled layout ({@code bin/}, {@code scripts/}, {@code share/}), Debian's, or MySQL's. */
    private record Programs(Path server, Path client, Path installDb, Path baseDirectory, Optional<Path> messagesDirectory, boolean mysql)
    {
        static Programs of(EngineInstallation installation)
        {
            Path bin = installation.binDirectory();
            Path base = bin.getParent();
            Optional<Path> mariadbd = Stream.of(bin.resolve("mariadbd"), base.resolve("sbin").resolve("mariadbd"), base.resolve("libexec").resolve("mariadbd"))
                    .filter(Files::isExecutable).findFirst();
            if (mariadbd.isPresent()) {
                Path installDb = Stream.of(base.resolve("scripts").resolve("mariadb-install-db"), bin.resolve("mariadb-install-db"), bin.resolve("mysql_install_db"))
                        .filter(Files::isRegularFile).findFirst()
                        .orElseThrow(() -> DollyException.engineFailed("No mariadb-install-db in " + base + ": the MariaDB installation is incomplete."));
                Optional<Path> messages = Stream.of(base.resolve("share"), base.resolve("share").resolve("mariadb"), base.resolve("share").resolve("mysql"))
                        .filter(directory -> Files.isRegularFile(directory.resolve("english").resolve("errmsg.sys"))).findFirst();
                return new Programs(mariadbd.get(), bin.resolve("mariadb"), installDb, base, messages, false);
            }
            Path mysqld = bin.resolve("mysqld");
            if (Files.isExecutable(mysqld)) {
                return new Programs(mysqld, bin.resolve("mysql"), mysqld, base, Optional.empty(), true);
            }
            throw DollyException.engineFailed("No MariaDB or MySQL server in " + bin + ": the installation is gone or incomplete.");
        }

        /**
         * The client over the socket in {@code sockets}, as {@code user}, printing rows as tab-separated lines without
         * column names. The socket needs no TLS, which the client of MariaDB 11.4 would otherwise insist on.
         */
        List<String> clientCommand(Path sockets, String user)
        {
            // no LOAD DATA LOCAL: a dump must not make the client send a file of the machine
            return new ArrayList<>(List.of(client.toString(), "--no-defaults", "--socket=" + sockets.resolve(SOCKET_FILE), "--user=" + user,
                    mysql ? "--ssl-mode=DISABLED" : "--skip-ssl", "--local-infile=0", "--batch", "--skip-column-names"));
        }

        /** The plugins of the installation, when it has them where its layout puts them. */
        Optional<Path> pluginDirectory()
        {
            return Stream.of(baseDirectory.resolve("lib").resolve("plugin"), baseDirectory.resolve("lib").resolve("mysql").resolve("plugin"))
                    .filter(Files::isDirectory).findFirst();
        }

        String product()
        {
            return mysql ? "MySQL" : "MariaDB";
        }
    }
}
