package dev.dolly.bench;

import dev.dolly.api.DaemonAddress;
import dev.dolly.api.DollyHome;
import dev.dolly.api.Json;
import dev.dolly.api.client.DollyClient;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * A real Dolly daemon in its own JVM, started from the packaged {@code dolly-daemon} module with a fresh
 * {@code DOLLY_HOME}. The home's parent must be traversable by other users: when the daemon runs as root, engines
 * run as an unprivileged account.
 */
final class BenchDaemon
{
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofMinutes(2);

    private final Path projectRoot;
    private final Path home;
    private final Path log;
    private final Map<String, String> environment;
    private Process process;

    BenchDaemon(Path projectRoot, Path home, Path log, Map<String, String> environment)
    {
        this.projectRoot = requireNonNull(projectRoot, "projectRoot is null");
        this.home = requireNonNull(home, "home is null");
        this.log = requireNonNull(log, "log is null");
        this.environment = Map.copyOf(environment);
    }

    Path home()
    {
        return home;
    }

    Path log()
    {
        return log;
    }

    void start()
            throws IOException, InterruptedException
    {
        Path daemonModule = projectRoot.resolve("dolly-daemon/target");
        Path jar = daemonModule.resolve("dolly-daemon.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("The daemon is not built: " + jar + " is missing. Build it first (bench/run-clone-benchmark does, or "
                    + "./mvnw -DskipTests -pl dolly-daemon -am package).");
        }
        ProcessBuilder builder = new ProcessBuilder(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-XX:+UseSerialGC",
                "-cp", jar + ":" + daemonModule.resolve("lib") + "/*",
                "dev.dolly.daemon.DaemonMain"));
        builder.environment().putAll(environment);
        builder.environment().put(DollyHome.HOME_VARIABLE, home.toString());
        Files.createDirectories(home);
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        process = builder.start();
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        Path daemonFile = DollyHome.daemonFile(home);
        while (!Files.exists(daemonFile)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The daemon exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("The daemon did not start within " + START_TIMEOUT.toSeconds() + " s:\n" + Files.readString(log));
            }
            Thread.sleep(50);
        }
    }

    DollyClient client()
            throws IOException
    {
        DaemonAddress address = Json.json().readValue(DollyHome.daemonFile(home).toFile(), DaemonAddress.class);
        String token = Files.readString(DollyHome.adminTokenFile(home)).strip();
        return new DollyClient(URI.create(address.url()), token);
    }

    /** The daemon's process ID, for reading what it holds from {@code /proc}. */
    long pid()
    {
        if (process == null) {
            throw new IllegalStateException("The daemon is not started");
        }
        return process.pid();
    }

    boolean isRunning()
    {
        return process != null && process.isAlive();
    }

    /** SIGTERM, as a service manager would send: the daemon stops its engines cleanly and exits. */
    void stop()
            throws InterruptedException
    {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new IllegalStateException("The daemon did not stop within " + STOP_TIMEOUT.toSeconds() + " s of SIGTERM");
            }
        }
    }

    /**
     * Removes a directory that holds a daemon's home, after the daemon stopped: the ID-mapped view the daemon leaves
     * mounted under the home's {@code run/mapped} (btrfs, XFS) is unmounted first. A failure only warns.
     */
    static void removeQuietly(Path directory, Path home)
    {
        Path mapped = home.resolve("run/mapped");
        try {
            if (Commands.output(List.of("findmnt", "-n", "-o", "TARGET", "--mountpoint", mapped.toString())).contains(mapped.toString())) {
                Commands.run(List.of("umount", "-R", mapped.toString()));
            }
            Commands.run(List.of("rm", "-rf", directory.toString()));
        }
        catch (IOException | InterruptedException | IllegalStateException e) {
            Log.log("Warning: cannot remove " + directory + ": " + e.getMessage());
        }
    }
}
