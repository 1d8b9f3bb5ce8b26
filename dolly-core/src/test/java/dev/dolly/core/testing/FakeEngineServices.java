package dev.dolly.core.testing;

import dev.dolly.api.CreateContainerRequest;
import dev.dolly.api.CreateImageRequest;
import dev.dolly.api.DataContainer;
import dev.dolly.api.DataImage;
import dev.dolly.api.ResourceStatus;
import dev.dolly.api.Upload;
import dev.dolly.core.DollyConfiguration;
import dev.dolly.core.auth.Caller;
import dev.dolly.core.catalog.Catalog;
import dev.dolly.core.catalog.ContainerRecord;
import dev.dolly.core.container.ContainerService;
import dev.dolly.core.container.FollowingContainers;
import dev.dolly.core.container.RevisionService;
import dev.dolly.core.engine.EngineRegistry;
import dev.dolly.core.engine.EngineAccounts;
import dev.dolly.core.engine.EngineUidRange;
import dev.dolly.core.engine.EngineUser;
import dev.dolly.core.engine.PortAllocator;
import dev.dolly.core.image.ImageService;
import dev.dolly.core.image.Uploads;
import dev.dolly.core.quota.Quotas;
import dev.dolly.core.schedule.ScheduleService;
import dev.dolly.core.storage.CopyStorageDriver;
import dev.dolly.core.storage.StorageDriver;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static java.util.Objects.requireNonNull;

/**
 * The image, container and revision services of a home in a temporary directory, wired as {@code Dolly} wires them,
 * on a {@link FakeEngine}: the real catalog (SQLite), the copy storage driver, the real port allocator, uploads, and
 * a {@link MutableClock} for lifetimes. Builds run in the background as in the daemon; {@link #awaitImage} waits for
 * one to settle.
 */
public final class FakeEngineServices
        implements AutoCloseable
{
    /**
     * Ports the fake engine binds none of, but the allocator probes: below Linux's ephemeral range (32768-60999), so
     * that no client connection of the machine holds one, and outside the daemon's default range.
     */
    private static final String CONTAINER_PORTS = "31200-31299";
    private static final Duration BUILD_TIMEOUT = Duration.ofSeconds(20);

    private final Path directory;
    private final DollyConfiguration configuration;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T12:00:00Z"));
    private final FakeEngine engine = new FakeEngine();
    private final Catalog catalog;
    private final StorageDriver storage;
    private final PortAllocator ports;
    private final Uploads uploads;
    private final ExecutorService builds = Executors.newFixedThreadPool(2, Thread.ofPlatform().name("test-image-build-", 0).daemon().factory());
    private final ImageService images;
    private final ContainerService containers;
    private final RevisionService revisions;
    private final ScheduleService schedules;
    private final FollowingContainers following;

    public FakeEngineServices(Path directory)
    {
        this(directory, CONTAINER_PORTS);
    }

    /** @param containerPorts the range of container ports, such as {@code 31200-41201}: a small one shows ports that are never released */
    public FakeEngineServices(Path directory, String containerPorts)
    {
        this(directory, containerPorts, Map.of());
    }

    /** @param environment more settings of the daemon's environment, such as {@code DOLLY_QUOTA_CONTAINERS} */
    public FakeEngineServices(Path directory, Map<String, String> environment)
    {
        this(directory, CONTAINER_PORTS, environment);
    }

    /**
     * @param containerPorts the range of container ports
     * @param environment more settings of the daemon's environment
     */
    public FakeEngineServices(Path directory, String containerPorts, Map<String, String> environment)
    {
        this(directory, containerPorts, environment, Optional.empty());
    }

    /**
     * Services that give every container and build an account of its own from {@code range}, as a daemon running as
     * root does: their volumes are given to those accounts, which takes root.
     */
    public static FakeEngineServices withEngineAccounts(Path directory, EngineUidRange range)
    {
        return new FakeEngineServices(directory, CONTAINER_PORTS, Map.of(), Optional.of(range));
    }

    /** Like {@link #withEngineAccounts(Path, EngineUidRange)}, with more settings of the daemon's environment. */
    public static FakeEngineServices withEngineAccounts(Path directory, EngineUidRange range, Map<String, String> environment)
    {
        return withEngineAccounts(directory, range, CONTAINER_PORTS, environment);
    }

    /** @param containerPorts the range of container ports */
    public static FakeEngineServices withEngineAccounts(Path directory, EngineUidRange range, String containerPorts, Map<String, String> environment)
    {
        return new FakeEngineServices(directory, containerPorts, environment, Optional.of(range));
    }

    private FakeEngineServices(Path directory, String containerPorts, Map<String, String> environment, Optional<EngineUidRange> engineUids)
    {
        this.directory = requireNonNull(directory, "directory is null");
        this.configuration = configuration(directory.resolve("home"), containerPorts, environment);
        try {
            Files.createDirectories(configuration.storageRoot());
            Files.createDirectories(configuration.engineLogsDirectory());
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        EngineRegistry engines = new EngineRegistry(List.of(engine));
        this.catalog = Catalog.open(configuration.catalogFile());
        this.storage = new CopyStorageDriver(configuration.storageRoot());
        this.ports = new PortAllocator(configuration.containerListenAddress(), configuration.firstContainerPort(), configuration.lastContainerPort(),
                () -> catalog.containers().list().stream().map(ContainerRecord::port).collect(Collectors.toSet()));
        this.uploads = new Uploads(configuration.uploadsDirectory(), clock);
        uploads.removeLeftovers();
        Quotas quotas = new Quotas(configuration.quotas(), catalog);
        EngineUser shared = EngineUser.resolve(configuration.engineUser());
        EngineAccounts accounts = engineUids.map(range -> EngineAccounts.separate(shared, range, catalog::engineUidsInUse))
                .orElseGet(() -> EngineAccounts.sharedOnly(shared));
        this.images = new ImageService(catalog, engines, storage, accounts, ports, configuration, uploads, quotas, builds, clock);
        this.containers = new ContainerService(catalog, images, engines, accounts, storage, ports, quotas, configuration, clock);
        this.revisions = new RevisionService(catalog, containers, images, storage, quotas, clock);
        this.schedules = new ScheduleService(catalog, images, uploads, storage, engines, configuration.schedulesDirectory(), clock, ZoneOffset.UTC);
        this.following = new FollowingContainers(catalog, containers, storage, clock, ZoneOffset.UTC);
    }

    /**
     * The settings of a home for the fake engine: the copy driver, a port range of its own, routes relayed by the
     * daemon. When the tests run as root, the engine user must reach the home, so the directory above it is made
     * traversable.
     */
    public static DollyConfiguration configuration(Path home)
    {
        return configuration(home, CONTAINER_PORTS, Map.of());
    }

    private static DollyConfiguration configuration(Path home, String containerPorts, Map<String, String> environment)
    {
        try {
            Files.createDirectories(home.getParent());
            Files.setPosixFilePermissions(home.getParent(), PosixFilePermissions.fromString("rwx--x--x"));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> settings = new HashMap<>(environment);
        settings.put("DOLLY_HOME", home.toString());
        settings.put("DOLLY_STORAGE_DRIVER", "copy");
        settings.put("DOLLY_CONTAINER_PORTS", containerPorts);
        // a fake engine has no server behind its port for the kernel to redirect a route to: the daemon relays them
        // (KernelRoutesTest and the end-to-end tests cover the kernel path), and unit tests leave nftables alone
        settings.putIfAbsent(DollyConfiguration.ROUTE_KERNEL_PATH, "off");
        return DollyConfiguration.fromEnvironment(settings);
    }

    /** A definition of an image of the fake engine restoring {@code dump.sql}, with more YAML lines appended. */
    public static String definition(String name, String... lines)
    {
        StringBuilder definition = new StringBuilder("name: " + name + "\nsourceType: backup\nengine: " + FakeEngine.NAME + "\nbackup:\n  file: dump.sql\n");
        for (String line : lines) {
            definition.append(line).append('\n');
        }
        return definition.toString();
    }

    /** A ZIP of a definition's files (the {@code dump.sql} of {@link #definition}), as the CLI uploads it. */
    public static byte[] definitionFiles()
    {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("dump.sql"));
            zip.write("create table widgets (id int);\n".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Starts a build of the caller's, from an upload of theirs as a remote client makes one; the image is PENDING. */
    public DataImage startBuild(Caller caller, String definition, List<String> tags, List<String> teams, String lifetime)
    {
        byte[] files = definitionFiles();
        Upload upload = uploads.receive(new ByteArrayInputStream(files), files.length, caller.name());
        return images.create(new CreateImageRequest(definition, null, null, tags, teams, lifetime, upload.id()), caller, false);
    }

    /** Builds an image and waits until it is settled (READY or FAILED). */
    public DataImage build(Caller caller, String definition)
    {
        return awaitImage(startBuild(caller, definition, List.of(), List.of(), null).id());
    }

    /** Builds a READY image of that name. */
    public DataImage readyImage(Caller caller, String name, String... lines)
    {
        DataImage image = build(caller, definition(name, lines));
        if (image.status() != ResourceStatus.READY) {
            throw new IllegalStateException("Image " + name + " is " + image.status() + ": " + image.statusMessage());
        }
        return image;
    }

    public DataContainer createContainer(Caller caller, String image, String name)
    {
        return containers.create(new CreateContainerRequest(image, name, null), caller);
    }

    /** Waits until a build is over; the image as it is then. */
    public DataImage awaitImage(long id)
    {
        long deadline = System.nanoTime() + BUILD_TIMEOUT.toNanos();
        while (true) {
            DataImage image = images.view(images.load(id));
            if (image.status() != ResourceStatus.PENDING) {
                return image;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Image " + id + " is still PENDING after " + BUILD_TIMEOUT + ": " + image.progress());
            }
            try {
                Thread.sleep(5);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** The directories of the volumes of a kind ({@code images}, {@code containers}, {@code revisions/<id>}) on disk. */
    public List<String> volumesOnDisk(String kind)
    {
        Path kindDirectory = configuration.storageRoot().resolve(kind);
        if (!Files.isDirectory(kindDirectory)) {
            return List.of();
        }
        try (var entries = Files.list(kindDirectory)) {
            return entries.map(entry -> kind + "/" + entry.getFileName()).sorted().toList();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path directory()
    {
        return directory;
    }

    public DollyConfiguration configuration()
    {
        return configuration;
    }

    public MutableClock clock()
    {
        return clock;
    }

    public FakeEngine engine()
    {
        return engine;
    }

    /** The catalog, for arranging states the services reach only when a process dies halfway. */
    public Catalog catalog()
    {
        return catalog;
    }

    public StorageDriver storage()
    {
        return storage;
    }

    public PortAllocator ports()
    {
        return ports;
    }

    public ImageService images()
    {
        return images;
    }

    public ContainerService containers()
    {
        return containers;
    }

    public ScheduleService schedules()
    {
        return schedules;
    }

    public FollowingContainers following()
    {
        return following;
    }

    public Uploads uploads()
    {
        return uploads;
    }

    public RevisionService revisions()
    {
        return revisions;
    }

    @Override
    public void close()
    {
        containers.pools().shutdown();
        builds.shutdownNow();
        try {
            builds.awaitTermination(10, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
