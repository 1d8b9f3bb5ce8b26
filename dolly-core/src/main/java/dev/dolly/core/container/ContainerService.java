package dev.dolly.core.container;

import dev.dolly.api.CreateContainerRequest;
import dev.dolly.api.DataContainer;
import dev.dolly.api.DollyException;
import dev.dolly.api.Durations;
import dev.dolly.api.ErrorCode;
import dev.dolly.api.Following;
import dev.dolly.api.NextStep;
import dev.dolly.api.ResourceStatus;
import dev.dolly.api.UpdateContainerRequest;
import dev.dolly.core.CrashPoints;
import dev.dolly.core.DollyConfiguration;
import dev.dolly.core.auth.Caller;
import dev.dolly.core.catalog.Catalog;
import dev.dolly.core.catalog.ContainerRecord;
import dev.dolly.core.catalog.FollowingRecord;
import dev.dolly.core.catalog.ImageRecord;
import dev.dolly.core.catalog.RevisionRecord;
import dev.dolly.core.engine.ConnectionStrings;
import dev.dolly.core.engine.Endpoint;
import dev.dolly.core.engine.Engine;
import dev.dolly.core.engine.EngineAccounts;
import dev.dolly.core.engine.EngineInstallation;
import dev.dolly.core.engine.EngineRegistry;
import dev.dolly.core.engine.EngineUser;
import dev.dolly.core.engine.PasswordChange;
import dev.dolly.core.engine.Passwords;
import dev.dolly.core.engine.PortAllocator;
import dev.dolly.core.engine.ProgressListener;
import dev.dolly.core.engine.ServerSettings;
import dev.dolly.core.image.ImageDefinitionParser;
import dev.dolly.core.image.ImageService;
import dev.dolly.core.image.Lifetime;
import dev.dolly.core.quota.Quotas;
import dev.dolly.core.runtime.ServerLimits;
import dev.dolly.core.storage.StorageDriver;
import dev.dolly.core.storage.VolumeKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * Creates, lists and deletes data containers: a writable clone of an image's data directory with its own engine
 * process, port and password.
 */
public final class ContainerService
{
    private static final Logger LOG = LoggerFactory.getLogger(ContainerService.class);
    static final String INITIAL_REVISION = "rev.0";
    /** The owner of pool containers: nobody (no user's name is empty). */
    static final String POOL_OWNER = "";
    /** Pool containers' names start with a character users' names may not ({@link ImageDefinitionParser#checkName}). */
    static final String POOL_NAME_PREFIX = "~pool-";
    private static final Duration SIZE_MAXIMUM_AGE = Duration.ofSeconds(30);
    // a new container whose port another program took between its probe and the bind moves to another port
    private static final int NEW_PORT_ATTEMPTS = 3;
    // a container keeps its port (its connection details name it): outgoing connections hold theirs seconds at most
    private static final int OWN_PORT_ATTEMPTS = 5;
    private static final Duration OWN_PORT_PAUSE = Duration.ofSeconds(1);

    private final Catalog catalog;
    private final ImageService images;
    private final EngineRegistry engines;
    private final EngineAccounts accounts;
    private final StorageDriver storage;
    private final PortAllocator ports;
    private final Quotas quotas;
    private final DollyConfiguration configuration;
    private final Clock clock;
    private final VolumeSizes sizes;
    private final Optional<ServerLimits> limits;
    private final Map<Long, Object> locks = new ConcurrentHashMap<>();
    private final ContainerPools pools;
    private final WakeListeners wakeListeners = new WakeListeners();
    private final List<LongConsumer> deletionListeners = new CopyOnWriteArrayList<>();
    private final IdleWatcher idleWatcher;

    public ContainerService(Catalog catalog, ImageService images, EngineRegistry engines, EngineAccounts accounts, StorageDriver storage, PortAllocator ports,
            Quotas quotas, DollyConfiguration configuration, Clock clock)
    {
        this(catalog, images, engines, accounts, storage, ports, quotas, configuration, clock, Optional.empty());
    }

    /** @param limits the resources each container's server may use, as the runtime enforces them; empty when it sets none */
    public ContainerService(Catalog catalog, ImageService images, EngineRegistry engines, EngineAccounts accounts, StorageDriver storage, PortAllocator ports,
            Quotas quotas, DollyConfiguration configuration, Clock clock, Optional<ServerLimits> limits)
    {
        this.limits = requireNonNull(limits, "limits is null");
        this.accounts = requireNonNull(accounts, "accounts is null");
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.images = requireNonNull(images, "images is null");
        this.engines = requireNonNull(engines, "engines is null");
        this.storage = requireNonNull(storage, "storage is null");
        this.ports = requireNonNull(ports, "ports is null");
        this.quotas = requireNonNull(quotas, "quotas is null");
        this.configuration = requireNonNull(configuration, "configuration is null");
        this.clock = requireNonNull(clock, "clock is null");
        // sizes are a background nicety: they must not compete with engines for the CPU
        @SuppressWarnings("ThreadPriorityCheck")
        ExecutorService measurer = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name("container sizes").priority(Thread.MIN_PRIORITY).factory());
        this.sizes = new VolumeSizes(storage::sizeBytes, measurer, clock, SIZE_MAXIMUM_AGE);
        this.pools = new ContainerPools(this, catalog, clock);
        images.usePools(pools);
        this.idleWatcher = new IdleWatcher(new IdleServers(), clock);
    }

    /** The warm pools of the images' containers, which this service fills and takes from. */
    public ContainerPools pools()
    {
        return pools;
    }

    /** Creates a container from an image the caller may see (their own, a team's, or any for administrators). */
    public DataContainer create(CreateContainerRequest request, Caller caller)
    {
        requireNonNull(request, "request is null");
        requireNonNull(caller, "caller is null");
        String owner = caller.name();
        if (request.image() == null || request.image().isBlank()) {
            throw new DollyException(ErrorCode.BAD_INPUT, "Name the image to create the container from.", NextStep.of(NextStep.Kind.NAME_THE_IMAGE));
        }
        Lifetime lifetime = Lifetime.parse(request.lifetime(), "--lifetime");
        Optional<String> requestedName = Optional.ofNullable(request.name()).filter(name -> !name.isBlank());
        requestedName.ifPresent(ImageDefinitionParser::checkName);
        List<String> teams = checkedTeams(request.teams(), caller);
        Optional<FollowingRecord> following = request.follow() ? Optional.of(FollowingContainers.following(request.image(), request.refreshAt()))
                : Optional.empty();
        if (!request.follow() && request.refreshAt() != null) {
            throw DollyException.badInput("--refresh-at is for a container that follows a tag: add --follow.");
        }
        Optional<Duration> idleStop = request.idleStop() == null ? configuration.defaultIdleStop() : IdleStop.parse(request.idleStop(), "--idle-stop");
        ImageRecord image = images.resolveReady(request.image(), caller);
        var now = clock.instant();
        // computed before a port is taken: an expiry out of range is refused with nothing to give back
        var expiresAt = lifetime.expiry(now).orElse(null);
        // a pool's containers are private and follow nothing: a shared or following container is created as without a pool
        if (image.poolSize() > 0 && teams.isEmpty() && following.isEmpty()) {
            Optional<DataContainer> taken = takeFromPool(image, requestedName, owner, now, expiresAt);
            if (taken.isPresent()) {
                if (idleStop.isEmpty()) {
                    return taken.get();
                }
                catalog.containers().setIdleStop(taken.get().id(), idleStop.get());
                return view(load(taken.get().id()), false, image.name());
            }
        }

        long id;
        String name;
        int port = ports.reserve();
        try {
            synchronized (this) {
                name = requestedName.orElseGet(() -> uniqueName(image.name()));
                checkNameIsFree(name);
                ContainerRecord record = newRecord(image, name, owner, port, now, expiresAt, teams, false);
                // the container's own account, recorded with it: its clone and its server will belong to it; recorded
                // only while the image is READY, so that the image cannot be deleted under its clone
                id = quotas.admitContainer(owner, () -> insertOfReadyImage(record, image));
            }
            // removed with the container's record, should its creation fail
            long created = id;
            idleStop.ifPresent(duration -> catalog.containers().setIdleStop(created, duration));
            following.ifPresent(follow -> catalog.schedules().follow(new FollowingRecord(created, follow.imageName(), follow.tag(), follow.refreshAt(), null, null,
                    null, null, null)));
        }
        finally {
            // recorded with the container, the port stays taken; refused, it is free again
            ports.release(port);
        }
        ContainerRecord created = start(id, name, image, port);
        // a fresh clone's size is not worth a tree walk in the request that creates it
        return view(created, false, image.name());
    }

    /**
     * Creates a container in the image's warm pool: a real container like any other (its own clone, account, port,
     * password and server), owned by nobody and named so that no user's container name can be the same
     * ({@code ~pool-<image>-<random>}, which names users choose are not). {@link ContainerPools} calls it, one at a
     * time.
     */
    ContainerRecord createPooled(ImageRecord image)
    {
        requireNonNull(image, "image is null");
        long id;
        String name;
        int port = ports.reserve();
        try {
            synchronized (this) {
                name = uniquePoolName(image);
                ContainerRecord record = newRecord(image, name, POOL_OWNER, port, clock.instant(), null, List.of(), true);
                // no quota: a pool container is nobody's
                id = insertOfReadyImage(record, image);
            }
        }
        finally {
            ports.release(port);
        }
        return start(id, name, image, port);
    }

    private ContainerRecord newRecord(ImageRecord image, String name, String owner, int port, Instant createdAt, Instant expiresAt, List<String> teams,
            boolean pooled)
    {
        Engine imageEngine = engines.engine(image.engine());
        return new ContainerRecord(0, name, image.id(), ResourceStatus.PENDING, null, image.engine(), image.engineVersion(), configuration.containerHost(), port,
                imageEngine.defaultUser(), Passwords.generate(), databaseOf(image, imageEngine), "", INITIAL_REVISION, owner, createdAt, expiresAt, teams, pooled);
    }

    private long insertOfReadyImage(ContainerRecord record, ImageRecord image)
    {
        return accounts.allocate(uid -> catalog.containers().insertOfReadyImage(record, uid).orElseThrow(() -> imageNoLongerReady(image)));
    }

    private void checkNameIsFree(String name)
    {
        if (catalog.containers().findByName(name).isPresent()) {
            throw new DollyException(ErrorCode.ALREADY_EXISTS, "A data container named '" + name + "' exists already. Choose another name, or delete it first.");
        }
    }

    /**
     * Hands a container of the image's warm pool to the caller: the catalog's conditional update takes it (two
     * creations never get the same one), its superuser gets a new password through the engine (the pool's no longer
     * works), and it becomes READY under the caller's name, ownership, lifetime and creation time, on {@code rev.0} as
     * a new container. The password change was made ready when the pool filled ({@link ContainerPools}: a superuser
     * session open, the statement prepared), so the take is two catalog writes and one statement on the server. Its
     * pool starts a replacement in the background.
     *
     * @return empty when no pool container is ready, or the one taken could not be handed over (it is removed): the
     *         caller then creates a container as without a pool
     */
    private Optional<DataContainer> takeFromPool(ImageRecord image, Optional<String> requestedName, String owner, Instant now, Instant expiresAt)
    {
        long started = System.nanoTime();
        String name;
        AtomicReference<ContainerRecord> taken = new AtomicReference<>();
        AtomicReference<PasswordChange> passwordChange = new AtomicReference<>();
        synchronized (this) {
            name = requestedName.orElseGet(() -> uniqueName(image.name()));
            checkNameIsFree(name);
            // counted against the caller's quota like a new container; the take itself is one conditional update
            try {
                quotas.admitContainer(owner, () -> {
                    Optional<ContainerRecord> pooled = catalog.containers().takePooled(image.id(), name, owner, candidate -> {
                        PasswordChange change = pools.takePasswordChange(candidate);
                        passwordChange.set(change);
                        return change.newPassword();
                    }, now, expiresAt);
                    pooled.ifPresent(taken::set);
                    return pooled.map(ContainerRecord::id).orElse(0L);
                });
            }
            catch (RuntimeException e) {
                // the take was rolled back: the session the pool had prepared is closed (its next pass prepares another)
                Optional.ofNullable(passwordChange.get()).ifPresent(PasswordChange::close);
                throw e;
            }
        }
        ContainerRecord pooled = taken.get();
        PasswordChange change = passwordChange.get();
        long claimed = System.nanoTime();
        if (pooled == null) {
            if (change != null) {
                change.close();
            }
            pools.fillSoon();
            return Optional.empty();
        }
        String password = change.newPassword();
        Engine engine = engine(pooled);
        long passwordChanged;
        try {
            applyPasswordChange(pooled, engine, change);
            passwordChanged = System.nanoTime();
            if (!catalog.containers().markCreated(pooled.id())) {
                throw DollyException.conflict("Its record changed while it was taken from the pool.");
            }
        }
        catch (RuntimeException failure) {
            LOG.warn("Container {} of the pool of image {} could not be handed over as {}: removing it and creating a container instead", pooled.id(),
                    image.name(), name, failure);
            try {
                removeFailedCreation(pooled.id(), pooled.volume(), engine, engine.install(pooled.engineVersion(), ProgressListener.NONE),
                        storage.path(pooled.volume()), failure);
            }
            catch (RuntimeException removalFailure) {
                LOG.warn("Could not remove container {} of the pool of image {}", pooled.id(), image.name(), removalFailure);
            }
            pools.fillSoon();
            return Optional.empty();
        }
        long marked = System.nanoTime();
        pools.refillAfterTake();
        ContainerRecord container = new ContainerRecord(pooled.id(), name, pooled.imageId(), ResourceStatus.READY, null, pooled.engine(), pooled.engineVersion(),
                pooled.host(), pooled.port(), pooled.userName(), password, pooled.databaseName(), pooled.volume(), pooled.revision(), owner, now, expiresAt, false);
        DataContainer view = view(container, false, image.name());
        long ended = System.nanoTime();
        // where the time goes: the catalog's take, the password over the session the pool opened, the catalog's mark, the answer
        LOG.info("Container {} ({}) of image {} taken from its pool on port {} in {} ms (take {} ms, password {} ms, mark {} ms, answer {} ms)", name,
                pooled.id(), image.name(), pooled.port(), millis(started, ended), millis(started, claimed), millis(claimed, passwordChanged),
                millis(passwordChanged, marked), millis(marked, ended));
        return Optional.of(view);
    }

    /**
     * Applies the password change the pool made ready; when its session failed (the server may have closed it since),
     * logs in once more to make the same change.
     */
    private void applyPasswordChange(ContainerRecord pooled, Engine engine, PasswordChange change)
    {
        try {
            change.apply();
        }
        catch (RuntimeException failure) {
            LOG.info("The prepared password change of container {} failed ({}): logging in to change it", pooled.id(), failure.getMessage());
            engine.changePassword(poolSuperuser(pooled, engine), pooled.userName(), change.newPassword());
        }
    }

    /**
     * A password change for a pool container's take, made ready ahead of it: the engine's superuser session logged in
     * with the pool's password and the new one hashed into its statement, where the engine can. {@link ContainerPools}
     * calls it when the container is ready, off any request.
     */
    PasswordChange preparePasswordChange(ContainerRecord pooled)
    {
        Engine engine = engine(pooled);
        // logged in to the database the user will use: the server's first login there (its catalog caches, built
        // anew at every start) is then the daemon's, ahead of time, not the user's
        Endpoint superuser = poolSuperuser(pooled, engine);
        if (pooled.databaseName() != null) {
            superuser = superuser.withDatabase(pooled.databaseName());
        }
        return engine.preparePasswordChange(superuser, pooled.userName(), Passwords.generate());
    }

    /** A password change for a pool container none was prepared for: it logs in when applied. */
    PasswordChange passwordChangeOnApply(ContainerRecord pooled)
    {
        Engine engine = engine(pooled);
        return PasswordChange.onApply(engine, poolSuperuser(pooled, engine), pooled.userName(), Passwords.generate());
    }

    private Endpoint poolSuperuser(ContainerRecord pooled, Engine engine)
    {
        return new Endpoint(engineAddress(), pooled.port(), pooled.userName(), pooled.password(), engine.defaultDatabase());
    }

    /**
     * Clones the image into a recorded (PENDING) container's volume and starts its server with the container's
     * password, then marks it READY; any failure removes the container.
     */
    private ContainerRecord start(long id, String name, ImageRecord image, int port)
    {
        // from here on the record holds the port, the account and the name: every failure removes it
        String volume = VolumeKeys.container(id);
        Engine engine = null;
        EngineInstallation installation = null;
        Path dataDirectory = null;
        long started = System.nanoTime();
        try {
            catalog.containers().setVolume(id, volume);
            ContainerRecord container = load(id);
            engine = engine(container);
            installation = engine.install(image.engineVersion(), ProgressListener.NONE);
            long prepared = System.nanoTime();
            dataDirectory = cloneFor(container, VolumeKeys.image(image.id()), volume);
            long cloned = System.nanoTime();
            CrashPoints.reached(CrashPoints.CONTAINER_CLONED);
            // a volume key may come again after a deletion: no size of an earlier volume
            sizes.forget(volume);
            for (int attempt = 1; ; attempt++) {
                Endpoint asImageSuperuser = new Endpoint(engineAddress(), port, engine.defaultUser(), image.superuserPassword(), engine.defaultDatabase());
                try {
                    // the new password goes over the server's first connection, not a second one after a readiness check
                    engine.startWithNewPassword(installation, dataDirectory, settings(container), asImageSuperuser, container.userName(), container.password());
                    break;
                }
                catch (DollyException failure) {
                    if (attempt == NEW_PORT_ATTEMPTS || !engine.portTaken(settings(container))) {
                        throw failure;
                    }
                    // another program took the port between its probe and the server's bind: a new container can move
                    int taken = port;
                    port = ports.reserve();
                    try {
                        catalog.containers().setPort(id, port);
                    }
                    finally {
                        ports.release(port);
                    }
                    container = load(id);
                    LOG.info("Port {} of container {} ({}) was taken by another program while its server started: trying port {}", taken, name, id, port);
                }
            }
            long serverStarted = System.nanoTime();
            CrashPoints.reached(CrashPoints.CONTAINER_STARTED);
            if (container.pooled()) {
                // a pool container's take finds its password change ready from the moment it can be taken
                pools.preparePasswordChange(container);
            }
            if (!catalog.containers().markCreated(id)) {
                throw DollyException.conflict("Its record changed while it was created.");
            }
            ContainerRecord ready = load(id);
            long ended = System.nanoTime();
            // where the time goes: the catalog and the engine's installation, the clone, the server's start up to its
            // first connection (the runtime logs its launch's own split), the catalog's mark
            LOG.info("Container {} ({}) of image {} is ready on port {}{} in {} ms (record {} ms, clone {} ms, server {} ms, mark {} ms)", name, id, image.name(),
                    port, container.pooled() ? ", in its pool" : "", millis(started, ended), millis(started, prepared), millis(prepared, cloned),
                    millis(cloned, serverStarted), millis(serverStarted, ended));
            return ready;
        }
        catch (RuntimeException failure) {
            LOG.warn("Container {} ({}) failed", name, id, failure);
            removeFailedCreation(id, volume, engine, installation, dataDirectory, failure);
            if (failure instanceof DollyException dollyException) {
                throw new DollyException(dollyException.errorCode(), "Data container '" + name + "' could not be created: " + failure.getMessage(), failure);
            }
            throw DollyException.failed("Data container '" + name + "' could not be created: " + failure, failure);
        }
    }

    /**
     * Undoes a creation that failed after its record was made: the server stopped, the volume deleted, the record
     * removed, which frees its port, account and name. A volume that cannot be deleted keeps its record, marked
     * FAILED with the reason, so that it is listed and can be deleted, rather than left on disk unknown.
     */
    private void removeFailedCreation(long id, String volume, Engine engine, EngineInstallation installation, Path dataDirectory, RuntimeException failure)
    {
        try {
            if (engine != null && installation != null && dataDirectory != null) {
                stopQuietly(engine, installation, dataDirectory);
            }
            storage.delete(volume);
            sizes.forget(volume);
        }
        catch (RuntimeException cleanupFailure) {
            failure.addSuppressed(cleanupFailure);
            LOG.warn("Could not remove the volume {} of the failed container {}", volume, id, cleanupFailure);
            catalog.containers().setStatus(id, ResourceStatus.FAILED, "Its creation failed (" + failure.getMessage() + ") and its volume could not be removed ("
                    + cleanupFailure.getMessage() + "). Delete the container.");
            return;
        }
        released(id);
        catalog.containers().delete(id);
    }

    /**
     * Has {@code listener} told the ID of each container about to be deleted, before its record (and so its port) is
     * freed: whatever still sends connections to the container's port stops before another container may take it.
     */
    public void whenDeleted(LongConsumer listener)
    {
        deletionListeners.add(requireNonNull(listener, "listener is null"));
    }

    private void released(long id)
    {
        for (LongConsumer listener : deletionListeners) {
            try {
                listener.accept(id);
            }
            catch (RuntimeException e) {
                LOG.warn("A listener failed on the deletion of container {}", id, e);
            }
        }
    }

    /** The refusal of a creation whose image was READY when it was resolved, and is being deleted (or gone) when the container is recorded. */
    private DollyException imageNoLongerReady(ImageRecord image)
    {
        String state = catalog.images().find(image.id()).map(current -> "is " + current.status().displayName()).orElse("was deleted");
        return DollyException.conflict("Data image '" + image.name() + "' (" + image.id() + ") " + state + " and no container can be created from it any more.",
                NextStep.of(NextStep.Kind.LIST_IMAGES));
    }

    /** The containers the caller may see: their own, or all for administrators. */
    public List<DataContainer> list(Caller caller)
    {
        return list(caller, null);
    }

    /**
     * The containers the caller may see, filtered.
     *
     * @param image only containers of this image, or {@code null} for all: an ID or {@code name:tag} names one
     *         image, a name every image of that name
     */
    public List<DataContainer> list(Caller caller, String image)
    {
        requireNonNull(caller, "caller is null");
        Set<Long> imageIds = image == null ? null : images.resolveAll(image, caller).stream().map(ImageRecord::id).collect(Collectors.toSet());
        // the names of every image in one query, not one per container
        Map<Long, String> imageNames = catalog.images().list().stream().collect(Collectors.toMap(ImageRecord::id, ImageRecord::name));
        return catalog.containers().list().stream()
                .filter(caller::canSee)
                .filter(container -> imageIds == null || imageIds.contains(container.imageId()))
                .map(container -> view(container, true, imageNames.get(container.imageId())))
                .toList();
    }

    /**
     * Teams a container is to be shared with: well-formed, distinct, and the caller's own (administrators may share
     * with any).
     */
    private static List<String> checkedTeams(List<String> teams, Caller caller)
    {
        teams.forEach(ImageDefinitionParser::checkTeam);
        teams.forEach(caller::checkCanShareWith);
        return teams.stream().distinct().toList();
    }

    /**
     * Renames a container, sets its lifetime counted from now ({@code 0}: never), or shares it with teams or stops
     * sharing it; only its owner and administrators may.
     */
    public DataContainer update(String reference, UpdateContainerRequest request, Caller caller)
    {
        requireNonNull(request, "request is null");
        Optional<String> name = Optional.ofNullable(request.name()).map(String::strip).filter(value -> !value.isEmpty());
        name.ifPresent(ImageDefinitionParser::checkName);
        Optional<Lifetime> lifetime = Optional.ofNullable(request.lifetime()).map(text -> Lifetime.parse(text, "--lifetime"));
        // null: unchanged; off: never
        Duration idleStop = request.idleStop() == null ? null : IdleStop.parse(request.idleStop(), "--idle-stop").orElse(Duration.ZERO);
        List<String> addTeams = checkedTeams(request.addTeams(), caller);
        ContainerRecord container = resolveToChange(reference, caller, "change");
        for (String team : request.removeTeams()) {
            if (!container.teams().contains(team)) {
                throw DollyException.badInput("Data container '" + container.name() + "' is not shared with team '" + team + "'"
                        + (container.teams().isEmpty() ? "." : "; its teams are " + String.join(", ", container.teams()) + "."));
            }
        }
        synchronized (lock(container.id())) {
            if (!addTeams.isEmpty() || !request.removeTeams().isEmpty()) {
                catalog.containers().updateTeams(container.id(), addTeams, request.removeTeams());
            }
            if (name.isPresent() && !name.get().equals(container.name())) {
                synchronized (this) {
                    if (catalog.containers().findByName(name.get()).isPresent()) {
                        throw new DollyException(ErrorCode.ALREADY_EXISTS, "A data container named '" + name.get() + "' exists already. Choose another name.");
                    }
                    catalog.containers().rename(container.id(), name.get());
                }
            }
            lifetime.ifPresent(value -> catalog.containers().setExpiry(container.id(), value.expiry(clock.instant()).orElse(null)));
            if (idleStop != null) {
                catalog.containers().setIdleStop(container.id(), idleStop.isZero() ? null : idleStop);
            }
        }
        LOG.info("Container {} ({}) updated", container.name(), container.id());
        return view(load(container.id()));
    }

    public DataContainer get(String reference, Caller caller)
    {
        return view(resolve(reference, caller));
    }

    public DataContainer delete(String reference, Caller caller)
    {
        ContainerRecord container = resolveToChange(reference, caller, "delete");
        synchronized (lock(container.id())) {
            // decided in the catalog: a container that is still being created, or that another request deleted meanwhile, is not
            if (!catalog.containers().markDeleting(container.id())) {
                throw refusedDeletion(container);
            }
            // read again under the lock: a load or reset that held it may have moved the container to a new volume
            finishDelete(load(container.id()));
        }
        locks.remove(container.id());
        return view(container, false);
    }

    /** Deletes containers whose lifetime is over. */
    public void deleteExpired()
    {
        var now = clock.instant();
        for (ContainerRecord container : catalog.containers().list()) {
            if (!container.pooled() && container.expiresAt() != null && container.expiresAt().isBefore(now) && container.status() != ResourceStatus.PENDING
                    && container.status() != ResourceStatus.DELETING) {
                LOG.info("Container {} ({}) expired at {}: deleting it", container.name(), container.id(), container.expiresAt());
                try {
                    boolean deleted = false;
                    synchronized (lock(container.id())) {
                        // a container that a request is creating is not deleted under it
                        if (catalog.containers().markDeleting(container.id())) {
                            finishDelete(load(container.id()));
                            deleted = true;
                        }
                    }
                    if (deleted) {
                        locks.remove(container.id());
                    }
                }
                catch (RuntimeException e) {
                    LOG.warn("Could not delete expired container {}", container.name(), e);
                }
            }
        }
    }

    /**
     * Deletes a container of a warm pool (its server, volume and record), unless a creation took it meanwhile.
     *
     * @return whether it was deleted
     */
    boolean deletePooled(ContainerRecord container)
    {
        boolean deleted = false;
        synchronized (lock(container.id())) {
            if (catalog.containers().markPooledDeleting(container.id())) {
                finishDelete(load(container.id()));
                deleted = true;
            }
        }
        locks.remove(container.id());
        return deleted;
    }

    private DollyException refusedDeletion(ContainerRecord container)
    {
        ContainerRecord now = catalog.containers().find(container.id())
                .orElseThrow(() -> DollyException.notFound("Data container '" + container.name() + "' not found: it was deleted meanwhile.",
                        NextStep.of(NextStep.Kind.LIST_CONTAINERS)));
        return DollyException.conflict("Data container '" + now.name() + "' is still being created. Delete it once it is Ready.");
    }

    /**
     * A name or a numeric ID, among the containers the caller may see; another's is not found, with the same message
     * as one that does not exist.
     */
    public ContainerRecord resolve(String reference, Caller caller)
    {
        requireNonNull(reference, "reference is null");
        requireNonNull(caller, "caller is null");
        String trimmed = reference.strip();
        Optional<ContainerRecord> container = catalog.containers().findByName(trimmed).filter(caller::canSee);
        if (container.isEmpty() && trimmed.matches("\\d+")) {
            container = catalog.containers().find(Long.parseLong(trimmed)).filter(caller::canSee);
        }
        return container.orElseThrow(() -> DollyException.notFound("Data container '" + reference + "' not found.", NextStep.of(NextStep.Kind.LIST_CONTAINERS)));
    }

    /**
     * A container the caller may see and change: one they only see through a team is refused with
     * {@code NOT_PERMITTED}, saying who may.
     *
     * @param action what the caller would do, as in "may ... it"
     */
    public ContainerRecord resolveToChange(String reference, Caller caller, String action)
    {
        ContainerRecord container = resolve(reference, caller);
        caller.checkCanChange(container, action);
        return container;
    }

    /**
     * Brings containers in line with the catalog when the daemon starts: interrupted creations and deletions are
     * finished, and every READY container's engine runs again.
     */
    public void reconcile()
    {
        for (ContainerRecord container : catalog.containers().list()) {
            // each on its own: one that cannot be settled is marked FAILED, and the others and the daemon go on
            try {
                reconcile(container);
            }
            catch (RuntimeException e) {
                LOG.warn("Could not settle container {} ({}) when the daemon started", container.name(), container.id(), e);
                try {
                    catalog.containers().setStatus(container.id(), ResourceStatus.FAILED, "Could not be settled when the daemon started: " + e.getMessage()
                            + ". Delete the container and create a new one.");
                }
                catch (RuntimeException recordFailure) {
                    LOG.warn("Could not mark container {} ({}) failed", container.name(), container.id(), recordFailure);
                }
            }
        }
    }

    private void reconcile(ContainerRecord container)
    {
        Optional<String> pending = catalog.containers().pendingVolume(container.id());
        if (pending.isPresent()) {
            LOG.info("Container {} ({}): a load or reset was interrupted before it switched to {}: the container stays on {}", container.name(),
                    container.id(), pending.get(), container.revision());
            removePendingVolume(container, pending.get());
        }
        switch (container.status()) {
            case PENDING, DELETING -> {
                LOG.info("Container {} ({}) was {} when the daemon stopped: removing it", container.name(), container.id(), container.status().displayName());
                finishDelete(container);
            }
            case READY -> ensureRunning(container);
            case STOPPED -> {
                if (catalog.containers().stoppedBy(container.id()).isPresent()) {
                    // stopped on purpose (idle or by hand): it stays stopped, its port held, until a connection or 'dolly start'
                    stopQuietly(engine(container), engine(container).install(container.engineVersion(), ProgressListener.NONE), storage.path(container.volume()));
                    listenWhileStopped(container);
                }
                else {
                    ensureRunning(container);
                }
            }
            default -> { }
        }
    }

    /**
     * Removes the volume a load or reset was making for the container, with any server started on it, and forgets it:
     * the container stays on the volume it is on.
     */
    void removePendingVolume(ContainerRecord container, String volume)
    {
        if (volume.equals(container.volume())) {
            throw new IllegalArgumentException("The pending volume " + volume + " is the one container " + container.id() + " is on");
        }
        if (storage.exists(volume)) {
            Engine engine = engine(container);
            try {
                stopQuietly(engine, engine.install(container.engineVersion(), ProgressListener.NONE), storage.path(volume));
            }
            catch (RuntimeException e) {
                LOG.warn("Could not stop a server on {}", volume, e);
            }
            storage.delete(volume);
            sizes.forget(volume);
        }
        catalog.containers().clearPendingVolume(container.id());
    }

    /** Stops every engine cleanly, for the daemon's shutdown; they start again with the daemon. */
    public void stopAll()
    {
        wakeListeners.closeAll();
        for (ContainerRecord container : catalog.containers().list()) {
            if (container.status() == ResourceStatus.READY) {
                Engine engine = engine(container);
                try {
                    stopQuietly(engine, engine.install(container.engineVersion(), ProgressListener.NONE), storage.path(container.volume()));
                }
                catch (RuntimeException e) {
                    LOG.warn("Could not stop container {}", container.name(), e);
                }
            }
        }
    }

    private void ensureRunning(ContainerRecord container)
    {
        if (!storage.exists(container.volume())) {
            catalog.containers().setStatus(container.id(), ResourceStatus.FAILED, "The container's data is missing from " + storage.path(container.volume())
                    + ". Delete the container and create a new one.");
            return;
        }
        try {
            startServer(container);
        }
        catch (RuntimeException e) {
            LOG.warn("Could not start container {}", container.name(), e);
            catalog.containers().setStatus(container.id(), ResourceStatus.STOPPED, "Could not start: " + e.getMessage());
        }
    }

    /**
     * Starts the container's server on its port unless it runs, and marks it READY: every start of an existing
     * container's server goes through here (the daemon's start, a wake on connection, {@code dolly start}).
     *
     * @return whether it was running already
     */
    private boolean startServer(ContainerRecord container)
    {
        Engine engine = engine(container);
        if (!storage.exists(container.volume())) {
            throw DollyException.failed("The data of container '" + container.name() + "' is missing from " + storage.path(container.volume())
                    + ". Delete the container and create a new one.");
        }
        // after a reboot, some drivers must mount the volume again before the engine can see its data
        storage.activate(container.volume());
        EngineInstallation installation = engine.install(container.engineVersion(), ProgressListener.NONE);
        Path dataDirectory = storage.path(container.volume());
        boolean running = engine.isRunning(installation, dataDirectory);
        if (!running) {
            LOG.info("Starting container {} ({}) on port {}", container.name(), container.id(), container.port());
            onOwnPort(container, engine, () -> engine.start(installation, dataDirectory, settings(container)));
        }
        catalog.containers().setStatus(container.id(), ResourceStatus.READY, null);
        return running;
    }

    /**
     * Starts a stopped container's server: {@code dolly start data-container}. A running one is left as it is.
     */
    public DataContainer start(String reference, Caller caller)
    {
        ContainerRecord container = resolveToChange(reference, caller, "start");
        synchronized (lock(container.id())) {
            container = load(container.id());
            if (container.status() != ResourceStatus.READY && container.status() != ResourceStatus.STOPPED) {
                throw DollyException.conflict("Data container '" + container.name() + "' cannot be started: it is " + container.status().displayName() + ".");
            }
            wakeListeners.stopListening(container.id());
            try {
                startServer(container);
            }
            catch (RuntimeException e) {
                catalog.containers().setStatus(container.id(), ResourceStatus.STOPPED, "Could not start: " + e.getMessage());
                throw e;
            }
        }
        return view(load(container.id()));
    }

    /**
     * Stops a container's server cleanly, keeping its data: {@code dolly stop data-container}. The daemon holds its
     * port, and the next connection to it starts the server again. A stopped one is left as it is.
     */
    public DataContainer stop(String reference, Caller caller)
    {
        ContainerRecord container = resolveToChange(reference, caller, "stop");
        stopServer(container.id(), DataContainer.STOPPED_BY_REQUEST, "Stopped by " + caller.name() + ".");
        return view(load(container.id()));
    }

    /**
     * Stops a READY container's server cleanly, records it STOPPED on purpose and listens on its port. A crash between
     * the stop and the record leaves it READY with no server: the daemon's next start starts it again.
     *
     * @return whether it was stopped (it was READY)
     */
    private boolean stopServer(long id, String stoppedBy, String message)
    {
        synchronized (lock(id)) {
            ContainerRecord container = load(id);
            if (container.status() != ResourceStatus.READY) {
                if (container.status() == ResourceStatus.STOPPED) {
                    return false;
                }
                throw DollyException.conflict("Data container '" + container.name() + "' cannot be stopped: it is " + container.status().displayName() + ".");
            }
            long started = System.nanoTime();
            stopEngine(container);
            CrashPoints.reached(CrashPoints.CONTAINER_SERVER_STOPPED);
            catalog.containers().setStoppedBy(id, stoppedBy, message);
            listenWhileStopped(container);
            LOG.info("Container {} ({}) stopped ({}) in {} ms", container.name(), id, stoppedBy, millis(started, System.nanoTime()));
            return true;
        }
    }

    /** Listens on a container's port while its server is stopped on purpose, to start it on the next connection. */
    private void listenWhileStopped(ContainerRecord container)
    {
        List<String> addresses = java.util.Arrays.stream(configuration.containerListenAddress().split(","))
                .map(String::strip)
                .map(address -> switch (address) {
                    case "*", "" -> "0.0.0.0";
                    default -> address;
                })
                .distinct()
                .toList();
        long id = container.id();
        try {
            wakeListeners.listen(id, container.name(), addresses, container.port(), () -> {
                try {
                    return wake(id);
                }
                catch (RuntimeException e) {
                    throw new java.io.IOException("Could not start container " + id + ": " + e.getMessage(), e);
                }
            });
        }
        catch (java.io.IOException e) {
            // the container stays stopped: 'dolly start' starts it
            LOG.warn("Could not listen on port {} of stopped container {} ({}): it starts on 'dolly start' only", container.port(), container.name(), id, e);
        }
    }

    /**
     * Starts a container stopped on purpose, for a connection the daemon holds on its port: stops listening, starts
     * the server on the port (once the server takes connections), and answers where it is. A container another
     * connection woke already is answered at once.
     */
    InetSocketAddress wake(long id)
    {
        synchronized (lock(id)) {
            ContainerRecord container = load(id);
            if (container.status() == ResourceStatus.STOPPED) {
                long started = System.nanoTime();
                wakeListeners.stopListening(id);
                try {
                    startServer(container);
                }
                catch (RuntimeException e) {
                    LOG.warn("Could not wake container {} ({})", container.name(), id, e);
                    catalog.containers().setStatus(id, ResourceStatus.STOPPED, "Could not start: " + e.getMessage());
                    throw e;
                }
                LOG.info("Container {} ({}) woken by a connection in {} ms", container.name(), id, millis(started, System.nanoTime()));
            }
            else if (container.status() != ResourceStatus.READY) {
                throw DollyException.conflict("Data container '" + container.name() + "' is " + container.status().displayName() + ".");
            }
            return serverAddress(container);
        }
    }

    /**
     * Starts the server of a container stopped on purpose before an operation that needs it (save, load, reset,
     * graduate); the caller holds the container's lock. Returns the container as it is now.
     */
    ContainerRecord wakeForChange(ContainerRecord container)
    {
        if (container.status() == ResourceStatus.STOPPED && catalog.containers().stoppedBy(container.id()).isPresent()) {
            wake(container.id());
            return load(container.id());
        }
        return container;
    }

    /** One round of the idle watcher: stops the servers of containers idle for their idle stop. */
    public void stopIdle()
    {
        idleWatcher.check();
    }

    /** The containers' side of the idle watcher: running ones with an idle stop, their clients counted by the engine. */
    private final class IdleServers
            implements IdleWatcher.Servers
    {
        @Override
        public List<IdleWatcher.Watched> watched()
        {
            return catalog.containers().list().stream()
                    .filter(container -> container.status() == ResourceStatus.READY && !container.pooled())
                    .flatMap(container -> catalog.containers().idleStop(container.id())
                            .map(idleStop -> new IdleWatcher.Watched(container.id(), container.name(), idleStop)).stream())
                    .toList();
        }

        @Override
        public java.util.OptionalInt clientConnections(long id)
        {
            ContainerRecord container = load(id);
            Engine engine = engine(container);
            return java.util.OptionalInt.of(engine.clientConnections(new Endpoint(engineAddress(), container.port(), container.userName(), container.password(),
                    container.databaseName())));
        }

        @Override
        public void stopIdle(IdleWatcher.Watched container, Instant lastClient)
        {
            stopServer(container.id(), DataContainer.STOPPED_IDLE, "Stopped after " + Durations.format(container.idleStop()) + " with no client connection (the last at "
                    + lastClient + "); the next connection starts it.");
        }
    }

    private void finishDelete(ContainerRecord container)
    {
        released(container.id());
        wakeListeners.stopListening(container.id());
        Engine engine = engine(container);
        if (!container.volume().isEmpty() && storage.exists(container.volume())) {
            try {
                stopQuietly(engine, engine.install(container.engineVersion(), ProgressListener.NONE), storage.path(container.volume()));
            }
            catch (RuntimeException e) {
                LOG.warn("Could not stop container {}", container.name(), e);
            }
            storage.delete(container.volume());
            sizes.forget(container.volume());
        }
        CrashPoints.reached(CrashPoints.CONTAINER_DELETE_VOLUME);
        // newest first: with overlay, a revision is stacked on the one it was saved from
        for (RevisionRecord revision : catalog.containers().listRevisions(container.id()).reversed()) {
            storage.delete(revision.volume());
            catalog.containers().deleteRevision(container.id(), revision.number());
        }
        // frees its account, unless an image graduated from it holds files of it
        catalog.containers().delete(container.id());
    }

    /** The container's engine, running as the container's own account. */
    private Engine engine(ContainerRecord container)
    {
        return engines.engine(container.engine()).runningAs(account(container));
    }

    /** Clones a volume for a container: a driver that can show its files as the container's account's does. */
    Path cloneFor(ContainerRecord container, String sourceKey, String targetKey)
    {
        EngineUser account = account(container);
        return account.switchesUser()
                ? storage.clone(sourceKey, targetKey, new StorageDriver.VolumeOwner(account.uid(), account.gid()))
                : storage.clone(sourceKey, targetKey);
    }

    /** The account a container's files belong to and its processes run as. */
    public EngineUser account(ContainerRecord container)
    {
        return accounts.account(catalog.containers().engineUid(container.id()).orElse(null));
    }

    private ServerSettings settings(ContainerRecord container)
    {
        // engines listen where the daemon is configured to let them (DOLLY_CONTAINER_LISTEN); connection details name container.host()
        return new ServerSettings(configuration.containerListenAddress(), container.port(), engines.engine(container.engine()).containerParameters(),
                configuration.engineLogsDirectory().resolve("container-" + container.id() + ".log"));
    }

    private static long millis(long startNanos, long endNanos)
    {
        return Duration.ofNanos(endNanos - startNanos).toMillis();
    }

    private String uniquePoolName(ImageRecord image)
    {
        while (true) {
            String name = POOL_NAME_PREFIX + image.id() + "-" + Passwords.random(8, "abcdefghijklmnopqrstuvwxyz0123456789");
            if (catalog.containers().findByName(name).isEmpty()) {
                return name;
            }
        }
    }

    private String uniqueName(String imageName)
    {
        while (true) {
            String name = ContainerNames.generate(imageName);
            if (catalog.containers().findByName(name).isEmpty()) {
                return name;
            }
        }
    }

    private static String databaseOf(ImageRecord image, Engine engine)
    {
        return image.databaseName() == null ? engine.defaultDatabase() : image.databaseName();
    }

    /** Where the daemon itself reaches a container's server (a route relays there). */
    public InetSocketAddress serverAddress(ContainerRecord container)
    {
        return new InetSocketAddress(engineAddress(), container.port());
    }

    /** The address the daemon itself reaches engines at: loopback when they listen on every address. */
    private String engineAddress()
    {
        String listen = configuration.containerListenAddress().split(",")[0].strip();
        return switch (listen) {
            case "0.0.0.0", "*", "" -> "127.0.0.1";
            case "::" -> "::1";
            default -> listen;
        };
    }

    private static void stopQuietly(Engine engine, EngineInstallation installation, Path dataDirectory)
    {
        try {
            engine.stop(installation, dataDirectory);
        }
        catch (RuntimeException e) {
            LOG.warn("Could not stop the engine on {}", dataDirectory, e);
        }
    }

    /** The lock that save, load, reset, graduate and delete of one container hold, so that they run one at a time. */
    Object lock(long containerId)
    {
        return locks.computeIfAbsent(containerId, id -> new Object());
    }

    /** Stops a container's engine cleanly (a fast shutdown: open transactions are rolled back), for a clean snapshot. */
    void stopEngine(ContainerRecord container)
    {
        Engine engine = engine(container);
        engine.stop(engine.install(container.engineVersion(), ProgressListener.NONE), storage.path(container.volume()));
    }

    /**
     * Starts a container's engine again on its port, and marks it READY; marks it STOPPED with the reason when it
     * cannot start. When its data came from somewhere its password is not set yet (its image), the superuser logs in
     * with {@code dataPassword} and the container's password is set again.
     */
    void startEngine(ContainerRecord container, String dataPassword)
    {
        startEngine(container, container.volume(), dataPassword);
    }

    /** Starts a container's engine on {@code volume}, which may be a volume it is not on yet (a load's): see {@link #startEngine(ContainerRecord, String)}. */
    void startEngine(ContainerRecord container, String volume, String dataPassword)
    {
        Engine engine = engine(container);
        try {
            EngineInstallation installation = engine.install(container.engineVersion(), ProgressListener.NONE);
            Path dataDirectory = storage.path(volume);
            if (dataPassword.equals(container.password())) {
                onOwnPort(container, engine, () -> engine.start(installation, dataDirectory, settings(container)));
            }
            else {
                Endpoint asDataSuperuser = new Endpoint(engineAddress(), container.port(), engine.defaultUser(), dataPassword, engine.defaultDatabase());
                onOwnPort(container, engine, () -> engine.startWithNewPassword(installation, dataDirectory, settings(container), asDataSuperuser,
                        container.userName(), container.password()));
            }
            sizes.forget(volume);
            catalog.containers().setStatus(container.id(), ResourceStatus.READY, null);
        }
        catch (RuntimeException e) {
            catalog.containers().setStatus(container.id(), ResourceStatus.STOPPED, "Could not start: " + e.getMessage());
            throw e;
        }
    }

    /**
     * Starts a container's server on its own port, which its connection details name: when another program holds
     * the port (an outgoing connection that got it from the kernel's ephemeral range, often gone within seconds), tries
     * again a few times after a pause, then fails naming the port.
     */
    private void onOwnPort(ContainerRecord container, Engine engine, Runnable start)
    {
        for (int attempt = 1; ; attempt++) {
            try {
                start.run();
                return;
            }
            catch (DollyException failure) {
                if (!engine.portTaken(settings(container))) {
                    throw failure;
                }
                if (attempt == OWN_PORT_ATTEMPTS) {
                    throw DollyException.engineFailed("Port " + container.port() + " of data container '" + container.name() + "' is taken by another program ("
                            + OWN_PORT_ATTEMPTS + " tries over " + OWN_PORT_PAUSE.multipliedBy(OWN_PORT_ATTEMPTS - 1).toSeconds() + " s). Find it with "
                            + "'ss -tanp sport = :" + container.port() + "' and stop it, then reset the container ('dolly reset') or restart the daemon; "
                            + "to keep other programs off container ports, reserve them (DOLLY_RESERVE_CONTAINER_PORTS, see 'dolly info').", failure);
                }
                LOG.info("Port {} of container {} ({}) is taken by another program: starting it again in {} ms", container.port(), container.name(), container.id(),
                        OWN_PORT_PAUSE.toMillis());
                try {
                    Thread.sleep(OWN_PORT_PAUSE);
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw failure;
                }
            }
        }
    }

    public ContainerRecord load(long id)
    {
        return catalog.containers().find(id).orElseThrow(() -> DollyException.notFound("Data container " + id + " not found."));
    }

    /** A container as the API shows it; its size is the last one measured in the background (see {@link VolumeSizes}). */
    public DataContainer view(ContainerRecord container)
    {
        return view(container, true);
    }

    /** @param measure whether to measure the volume in the background when its size is unknown or old */
    private DataContainer view(ContainerRecord container, boolean measure)
    {
        return view(container, measure, catalog.images().find(container.imageId()).map(ImageRecord::name).orElse(null));
    }

    /** @param imageName the name of the container's image, {@code null} when it is gone */
    private DataContainer view(ContainerRecord container, boolean measure, String imageName)
    {
        Engine engine = engines.engine(container.engine());
        ConnectionStrings strings = engine.connectionStrings(new Endpoint(container.host(), container.port(), container.userName(), container.password(),
                container.databaseName()));
        return new DataContainer(container.id(), container.name(), container.imageId(), imageName, container.revision(),
                container.status(), container.statusMessage(), container.engine(), container.engineVersion(), container.host(), container.port(),
                container.userName(), container.password(), container.databaseName(), strings.uri(), strings.jdbcUrl(), strings.keyValue(),
                container.owner(), container.createdAt(), container.expiresAt(),
                container.volume().isEmpty() ? null : boxed(measure ? sizes.size(container.volume()) : sizes.known(container.volume())),
                limits.map(limit -> new DataContainer.Limits(limit.memoryBytes(), limit.processes())).orElse(null), container.teams(),
                catalog.schedules().following(container.id())
                        .map(following -> new Following(following.imageName() + ":" + following.tag(), following.refreshAt(), following.refreshedAt(),
                                following.message()))
                        .orElse(null),
                catalog.containers().idleStop(container.id()).map(Durations::format).orElse(null),
                container.status() == ResourceStatus.STOPPED ? catalog.containers().stoppedBy(container.id()).orElse(null) : null);
    }

    private static Long boxed(java.util.OptionalLong value)
    {
        return value.isPresent() ? value.getAsLong() : null;
    }
}
