package dev.dolly.bench;

import dev.dolly.api.CreateContainerRequest;
import dev.dolly.api.DataContainer;
import dev.dolly.api.ServerInfo;
import dev.dolly.api.client.DollyClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * One driver's file system, daemon and what it holds: made by {@link #open}, everything in it deleted and the file
 * system removed by {@link #close}, which a shutdown hook may call too.
 */
final class DriverSession
{
    private final StorageDriver driver;
    private final LoopFilesystem filesystem;
    private final BenchDaemon daemon;
    private final Set<String> containers = new LinkedHashSet<>();
    private final Set<String> images = new LinkedHashSet<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private DollyClient client;
    private ServerInfo info;
    private int containerCounter;

    private DriverSession(StorageDriver driver, LoopFilesystem filesystem, BenchDaemon daemon)
    {
        this.driver = requireNonNull(driver, "driver is null");
        this.filesystem = requireNonNull(filesystem, "filesystem is null");
        this.daemon = requireNonNull(daemon, "daemon is null");
    }

    /**
     * Makes the driver's file system in {@code base} and a daemon with its home there; {@code opened} gets the
     * session before the daemon starts, so that whoever cleans up on Ctrl-C can close it. Checks that the daemon chose
     * the driver.
     */
    static DriverSession open(StorageDriver driver, BenchmarkOptions options, Path base, Consumer<DriverSession> opened)
            throws IOException, InterruptedException
    {
        // the density phase alone creates 20 containers, more than a user may have by default
        return open(driver, options.filesystemBytes(), options.projectRoot(), Map.of("DOLLY_QUOTA_CONTAINERS", "unlimited", "DOLLY_QUOTA_IMAGES", "unlimited"),
                base, opened);
    }

    /**
     * The same, for a benchmark of its own: a file system of {@code filesystemBytes}, the daemon of {@code projectRoot},
     * and {@code settings} added to the daemon's environment (quotas, for instance; by default the daemon's own).
     */
    static DriverSession open(StorageDriver driver, long filesystemBytes, Path projectRoot, Map<String, String> settings, Path base,
            Consumer<DriverSession> opened)
            throws IOException, InterruptedException
    {
        String type = driver.filesystemType();
        Log.log("[" + driver + "] Making a " + (filesystemBytes >> 30) + " GiB " + type + " file system in " + base);
        LoopFilesystem filesystem = LoopFilesystem.create(base, driver.id(), type, filesystemBytes);
        Map<String, String> environment = new HashMap<>();
        environment.put("DOLLY_LISTEN", "127.0.0.1:0");
        // ports of their own, away from the default range a test suite or a real daemon uses, unless the benchmark's
        // environment names others (two benchmarks at once, or beside other daemons)
        environment.put("DOLLY_CONTAINER_PORTS", Optional.ofNullable(System.getenv("DOLLY_CONTAINER_PORTS")).filter(ports -> !ports.isBlank()).orElse("56000-56999"));
        // kept between runs: PostgreSQL 15 is fetched from Maven Central once
        environment.put("DOLLY_DOWNLOAD_CACHE", Path.of(System.getProperty("java.io.tmpdir"), "dolly-bench-download-cache").toString());
        if (driver == StorageDriver.COPY) {
            environment.put("DOLLY_STORAGE_DRIVER", "copy");
        }
        environment.putAll(settings);
        BenchDaemon daemon = new BenchDaemon(projectRoot, filesystem.mountpoint().resolve("home"), base.resolve("daemon-" + driver + ".log"),
                environment);
        DriverSession session = new DriverSession(driver, filesystem, daemon);
        opened.accept(session);
        session.start();
        return session;
    }

    private void start()
            throws IOException, InterruptedException
    {
        Log.log("[" + driver + "] Starting a daemon with DOLLY_HOME " + daemon.home());
        daemon.start();
        client = daemon.client();
        info = client.info();
        Log.log("[" + driver + "] Storage driver: " + info.storageDriver() + " (" + info.storageDriverReason() + ")");
        if (!driver.id().equals(info.storageDriver())) {
            throw new IllegalStateException("The daemon on " + driver.filesystemType() + " chose the storage driver " + info.storageDriver() + ", not "
                    + driver + ": " + info.storageDriverReason());
        }
    }

    StorageDriver driver()
    {
        return driver;
    }

    LoopFilesystem filesystem()
    {
        return filesystem;
    }

    BenchDaemon daemon()
    {
        return daemon;
    }

    DollyClient client()
    {
        return client;
    }

    ServerInfo info()
    {
        return info;
    }

    /** The reason the daemon gave for its driver, without the temporary home, which means nothing once the run is over. */
    String storageDriverReason()
    {
        return info.storageDriverReason().replace(daemon.home().toString(), "DOLLY_HOME");
    }

    /** Remembers an image to delete at the end. */
    void imageCreated(String name)
    {
        images.add(name);
    }

    String nextContainerName(String key)
    {
        containerCounter++;
        return "bench-" + key + "-" + containerCounter;
    }

    DataContainer createContainer(String image, String key)
    {
        return containerCreated(client.createContainer(new CreateContainerRequest(image, nextContainerName(key), null)));
    }

    /** Remembers a container created through {@link #client()} directly (where the call is timed), to delete it at the end. */
    DataContainer containerCreated(DataContainer container)
    {
        containers.add(container.name());
        return container;
    }

    void deleteContainer(String name)
    {
        client.deleteContainer(name);
        containers.remove(name);
    }

    void deleteImage(String name)
    {
        client.deleteImage(name);
        images.remove(name);
    }

    /** Deletes what is left through the API, stops the daemon (SIGTERM), unmounts and deletes the file system. */
    void close()
    {
        // the main thread and the shutdown hook (Ctrl-C) may both get here
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (client != null && daemon.isRunning()) {
            try {
                for (DataContainer container : client.listContainers()) {
                    containers.add(container.name());
                }
            }
            catch (RuntimeException e) {
                System.err.println("Warning: could not list containers: " + e.getMessage());
            }
            for (String container : List.copyOf(containers)) {
                try {
                    deleteContainer(container);
                }
                catch (RuntimeException e) {
                    System.err.println("Warning: could not delete container " + container + ": " + e.getMessage());
                }
            }
            for (String image : List.copyOf(images)) {
                try {
                    deleteImage(image);
                }
                catch (RuntimeException e) {
                    System.err.println("Warning: could not delete image " + image + ": " + e.getMessage());
                }
            }
        }
        try {
            daemon.stop();
        }
        catch (InterruptedException | RuntimeException e) {
            System.err.println("Warning: " + e.getMessage());
        }
        try {
            if (Files.exists(daemon.log())) {
                List<String> warnings = Files.readAllLines(daemon.log()).stream().filter(DriverSession::isWarning).toList();
                if (!warnings.isEmpty()) {
                    System.err.println("Daemon log of " + driver + " (warnings and errors):");
                    warnings.forEach(line -> System.err.println("  " + line));
                }
            }
        }
        catch (IOException | UncheckedIOException e) {
            System.err.println("Warning: could not read " + daemon.log() + ": " + e.getMessage());
        }
        filesystem.remove();
        Log.log("[" + driver + "] Daemon stopped, file system removed");
    }

    /** The daemon's own warnings and errors, not the JVM's notes about native access. */
    private static boolean isWarning(String line)
    {
        return line.matches(".*\\b(WARN|ERROR)\\b.*");
    }
}
