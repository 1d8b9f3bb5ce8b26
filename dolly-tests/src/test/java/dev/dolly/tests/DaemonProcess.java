package dev.dolly.tests;

import dev.dolly.api.DaemonAddress;
import dev.dolly.api.DollyHome;
import dev.dolly.api.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * A real daemon in its own JVM, started from the packaged {@code dolly-daemon} module, with a fresh
 * {@code DOLLY_HOME} that an unprivileged engine user can reach.
 */
final class DaemonProcess
        implements AutoCloseable
{
    static final Path PROJECT_ROOT = Path.of("").toAbsolutePath().getParent();

    private final Path home;
    private final Map<String, String> environment;
    private Process process;

    private DaemonProcess(Path home, Map<String, String> environment)
    {
        this.home = home;
        this.environment = environment;
    }

    /** A new home below a directory other users may traverse (engines may run as another user). */
    static DaemonProcess withNewHome(Map<String, String> extraEnvironment)
            throws IOException
    {
        return withNewHome(Path.of(System.getProperty("java.io.tmpdir")), extraEnvironment);
    }

    /** A new home in a new directory below {@code parent}, for example on a test file system of a storage driver. */
    static DaemonProcess withNewHome(Path parent, Map<String, String> extraEnvironment)
            throws IOException
    {
        Path base = Files.createTempDirectory(parent, "dolly-it-");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwx--x--x"));
        Path home = base.resolve("home");
        Map<String, String> environment = new HashMap<>();
        environment.put("DOLLY_HOME", home.toString());
        environment.put("DOLLY_LISTEN", "127.0.0.1:0");
        // the CLI's sign-ins stay in the test's directory
        environment.put("DOLLY_CONFIG", base.resolve("cli-config").toString());
        // one download cache for all test homes: fetch each version once per run
        environment.put("DOLLY_DOWNLOAD_CACHE", Path.of(System.getProperty("java.io.tmpdir"), "dolly-it-download-cache").toString());
        environment.putAll(extraEnvironment);
        return new DaemonProcess(home, environment);
    }

    /** A daemon of the same home with more settings, to start once this one is stopped. */
    DaemonProcess with(Map<String, String> settings)
    {
        Map<String, String> changed = new HashMap<>(environment);
        changed.putAll(settings);
        return new DaemonProcess(home, changed);
    }

    Path home()
    {
        return home;
    }

    /** The environment a CLI talking to this daemon runs with. */
    Map<String, String> environment()
    {
        return Map.copyOf(environment);
    }

    DaemonProcess start()
            throws IOException, InterruptedException
    {
        Path daemonModule = PROJECT_ROOT.resolve("dolly-daemon/target");
        requireNonNull(daemonModule, "daemonModule is null");
        ProcessBuilder builder = new ProcessBuilder(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-XX:+UseSerialGC",
                "-cp", daemonModule.resolve("dolly-daemon.jar") + ":" + daemonModule.resolve("lib") + "/*",
                "dev.dolly.daemon.DaemonMain"));
        builder.environment().putAll(environment);
        Files.createDirectories(home);
        Path log = home.getParent().resolve("daemon.log");
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        process = builder.start();
        // a restarted daemon starts every container again before it listens: minutes on a loaded machine
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        Path daemonFile = DollyHome.daemonFile(home);
        while (!Files.exists(daemonFile)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The daemon exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("The daemon did not start within 180 s:\n" + Files.readString(log));
            }
            Thread.sleep(50);
        }
        return this;
    }

    boolean isAlive()
    {
        return process != null && process.isAlive();
    }

    /** The daemon's process id, as the host sees it. */
    long pid()
    {
        return process.pid();
    }

    DaemonAddress address()
            throws IOException
    {
        return Json.json().readValue(DollyHome.daemonFile(home).toFile(), DaemonAddress.class);
    }

    String adminToken()
            throws IOException
    {
        return Files.readString(DollyHome.adminTokenFile(home)).strip();
    }

    String log()
            throws IOException
    {
        return Files.readString(home.getParent().resolve("daemon.log"));
    }

    /** Waits until the daemon exits by itself (at a crash point, say) and returns its exit status; fails when it still runs. */
    int awaitExit(Duration timeout)
            throws InterruptedException
    {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("The daemon still runs after " + timeout.toSeconds() + " s");
        }
        return process.exitValue();
    }

    /** SIGTERM, as a service manager would send, and wait for the clean shutdown. */
    void stop()
            throws InterruptedException
    {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new IllegalStateException("The daemon did not stop within 60 s of SIGTERM");
            }
        }
    }

    /**
     * Unmounts every file system mounted below the home, as a reboot would (overlay mounts of containers, a storage
     * file system): the daemon must mount them again when it starts.
     */
    void unmountAll()
            throws IOException, InterruptedException
    {
        List<String> mountPoints;
        try (var lines = Files.lines(Path.of("/proc/self/mountinfo"))) {
            mountPoints = lines.map(line -> line.split(" ")[4])
                    .filter(mountPoint -> mountPoint.startsWith(home + "/"))
                    .sorted(java.util.Comparator.reverseOrder())
                    .toList();
        }
        for (String mountPoint : mountPoints) {
            Process umount = new ProcessBuilder("umount", mountPoint).redirectErrorStream(true).start();
            String output = new String(umount.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (umount.waitFor() != 0) {
                throw new IllegalStateException("umount " + mountPoint + " failed: " + output);
            }
        }
    }

    /** Stops the daemon and removes its home and everything else the test made there. */
    @Override
    public void close()
            throws Exception
    {
        stop();
        unmountAll();
        try (var paths = Files.walk(home.getParent())) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
