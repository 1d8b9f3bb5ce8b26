package dev.dolly.cli.daemon;

import dev.dolly.api.DaemonAddress;
import dev.dolly.api.DollyException;
import dev.dolly.api.DollyHome;
import dev.dolly.api.ErrorCode;
import dev.dolly.api.client.DollyClient;
import dev.dolly.cli.LauncherSettings;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * The daemon that owns one {@code DOLLY_HOME} on this machine: finds it through {@code daemon.json}, starts it in
 * the background or in the foreground, and stops it. The daemon is a separate JVM with its own class path, so that
 * no server library ends up on the CLI's class path.
 */
public final class LocalDaemon
{
    private static final Duration PROBE_INTERVAL = Duration.ofMillis(100);
    private static final int LOG_LINES_SHOWN = 20;
    private static final List<Path> SETSID_FALLBACKS = List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid"));

    private final Path home;
    private final Map<String, String> environment;
    private final LauncherSettings launcherSettings;
    private final Duration timeout;

    public LocalDaemon(Path home, Map<String, String> environment, LauncherSettings launcherSettings, Duration timeout)
    {
        this.home = requireNonNull(home, "home is null");
        this.environment = Map.copyOf(requireNonNull(environment, "environment is null"));
        this.launcherSettings = requireNonNull(launcherSettings, "launcherSettings is null");
        this.timeout = requireNonNull(timeout, "timeout is null");
    }

    public Path home()
    {
        return home;
    }

    public Path logFile()
    {
        return DollyHome.daemonLogFile(home);
    }

    /** What {@code daemon.json} says, whether or not that daemon still runs. */
    public Optional<DaemonAddress> address()
    {
        return DollyHome.readDaemonAddress(home);
    }

    /** The daemon {@code daemon.json} names, if its process is alive; whether its API answers is not checked. */
    public Optional<DaemonAddress> recorded()
    {
        return address().filter(address -> address.url() != null && isAlive(address.pid()));
    }

    /** The daemon of this home, if its process is alive and its API answers. */
    public Optional<DaemonAddress> running()
    {
        return address().filter(this::answers);
    }

    /** The access token for this daemon: the one given, or the local administrator's. */
    public String accessToken(Optional<String> given)
    {
        if (given.isPresent()) {
            return given.get();
        }
        Path file = DollyHome.adminTokenFile(home);
        try {
            String token = Files.readString(file).strip();
            if (token.isEmpty()) {
                throw new DollyException(ErrorCode.NOT_AUTHENTICATED, "The administrator token file " + file + " is empty. "
                        + "Restart the daemon with 'dolly daemon stop' and 'dolly daemon start' to write a new one, "
                        + "or pass --access-token.");
            }
            return token;
        }
        catch (NoSuchFileException e) {
            throw new DollyException(ErrorCode.NOT_AUTHENTICATED, "There is no administrator token at " + file + ". "
                    + "Pass one with --access-token or DOLLY_ACCESS_TOKEN.");
        }
        catch (IOException e) {
            throw new DollyException(ErrorCode.NOT_AUTHENTICATED, "Cannot read the administrator token " + file + " (" + e + "). "
                    + "Run dolly as the user that owns " + home + ", or pass --access-token or DOLLY_ACCESS_TOKEN.", e);
        }
    }

    public DollyClient client(DaemonAddress address, String accessToken)
    {
        return DollyClient.of(address, accessToken);
    }

    /**
     * Starts the daemon as a background process that outlives this one, and waits until its API answers.
     *
     * @param announcement runs once the daemon can be started, just before it is
     */
    public DaemonAddress start(Runnable announcement)
    {
        List<String> command = new ArrayList<>();
        setsid().ifPresent(setsid -> command.add(setsid.toString()));
        command.addAll(daemonCommand());
        announcement.run();
        Path log = logFile();
        Process process;
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectErrorStream(true);
            configureEnvironment(builder);
            process = builder.start();
        }
        catch (IOException e) {
            throw DollyException.failed("Cannot start the Dolly daemon: " + e.getMessage()
                    + ". Check that " + launcherSettings.javaExecutable() + " is a Java runtime.", e);
        }
        return awaitAnswer(process);
    }

    /**
     * Runs the daemon attached to this terminal until it exits. Stopping this process (Ctrl-C, SIGTERM) stops the
     * daemon, and waits for it to shut its engines down.
     */
    public int runInForeground()
    {
        running().ifPresent(address -> {
            throw DollyException.failed("A Dolly daemon is already running for " + home + " at " + address.url()
                    + " (pid " + address.pid() + "). Stop it first with 'dolly daemon stop'.");
        });
        ProcessBuilder builder = new ProcessBuilder(daemonCommand()).inheritIO();
        configureEnvironment(builder);
        Process process;
        try {
            process = builder.start();
        }
        catch (IOException e) {
            throw DollyException.failed("Cannot start the Dolly daemon: " + e.getMessage(), e);
        }
        Thread stopper = new Thread(() -> stopChild(process), "dolly-daemon-stopper");
        Runtime.getRuntime().addShutdownHook(stopper);
        try {
            return process.waitFor();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopChild(process);
            throw DollyException.failed("Interrupted while running the Dolly daemon");
        }
        finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stopper);
            }
            catch (IllegalStateException ignored) {
                // the JVM is shutting down: the hook is running or has run
            }
        }
    }

    /**
     * Asks the running daemon to shut down and waits until its process is gone.
     *
     * @return the daemon that was stopped, or empty when none was running
     */
    public Optional<DaemonAddress> stop(Optional<String> accessToken)
    {
        Optional<DaemonAddress> running = running();
        if (running.isEmpty()) {
            return Optional.empty();
        }
        DaemonAddress address = running.get();
        try {
            client(address, accessToken(accessToken)).shutdown();
        }
        catch (DollyException e) {
            if (e.errorCode() != ErrorCode.DAEMON_UNREACHABLE) {
                throw e;
            }
            // it closed the connection while exiting
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (isAlive(address.pid())) {
            if (System.nanoTime() > deadline) {
                throw DollyException.failed("The Dolly daemon (pid " + address.pid() + ") did not stop within "
                        + timeout.toSeconds() + " seconds. See its log " + logFile() + ", or end it with 'kill "
                        + address.pid() + "'.");
            }
            sleep(PROBE_INTERVAL);
        }
        return running;
    }

    private DaemonAddress awaitAnswer(Process process)
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean alive = process.isAlive();
            Optional<DaemonAddress> running = running();
            if (running.isPresent()) {
                // ours, or one that another dolly command started at the same moment
                return running.get();
            }
            if (!alive) {
                throw DollyException.failed("The Dolly daemon exited with code " + process.exitValue()
                        + " before it was ready. The last lines of its log " + logFile() + ":\n" + String.join("\n", lastLogLines()));
            }
            if (System.nanoTime() > deadline) {
                throw DollyException.failed("The Dolly daemon (pid " + process.pid() + ") did not answer within "
                        + timeout.toSeconds() + " seconds. It may still be starting: see its log " + logFile()
                        + ", or stop it with 'dolly daemon stop'.");
            }
            sleep(PROBE_INTERVAL);
        }
    }

    private boolean answers(DaemonAddress address)
    {
        if (address.url() == null || !isAlive(address.pid())) {
            return false;
        }
        String token;
        try {
            token = accessToken(Optional.empty());
        }
        catch (DollyException e) {
            // not written yet, or not ours to read: the daemon may still answer
            token = "";
        }
        try {
            client(address, token).info();
            return true;
        }
        catch (IllegalArgumentException e) {
            return false;
        }
        catch (DollyException e) {
            return e.errorCode() != ErrorCode.DAEMON_UNREACHABLE;
        }
    }

    private List<String> daemonCommand()
    {
        String classPath = launcherSettings.daemonClassPath().orElseThrow(() -> DollyException.failed(
                "The daemon's class path is unknown. Run dolly through its launcher script, which sets the system property "
                        + LauncherSettings.DAEMON_CLASS_PATH_PROPERTY + "."));
        return List.of(launcherSettings.javaExecutable(), "-cp", classPath, launcherSettings.daemonMainClass());
    }

    private void configureEnvironment(ProcessBuilder builder)
    {
        Map<String, String> childEnvironment = builder.environment();
        childEnvironment.clear();
        childEnvironment.putAll(environment);
        childEnvironment.put(DollyHome.HOME_VARIABLE, home.toString());
    }

    private Optional<Path> setsid()
    {
        List<Path> candidates = new ArrayList<>();
        String path = environment.get("PATH");
        if (path != null) {
            for (String directory : path.split(File.pathSeparator)) {
                if (!directory.isBlank()) {
                    candidates.add(Path.of(directory, "setsid"));
                }
            }
        }
        candidates.addAll(SETSID_FALLBACKS);
        return candidates.stream().filter(Files::isExecutable).findFirst();
    }

    private List<String> lastLogLines()
    {
        try {
            List<String> lines = LogTail.lastLines(logFile(), LOG_LINES_SHOWN);
            return lines.isEmpty() ? List.of("(the log is empty)") : lines;
        }
        catch (IOException e) {
            return List.of("(cannot read the log: " + e.getMessage() + ")");
        }
    }

    private static void stopChild(Process process)
    {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static boolean isAlive(long pid)
    {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static void sleep(Duration duration)
    {
        try {
            Thread.sleep(duration);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DollyException.failed("Interrupted while waiting for the Dolly daemon");
        }
    }
}
