package dev.dolly.core;

import dev.dolly.api.DollyException;
import dev.dolly.api.DollyHome;
import dev.dolly.api.ErrorCode;
import dev.dolly.api.NextStep;
import dev.dolly.api.ServerInfo;
import dev.dolly.core.auth.AccessTokens;
import dev.dolly.core.auth.PasswordHashing;
import dev.dolly.core.auth.UserService;
import dev.dolly.core.catalog.Catalog;
import dev.dolly.core.catalog.ContainerRecord;
import dev.dolly.core.container.ContainerService;
import dev.dolly.core.container.FollowingContainers;
import dev.dolly.core.route.RouteService;
import dev.dolly.core.container.RevisionService;
import dev.dolly.core.engine.Engine;
import dev.dolly.core.engine.EngineAccounts;
import dev.dolly.core.engine.EngineContext;
import dev.dolly.core.engine.EngineRegistry;
import dev.dolly.core.engine.EngineUidRange;
import dev.dolly.core.engine.EngineUser;
import dev.dolly.core.runtime.ContainerRuntime;
import dev.dolly.core.runtime.LocalProcessRuntime;
import dev.dolly.core.engine.PortAllocator;
import dev.dolly.core.engine.ReservedPorts;
import dev.dolly.core.image.ImageService;
import dev.dolly.core.image.Uploads;
import dev.dolly.core.quota.Quotas;
import dev.dolly.core.schedule.ScheduleService;
import dev.dolly.core.storage.LoopFileSystem;
import dev.dolly.core.storage.StorageDriver;
import dev.dolly.core.storage.StorageDrivers;
import dev.dolly.core.storage.StorageSelection;
import dev.dolly.core.storage.StorageUsage;
import dev.dolly.core.storage.VolumeKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * The services of one {@code DOLLY_HOME}, wired together: the catalog, the engines, the storage driver, and the
 * image and container services on top. Opening it takes the home's lock (one daemon per home) and settles
 * whatever a crash left unfinished.
 */
public final class Dolly
        implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(Dolly.class);
    private static final String STORAGE_DRIVER_RECORD = "driver";

    private final DollyConfiguration configuration;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Catalog catalog;
    private final EngineUser engineUser;
    private final ContainerRuntime runtime;
    private final EngineAccounts accounts;
    private final EngineRegistry engines;
    private final StorageDriver storage;
    private final String storageReason;
    private final ImageService images;
    private final ContainerService containers;
    private final RevisionService revisions;
    private final RouteService routes;
    private final AccessTokens accessTokens;
    private final UserService users;
    private final Uploads uploads;
    private final ScheduleService schedules;
    private final FollowingContainers following;
    /** Starts scheduled builds and refreshes following containers, once a second, one round at a time. */
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("schedules").daemon().factory());
    /** Counts the clients of containers that have an idle stop, and stops those idle long enough; every {@link #IDLE_CHECK_SECONDS}. */
    private final ScheduledExecutorService idleWatcher = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("idle watcher").daemon().factory());
    private static final int IDLE_CHECK_SECONDS = 1;
    private final ScheduledExecutorService reaper = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("reaper").daemon().factory());
    /** The container port range and whether it is reserved from outgoing connections, for {@code dolly info}. */
    private volatile String containerPorts;

    private Dolly(DollyConfiguration configuration, FileChannel lockChannel, FileLock lock, BiFunction<EngineUser, ContainerRuntime, List<Engine>> engineFactory)
    {
        this.configuration = configuration;
        this.lockChannel = lockChannel;
        this.lock = lock;
        Clock clock = Clock.systemUTC();
        this.engineUser = EngineUser.resolve(configuration.engineUser());
        prepareDirectories(configuration, engineUser);
        this.catalog = Catalog.open(configuration.catalogFile());
        restrict(configuration.catalogFile());
        this.runtime = LocalProcessRuntime.create(configuration.runtimeDirectory(), configuration.containerLimits());
        this.accounts = engineAccounts(configuration, engineUser, catalog);
        this.engines = new EngineRegistry(engineFactory.apply(engineUser, runtime));
        StorageSelection selection = StorageDrivers.select(configuration.storageRoot(), storageDriverToUse(configuration, catalog),
                StorageDrivers.runningAsRoot(), configuration.zfsDataset());
        recordStorageDriver(configuration, selection.driver().name());
        this.containerPorts = configuration.firstContainerPort() + "-" + configuration.lastContainerPort();
        this.storage = selection.driver();
        this.storageReason = selection.reason();
        LOG.info("Storage driver {}", storageReason);
        PortAllocator ports = new PortAllocator(configuration.containerListenAddress(), configuration.firstContainerPort(), configuration.lastContainerPort(),
                () -> catalog.containers().list().stream().map(ContainerRecord::port).collect(Collectors.toSet()));
        this.uploads = new Uploads(configuration.uploadsDirectory(), clock);
        Quotas quotas = new Quotas(configuration.quotas(), catalog);
        this.images = new ImageService(catalog, engines, storage, accounts, ports, configuration, uploads, quotas,
                Executors.newFixedThreadPool(2, Thread.ofPlatform().name("image-build-", 0).daemon().factory()), clock);
        this.containers = new ContainerService(catalog, images, engines, accounts, storage, ports, quotas, configuration, clock, runtime.limits());
        this.revisions = new RevisionService(catalog, containers, images, storage, quotas, clock);
        this.routes = new RouteService(catalog, containers, configuration, clock);
        this.schedules = new ScheduleService(catalog, images, uploads, storage, engines, configuration.schedulesDirectory(), clock, ZoneId.systemDefault());
        this.following = new FollowingContainers(catalog, containers, storage, clock, ZoneId.systemDefault());
        PasswordHashing passwords = new PasswordHashing();
        this.accessTokens = new AccessTokens(catalog.users(), clock, configuration.sessionLifetime(), passwords);
        this.users = new UserService(catalog.users(), clock, passwords, engineUser.switchesUser());
    }

    /**
     * As root, an account of its own for every container and build, from a range no account of the machine uses
     * (checked here, so that a clash stops the daemon with a message); otherwise the daemon's own user for all.
     */
    private static EngineAccounts engineAccounts(DollyConfiguration configuration, EngineUser engineUser, Catalog catalog)
    {
        if (!engineUser.switchesUser()) {
            return EngineAccounts.sharedOnly(engineUser);
        }
        EngineUidRange range = configuration.engineUids();
        range.checkUnused(Path.of("/etc/passwd"), Path.of("/etc/group"), Path.of("/etc/subuid"), Path.of("/etc/subgid"));
        return EngineAccounts.separate(engineUser, range, catalog::engineUidsInUse);
    }

    /** The engines of the providers on the class path, each configured by itself when the configuration was read. */
    private static List<Engine> providedEngines(DollyConfiguration configuration, EngineUser engineUser, ContainerRuntime runtime)
    {
        return configuration.engines().createEngines(new EngineContext(configuration.enginesDirectory(), configuration.downloadCache(),
                configuration.mavenRepository(), Path.of(System.getProperty("user.home"), ".m2", "repository"), engineUser, runtime)).all();
    }

    /**
     * The driver a home's volumes were made with stays its driver: detection could otherwise pick another one later
     * (a tool installed, the daemon run as another user) and existing containers would break. A configured driver
     * still wins; the recorded one is dropped when the home holds nothing.
     */
    private static Optional<String> storageDriverToUse(DollyConfiguration configuration, Catalog catalog)
    {
        if (configuration.storageDriver().isPresent()) {
            return configuration.storageDriver();
        }
        Path record = configuration.storageRoot().resolve(STORAGE_DRIVER_RECORD);
        boolean empty = catalog.images().list().isEmpty() && catalog.containers().list().isEmpty();
        if (empty || !Files.isRegularFile(record)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(record).strip()).filter(name -> !name.isEmpty());
        }
        catch (IOException e) {
            throw DollyException.storageFailed("Cannot read " + record + ": " + e.getMessage(), e);
        }
    }

    private static void recordStorageDriver(DollyConfiguration configuration, String driver)
    {
        try {
            Files.writeString(configuration.storageRoot().resolve(STORAGE_DRIVER_RECORD), driver + "\n");
        }
        catch (IOException e) {
            throw DollyException.storageFailed("Cannot record the storage driver in " + configuration.storageRoot() + ": " + e.getMessage(), e);
        }
    }

    /** Opens a home: takes its lock, prepares its directories, opens the catalog and settles interrupted work. */
    public static Dolly open(DollyConfiguration configuration)
    {
        requireNonNull(configuration, "configuration is null");
        return open(configuration, (engineUser, runtime) -> providedEngines(configuration, engineUser, runtime));
    }

    /**
     * Opens a home like {@link #open(DollyConfiguration)}, with these engines instead of those of the engine providers: for tests
     * of the services and the API on an engine of their own.
     */
    public static Dolly open(DollyConfiguration configuration, List<Engine> engines)
    {
        requireNonNull(configuration, "configuration is null");
        List<Engine> copy = List.copyOf(requireNonNull(engines, "engines is null"));
        return open(configuration, (engineUser, runtime) -> copy);
    }

    private static Dolly open(DollyConfiguration configuration, BiFunction<EngineUser, ContainerRuntime, List<Engine>> engineFactory)
    {
        Path home = configuration.home();
        try {
            Files.createDirectories(home);
        }
        catch (IOException e) {
            throw DollyException.storageFailed("Cannot create DOLLY_HOME " + home + ": " + e.getMessage(), e);
        }
        FileChannel channel;
        FileLock lock;
        try {
            channel = FileChannel.open(home.resolve("daemon.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            lock = channel.tryLock();
        }
        catch (IOException e) {
            throw DollyException.storageFailed("Cannot lock " + home + ": " + e.getMessage(), e);
        }
        if (lock == null) {
            throw new DollyException(ErrorCode.CONFLICT, "Another Dolly daemon runs for " + home + ".", NextStep.of(NextStep.Kind.USE_OR_STOP_THE_DAEMON));
        }
        try {
            LoopFileSystem.removeUnrecorded(home, configuration.storageRoot());
            LoopFileSystem.mountIfRecorded(home, configuration.storageRoot());
        }
        catch (RuntimeException e) {
            releaseQuietly(channel, lock);
            throw e;
        }
        Dolly dolly = new Dolly(configuration, channel, lock, engineFactory);
        dolly.accessTokens.ensureAdminToken(DollyHome.adminTokenFile(home));
        // each part settles its items one by one; whatever fails is logged (and marked FAILED), and the daemon starts
        settle("the uploads", dolly.uploads::removeLeftovers);
        settle("the images", dolly.images::reconcile);
        settle("the containers", dolly.containers::reconcile);
        settle("the volumes nobody owns", dolly::removeOrphans);
        // once the containers run again: a route whose port is taken is shown as such, and the daemon starts
        settle("the routes", dolly.routes::start);
        settle("the schedules", dolly.schedules::reconcile);
        // the warm pools fill again in the background: their READY containers were started again with the others
        dolly.containers.pools().fillSoon();
        // deleteExpired logs its own failures: the schedule's future has nothing more to say
        var unused = dolly.reaper.scheduleWithFixedDelay(dolly::deleteExpired, 5, 5, TimeUnit.SECONDS);
        var unusedSchedules = dolly.scheduler.scheduleWithFixedDelay(dolly::runSchedules, 1, 1, TimeUnit.SECONDS);
        var unusedIdle = dolly.idleWatcher.scheduleWithFixedDelay(dolly::stopIdle, IDLE_CHECK_SECONDS, IDLE_CHECK_SECONDS, TimeUnit.SECONDS);
        return dolly;
    }

    private static void settle(String what, Runnable settling)
    {
        try {
            settling.run();
        }
        catch (RuntimeException e) {
            LOG.warn("Could not settle {} when the daemon started", what, e);
        }
    }

    /**
     * Whether the home holds no image and no container: storage can then move to its own file system.
     */
    public boolean isEmpty()
    {
        return catalog.images().list().isEmpty() && catalog.containers().list().isEmpty();
    }

    private static void releaseQuietly(FileChannel channel, FileLock lock)
    {
        try {
            lock.release();
            channel.close();
        }
        catch (IOException ignored) {
            // the lock goes with the process anyway
        }
    }

    public ImageService images()
    {
        return images;
    }

    public ContainerService containers()
    {
        return containers;
    }

    public RouteService routes()
    {
        return routes;
    }

    public RevisionService revisions()
    {
        return revisions;
    }

    public ScheduleService schedules()
    {
        return schedules;
    }

    public Uploads uploads()
    {
        return uploads;
    }

    public AccessTokens accessTokens()
    {
        return accessTokens;
    }

    public UserService users()
    {
        return users;
    }

    public DollyConfiguration configuration()
    {
        return configuration;
    }

    /**
     * Reserves the container port range from the kernel's ephemeral range (see {@link ReservedPorts}), as
     * {@code DOLLY_RESERVE_CONTAINER_PORTS} says, or warns what to do: for the daemon at its start, not for every
     * home opened.
     */
    public void reserveContainerPorts()
    {
        containerPorts = new ReservedPorts().reserve(configuration.firstContainerPort(), configuration.lastContainerPort(), configuration.reserveContainerPorts(),
                StorageDrivers.runningAsRoot());
    }

    public ServerInfo info()
    {
        StorageUsage usage = null;
        try {
            usage = storage.usage();
        }
        catch (RuntimeException e) {
            LOG.warn("Could not read the space of the storage", e);
        }
        return new ServerInfo(version(), configuration.home().toString(), storage.name(), storageReason, engineUser.name(),
                engines.all().stream().map(Engine::describe).toList(),
                usage == null ? null : usage.totalBytes(), usage == null ? null : usage.usedBytes(), usage == null ? null : usage.freeBytes(),
                runtime.isolation(accountsDescription()), containerPorts, routes.path());
    }

    /** The accounts servers run as, for {@code dolly info}. */
    private String accountsDescription()
    {
        if (!engineUser.switchesUser()) {
            return "none: the daemon does not run as root, so servers run as its own user " + engineUser.name();
        }
        return accounts.range()
                .map(range -> "one per container and image build, uids " + range.first() + "-" + range.last() + " (" + EngineUidRange.VARIABLE
                        + "); the files of a clone are shown to its container through an ID-mapped view (overlay: ID-mapped layers) where the kernel and file system allow it")
                .orElse("the account " + engineUser.name() + " (uid " + engineUser.uid() + "), not the daemon's");
    }

    public static String version()
    {
        Properties properties = new Properties();
        try (InputStream input = Dolly.class.getResourceAsStream("build.properties")) {
            if (input != null) {
                properties.load(input);
            }
        }
        catch (IOException ignored) {
            // fall through
        }
        return properties.getProperty("version", "unknown");
    }

    /** Stops builds and engines; containers start again when the home is opened next. */
    @Override
    public void close()
    {
        reaper.shutdownNow();
        idleWatcher.shutdownNow();
        try {
            // a stop half-way finishes before the servers are stopped for good
            idleWatcher.awaitTermination(30, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        routes.close();
        scheduler.shutdownNow();
        try {
            // a refresh half-way is taken back when the home opens next, but one that ends now is cleaner
            scheduler.awaitTermination(30, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        images.shutdown();
        containers.pools().shutdown();
        containers.stopAll();
        catalog.close();
        try {
            lock.release();
            lockChannel.close();
        }
        catch (IOException e) {
            LOG.warn("Could not release the lock of {}", configuration.home(), e);
        }
    }

    /** Scheduled builds first, so that a container following their tag can move in the same round. */
    private void runSchedules()
    {
        try {
            schedules.tick();
            following.refreshDue();
        }
        catch (RuntimeException e) {
            LOG.warn("Running schedules failed", e);
        }
    }

    /** Containers first, so that images they held can go in the same round. */
    private void stopIdle()
    {
        try {
            containers.stopIdle();
        }
        catch (RuntimeException e) {
            LOG.warn("Stopping idle containers failed", e);
        }
    }

    private void deleteExpired()
    {
        try {
            containers.deleteExpired();
            images.deleteExpired();
            uploads.deleteUnclaimed();
            // a pool whose container could not be made, or broke, is brought to its size again
            containers.pools().fillSoon();
        }
        catch (RuntimeException e) {
            LOG.warn("Deleting expired images and containers failed", e);
        }
    }

    /** Volumes on disk that the catalog does not know: left by a crash between creating and recording them. */
    private void removeOrphans()
    {
        Set<String> known = catalog.images().list().stream().map(image -> VolumeKeys.image(image.id())).collect(Collectors.toSet());
        // a container's volume changes with every load and reset; one a load was making is removed with the container's settling
        catalog.containers().list().forEach(container -> known.add(container.volume()));
        known.addAll(catalog.containers().listPendingVolumes());
        catalog.containers().listAllRevisions().forEach(revision -> known.add(revision.volume()));
        List<String> volumes;
        try {
            volumes = storage.list();
        }
        catch (RuntimeException e) {
            LOG.warn("Could not list the volumes", e);
            return;
        }
        for (String volume : volumes) {
            if (!known.contains(volume)) {
                LOG.info("Removing the volume {}, which no image, container or revision owns", volume);
                try {
                    storage.delete(volume);
                }
                catch (RuntimeException e) {
                    LOG.warn("Could not remove the volume {}", volume, e);
                }
            }
        }
    }

    /**
     * Lays out the home. When engines run as another account, that account must reach its data directories: the
     * home and the storage root are then made traversable (not listable) by others, and every directory above
     * the home must be traversable already.
     */
    private static void prepareDirectories(DollyConfiguration configuration, EngineUser engineUser)
    {
        Path home = configuration.home();
        try {
            Files.createDirectories(configuration.storageRoot());
            Files.createDirectories(configuration.enginesDirectory());
            Files.createDirectories(configuration.downloadCache());
            Path containerLogs = configuration.engineLogsDirectory();
            Files.createDirectories(containerLogs);
            // the daemon's alone: it opens the servers' logs itself, so no server can plant a link there
            Files.setOwner(containerLogs, Files.getOwner(Path.of("/proc/self")));
            Files.setPosixFilePermissions(containerLogs, PosixFilePermissions.fromString("rwx------"));
            // the files schedules keep are users' backups: the daemon's alone, copied into an upload for each run
            Files.createDirectories(configuration.schedulesDirectory());
            Files.setPosixFilePermissions(configuration.schedulesDirectory(), PosixFilePermissions.fromString("rwx------"));
            if (engineUser.switchesUser()) {
                for (Path ancestor = home.getParent(); ancestor != null; ancestor = ancestor.getParent()) {
                    Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(ancestor);
                    if (!permissions.contains(PosixFilePermission.OTHERS_EXECUTE)) {
                        throw DollyException.badInput("The engine user '" + engineUser.name() + "' cannot reach DOLLY_HOME " + home + " because "
                                + ancestor + " is closed to other users (mode " + PosixFilePermissions.toString(permissions)
                                + "). Choose a DOLLY_HOME below an open directory, such as /var/lib/dolly, or open it with 'chmod o+x " + ancestor + "'.");
                    }
                }
                Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx--x--x"));
                Files.setPosixFilePermissions(configuration.storageRoot(), PosixFilePermissions.fromString("rwx--x--x"));
                Files.setPosixFilePermissions(configuration.enginesDirectory(), PosixFilePermissions.fromString("rwxr-xr-x"));
                Files.setPosixFilePermissions(configuration.logsDirectory(), PosixFilePermissions.fromString("rwx--x--x"));
            }
            else {
                Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
            }
        }
        catch (IOException e) {
            throw DollyException.storageFailed("Cannot prepare DOLLY_HOME " + home + ": " + e.getMessage(), e);
        }
    }

    private static void restrict(Path file)
    {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
        catch (IOException e) {
            throw DollyException.storageFailed("Cannot restrict access to " + file + ": " + e.getMessage(), e);
        }
    }
}
