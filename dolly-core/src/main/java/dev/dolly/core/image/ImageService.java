package dev.dolly.core.image;

import dev.dolly.api.CreateImageRequest;
import dev.dolly.api.DataImage;
import dev.dolly.api.DollyException;
import dev.dolly.api.ErrorCode;
import dev.dolly.api.ImageBuildStep;
import dev.dolly.api.NextStep;
import dev.dolly.api.ResourceStatus;
import dev.dolly.api.UpdateImageRequest;
import dev.dolly.core.CrashPoints;
import dev.dolly.core.DollyConfiguration;
import dev.dolly.core.auth.Caller;
import dev.dolly.core.catalog.Catalog;
import dev.dolly.core.catalog.ContainerRecord;
import dev.dolly.core.catalog.ImageChanges;
import dev.dolly.core.catalog.ImageRecord;
import dev.dolly.core.engine.Engine;
import dev.dolly.core.engine.EngineAccounts;
import dev.dolly.core.engine.EngineInstallation;
import dev.dolly.core.engine.EngineRegistry;
import dev.dolly.core.engine.EngineUser;
import dev.dolly.core.engine.LoadPlan;
import dev.dolly.core.engine.Passwords;
import dev.dolly.core.engine.PortAllocator;
import dev.dolly.core.image.ImageDefinition.BackupSource;
import dev.dolly.core.image.ImageDefinitionParser.FileLocation;
import dev.dolly.core.image.build.BuildContext;
import dev.dolly.core.image.build.BuildPipeline;
import dev.dolly.core.image.build.BuildTimeout;
import dev.dolly.core.image.build.TransformStep;
import dev.dolly.core.transform.Masker;
import dev.dolly.api.TransformReport;
import dev.dolly.api.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.dolly.core.quota.Quotas;
import dev.dolly.core.storage.StorageDriver;
import dev.dolly.core.storage.VolumeKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * Builds, lists and deletes data images. A build runs in the background: the image is recorded as PENDING first,
 * then becomes READY, or FAILED with the reason and nothing left on disk. A dry run ({@code --dry-run}) builds up to
 * the transform, then undoes everything and leaves the catalog: only its outcome is kept a while ({@link DryRuns}).
 */
public final class ImageService
{
    private static final Logger LOG = LoggerFactory.getLogger(ImageService.class);
    /** The source type of an image graduated from a container's revision. */
    public static final String GRADUATED = "revision";
    /** The largest warm pool an image may have: each of its containers is a running server, holding memory and a port. */
    public static final int MAXIMUM_POOL_SIZE = 20;
    /** Connections a build's steps may use at once (to freeze and analyse tables in parallel): the cores, from 2 to 4. */
    private static final int BUILD_PARALLELISM = Math.clamp(Runtime.getRuntime().availableProcessors(), 2, 4);

    private final Catalog catalog;
    private final EngineRegistry engines;
    private final StorageDriver storage;
    private final EngineAccounts accounts;
    private final PortAllocator ports;
    private final DollyConfiguration configuration;
    private final Uploads uploads;
    private final Quotas quotas;
    private final ExecutorService builds;
    private final Clock clock;
    private final ImageDefinitionParser parser;
    private final BuildPipeline pipeline = BuildPipeline.standard();
    private final DryRuns dryRuns = new DryRuns();
    private volatile ImagePools pools = ImagePools.NONE;
    /** Ends builds that run longer than {@code DOLLY_BUILD_TIMEOUT}. */
    private final ScheduledExecutorService timeouts = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("build-timeouts").daemon().factory());

    public ImageService(Catalog catalog, EngineRegistry engines, StorageDriver storage, EngineAccounts accounts, PortAllocator ports,
            DollyConfiguration configuration, Uploads uploads, Quotas quotas, ExecutorService builds, Clock clock)
    {
        this.uploads = requireNonNull(uploads, "uploads is null");
        this.quotas = requireNonNull(quotas, "quotas is null");
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.engines = requireNonNull(engines, "engines is null");
        this.storage = requireNonNull(storage, "storage is null");
        this.accounts = requireNonNull(accounts, "accounts is null");
        this.ports = requireNonNull(ports, "ports is null");
        this.configuration = requireNonNull(configuration, "configuration is null");
        this.builds = requireNonNull(builds, "builds is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.parser = new ImageDefinitionParser(engines);
    }

    /**
     * Checks the definition completely, records the image as PENDING and starts building it. Bad input is refused
     * here, before anything is created.
     *
     * <p>The definition's files come from an upload of the owner, whose staging directory goes when the build is over
     * (or when the request is refused), or from a directory on this machine: only the local administrator (the
     * token of {@code DOLLY_HOME/admin-token}) may name one, since the daemon can read directories its users cannot;
     * the paths of its definition are then read wherever they lead, absolute or outside its directory.
     *
     * @param localAdministrator whether the caller used the local administrator's token
     */
    public DataImage create(CreateImageRequest request, Caller caller, boolean localAdministrator)
    {
        requireNonNull(request, "request is null");
        requireNonNull(caller, "caller is null");
        String owner = caller.name();
        if (request.definition() == null) {
            throw DollyException.badInput("An image request needs the definition's text.");
        }
        if ((request.upload() == null) == (request.sourceDirectory() == null)) {
            throw DollyException.badInput("An image request names either an upload of the definition's files or, for the local administrator, "
                    + "their directory on the daemon's machine: one of the two.");
        }
        if (request.upload() == null) {
            if (!localAdministrator) {
                throw DollyException.badInput("Only the local administrator may build from a directory on the daemon's machine. "
                        + "Upload the definition's files instead: the dolly CLI does so when it talks to a server.");
            }
            return create(request, Path.of(request.sourceDirectory()), FileLocation.ON_THIS_MACHINE, request.sourceDirectory(), caller, () -> {});
        }
        Path directory = uploads.claim(request.upload(), owner);
        Runnable release = () -> uploads.delete(request.upload());
        try {
            return create(request, directory, FileLocation.UPLOADED, "upload " + request.upload(), caller, release);
        }
        catch (RuntimeException e) {
            release.run();
            throw e;
        }
    }

    /** @param release runs once the build is over, whatever the outcome */
    private DataImage create(CreateImageRequest request, Path sourceDirectory, FileLocation location, String sourceDescription, Caller caller,
            Runnable release)
    {
        ImageDefinition definition = parser.parse(request.definition(), sourceDirectory, location, Optional.ofNullable(request.name()), request.variables());
        checkNameIsTheCallers(definition.name(), caller);
        Optional<byte[]> salt = salt(definition, request);
        boolean dryRun = request.asksForDryRun();
        if (dryRun) {
            checkDryRun(definition, request);
        }
        LinkedHashSet<String> tags = new LinkedHashSet<>(definition.tags());
        request.tags().forEach(tag -> {
            ImageDefinitionParser.checkTag(tag);
            tags.add(tag);
        });
        LinkedHashSet<String> teams = new LinkedHashSet<>(definition.teams());
        request.teams().forEach(team -> {
            ImageDefinitionParser.checkTeam(team);
            teams.add(team);
        });
        teams.forEach(caller::checkCanShareWith);
        Lifetime lifetime = request.lifetime() == null ? definition.lifetime() : Lifetime.parse(request.lifetime(), "--lifetime");
        Engine engine = engines.engine(definition.engine());
        String version = engine.resolveVersion(definition.version().orElse(null));
        int poolSize = checkPoolSize(request.pool());

        var now = clock.instant();
        ImageRecord record = new ImageRecord(0, definition.name(), ResourceStatus.PENDING, null, dryRun ? "Queued (dry run)" : "Queued", definition.engine(),
                definition.version().orElse(null), version, definition.sourceType().name().toLowerCase(java.util.Locale.ROOT),
                definition.initialDatabaseName().orElse(null), Passwords.generate(), "", null, caller.name(), request.definition(),
                sourceDescription, now, null, lifetime.expiry(now).orElse(null), List.copyOf(tags), List.copyOf(teams), null, poolSize);
        // the build's own account, recorded with the image: its files will belong to it
        long id = quotas.admitImage(caller.name(), true, () -> accounts.allocate(uid -> {
            long inserted = catalog.images().insert(record);
            catalog.images().setEngineUid(inserted, uid);
            return inserted;
        }));
        String volume = VolumeKeys.image(id);
        catalog.images().setVolume(id, volume);
        Optional<Path> staging = location == FileLocation.UPLOADED ? Optional.of(sourceDirectory) : Optional.empty();
        Runnable releaseOnce = once(release);
        builds.execute(() -> {
            try {
                build(id, definition, staging, salt, dryRun, releaseOnce);
            }
            finally {
                releaseOnce.run();
                // a READY image's pool fills from now on
                pools.fillSoon();
            }
        });
        return view(load(id));
    }

    /** Refuses a dry run that would show nothing: one of a definition without a transform, or with a pool. */
    private static void checkDryRun(ImageDefinition definition, CreateImageRequest request)
    {
        if (definition.transform().isEmpty()) {
            throw DollyException.badInput("--dry-run shows what the definition's transform: does (rows kept per table, columns masked, personal columns "
                    + "found), and " + definition.name() + "'s definition has none: add a transform: section, or build without --dry-run.");
        }
        if (request.pool() != null && request.pool() > 0) {
            throw DollyException.badInput("--dry-run keeps no image, so it has no pool: leave out --pool, or build without --dry-run.");
        }
    }

    /** The warm pools of the images' containers, which the container service keeps: filled when a pool's size changes, drained on deletion. */
    public void usePools(ImagePools pools)
    {
        this.pools = requireNonNull(pools, "pools is null");
    }

    /** Checks the size of a warm pool asked for, of {@code --pool}. */
    static int checkPoolSize(Integer pool)
    {
        if (pool == null) {
            return 0;
        }
        if (pool < 0 || pool > MAXIMUM_POOL_SIZE) {
            throw DollyException.badInput("--pool " + pool + " is not a pool size: give how many containers of the image to keep started and idle, from 0 "
                    + "(none) to " + MAXIMUM_POOL_SIZE + ".");
        }
        return pool;
    }

    /** The images the caller may see. */
    public List<DataImage> list(Caller caller)
    {
        return list(caller, null, null);
    }

    /**
     * The images the caller may see, filtered.
     *
     * @param name only images of this name, or {@code null} for all
     * @param tag only images that hold this tag, or {@code null} for all
     */
    public List<DataImage> list(Caller caller, String name, String tag)
    {
        requireNonNull(caller, "caller is null");
        // the containers of every image in one query, not one per image
        List<ContainerRecord> all = catalog.containers().list();
        Map<Long, Long> readyInPools = all.stream()
                .filter(container -> container.pooled() && container.status() == ResourceStatus.READY)
                .collect(Collectors.groupingBy(ContainerRecord::imageId, Collectors.counting()));
        Map<Long, List<String>> containers = all.stream()
                .filter(container -> !container.pooled())
                .collect(Collectors.groupingBy(ContainerRecord::imageId, Collectors.mapping(ContainerRecord::name, Collectors.toList())));
        Map<Long, List<ImageBuildStep>> buildSteps = catalog.images().allBuildSteps();
        return catalog.images().list().stream()
                .filter(caller::canSee)
                .filter(image -> !dryRuns.isOver(image.id()))
                .filter(image -> name == null || image.name().equals(name))
                .filter(image -> tag == null || image.tags().contains(tag))
                .map(image -> view(image, containers.getOrDefault(image.id(), List.of()), buildSteps.getOrDefault(image.id(), List.of()),
                        readyInPools.getOrDefault(image.id(), 0L).intValue()))
                .toList();
    }

    /**
     * Refuses a name that images the caller may not change already carry. Tags move between the images of one name,
     * so a name has one set of owners: otherwise anyone could take {@code widgetstore:latest-production} from the
     * pipeline that makes it. Like container names, this tells that the name is taken.
     */
    private void checkNameIsTheCallers(String name, Caller caller)
    {
        if (!catalog.images().findByName(name).stream().allMatch(caller::canChange)) {
            throw new DollyException(ErrorCode.ALREADY_EXISTS, "The data image name '" + name + "' belongs to images of another user: their tags would "
                    + "move to yours. Choose another name, or ask their owner or an administrator to build it.");
        }
    }

    /**
     * Changes an image's tags, teams, name and lifetime (counted from now). Tags added to a READY image move to it
     * from the other images of its name at once; a renamed image keeps only the tags no image of its new name holds.
     */
    public DataImage update(String reference, UpdateImageRequest request, Caller caller)
    {
        requireNonNull(request, "request is null");
        ImageRecord image = resolve(reference, caller);
        caller.checkCanChange(image, "change");
        String name = Optional.ofNullable(request.name()).map(String::strip).filter(value -> !value.isEmpty() && !value.equals(image.name())).orElse(null);
        if (name != null) {
            ImageDefinitionParser.checkName(name);
            checkNameIsTheCallers(name, caller);
        }
        request.addTags().forEach(ImageDefinitionParser::checkTag);
        request.addTeams().forEach(ImageDefinitionParser::checkTeam);
        request.addTeams().forEach(caller::checkCanShareWith);
        List<String> known = new ArrayList<>(image.tags());
        known.addAll(catalog.images().pendingTags(image.id()));
        for (String tag : request.removeTags()) {
            if (!known.contains(tag) && !request.addTags().contains(tag)) {
                throw DollyException.badInput("Data image '" + image.name() + "' (" + image.id() + ") has no tag '" + tag + "'"
                        + (known.isEmpty() ? "." : "; its tags are " + String.join(", ", known) + "."));
            }
        }
        for (String team : request.removeTeams()) {
            if (!image.teams().contains(team)) {
                throw DollyException.badInput("Data image '" + image.name() + "' (" + image.id() + ") is not shared with team '" + team + "'"
                        + (image.teams().isEmpty() ? "." : "; its teams are " + String.join(", ", image.teams()) + "."));
            }
        }
        Integer poolSize = request.pool() == null ? null : checkPoolSize(request.pool());
        boolean expiryChanged = request.lifetime() != null;
        var expiresAt = expiryChanged ? Lifetime.parse(request.lifetime(), "--lifetime").expiry(clock.instant()).orElse(null) : null;
        if (image.status() == ResourceStatus.DELETING) {
            throw DollyException.conflict("Data image '" + image.name() + "' (" + image.id() + ") is being deleted.");
        }
        catalog.images().update(image.id(), new ImageChanges(name, request.addTags(), request.removeTags(), request.addTeams(), request.removeTeams(),
                expiryChanged, expiresAt));
        if (poolSize != null) {
            catalog.images().setPoolSize(image.id(), poolSize);
            pools.fillSoon();
        }
        LOG.info("Image {} ({}) updated", image.name(), image.id());
        return view(load(image.id()));
    }

    /** An image the caller may see, or how a dry run of theirs that is over ended (by its ID only, for an hour). */
    public DataImage get(String reference, Caller caller)
    {
        requireNonNull(reference, "reference is null");
        requireNonNull(caller, "caller is null");
        if (reference.strip().matches("\\d{1,18}")) {
            Optional<DataImage> dryRun = dryRuns.find(Long.parseLong(reference.strip()), caller, clock.instant());
            if (dryRun.isPresent()) {
                return dryRun.get();
            }
        }
        return view(resolve(reference, caller));
    }

    /**
     * The image a reference names, among those the caller may see: a numeric ID, {@code name:tag}, or a name (the
     * newest image of that name). One the caller may not see is not found, with the same message as one that does
     * not exist.
     */
    public ImageRecord resolve(String reference, Caller caller)
    {
        requireNonNull(reference, "reference is null");
        requireNonNull(caller, "caller is null");
        String trimmed = reference.strip();
        if (trimmed.matches("\\d+")) {
            return catalog.images().find(Long.parseLong(trimmed)).filter(caller::canSee).orElseThrow(() -> notFound(reference));
        }
        int colon = trimmed.lastIndexOf(':');
        if (colon > 0) {
            return catalog.images().findByTag(trimmed.substring(0, colon), trimmed.substring(colon + 1)).filter(caller::canSee)
                    .orElseThrow(() -> notFound(reference));
        }
        return visibleOfName(trimmed, caller).stream().findFirst().orElseThrow(() -> notFound(reference));
    }

    /**
     * Every image a reference may mean, among those the caller may see: for a name, all the images of that name,
     * newest first; for an ID or {@code name:tag}, the one {@link #resolve} names.
     */
    public List<ImageRecord> resolveAll(String reference, Caller caller)
    {
        requireNonNull(reference, "reference is null");
        requireNonNull(caller, "caller is null");
        String trimmed = reference.strip();
        if (isName(trimmed)) {
            List<ImageRecord> images = visibleOfName(trimmed, caller);
            if (!images.isEmpty()) {
                return images;
            }
        }
        return List.of(resolve(reference, caller));
    }

    /** The image to create a container from: like {@link #resolve}, but a name means the newest READY image. */
    public ImageRecord resolveReady(String reference, Caller caller)
    {
        String trimmed = reference.strip();
        if (isName(trimmed)) {
            Optional<ImageRecord> ready = visibleOfName(trimmed, caller).stream()
                    .filter(image -> image.status() == ResourceStatus.READY && !isExpired(image))
                    .findFirst();
            if (ready.isPresent()) {
                return ready.get();
            }
        }
        ImageRecord image = resolve(reference, caller);
        if (image.status() == ResourceStatus.READY && isExpired(image)) {
            throw DollyException.conflict("Data image '" + image.name() + "' (" + image.id() + ") expired at " + image.expiresAt()
                    + " and is deleted once nothing uses it.", NextStep.of(NextStep.Kind.EXTEND_IMAGE_LIFETIME, image.id()));
        }
        if (image.status() != ResourceStatus.READY) {
            throw new DollyException(ErrorCode.CONFLICT, "Data image '" + image.name() + "' (" + image.id() + ") is " + image.status().displayName()
                    + (image.statusMessage() == null ? "" : ": " + image.statusMessage()) + ".",
                    image.status() == ResourceStatus.PENDING ? NextStep.of(NextStep.Kind.WAIT_FOR_IMAGE, image.id()) : null);
        }
        return image;
    }

    /** Deletes an image; only its owner and administrators may, team members only see it. */
    public DataImage delete(String reference, Caller caller)
    {
        ImageRecord image = resolve(reference, caller);
        caller.checkCanChange(image, "delete");
        // the containers of its warm pool are nobody's: they go with it
        List<ContainerRecord> users = usersOf(image);
        if (!users.isEmpty()) {
            throw new DollyException(ErrorCode.IN_USE, "Data image '" + image.name() + "' (" + image.id() + ") is used by data containers "
                    + String.join(", ", users.stream().map(container -> "'" + container.name() + "'").toList())
                    + ".", NextStep.of(NextStep.Kind.DELETE_CONTAINERS_FIRST));
        }
        if (image.status() == ResourceStatus.PENDING) {
            throw new DollyException(ErrorCode.CONFLICT, "Data image '" + image.name() + "' (" + image.id() + ") is still being built. Delete it once it is Ready or Failed.");
        }
        List<String> stacked = image.volume().isEmpty() ? List.of() : new VolumeUsers(catalog, storage).of(image.volume());
        if (!stacked.isEmpty()) {
            throw new DollyException(ErrorCode.IN_USE, "Data image '" + image.name() + "' (" + image.id() + ") is needed by " + String.join(", ", stacked)
                    + ", whose data is stacked on it. Delete them first.");
        }
        // decided by the catalog in one statement: a container created meanwhile, or another deletion, wins
        if (!catalog.images().markDeleting(image.id())) {
            throw refusedDeletion(image);
        }
        finishDelete(image.id());
        return view(image);
    }

    /** Why an image that was deletable a moment ago cannot be marked DELETING now: another request changed it. */
    private DollyException refusedDeletion(ImageRecord image)
    {
        List<ContainerRecord> users = usersOf(image);
        if (!users.isEmpty()) {
            return new DollyException(ErrorCode.IN_USE, "Data image '" + image.name() + "' (" + image.id() + ") is used by data containers "
                    + String.join(", ", users.stream().map(container -> "'" + container.name() + "'").toList())
                    + ".", NextStep.of(NextStep.Kind.DELETE_CONTAINERS_FIRST));
        }
        ImageRecord now = catalog.images().find(image.id()).orElseThrow(() -> notFound(String.valueOf(image.id())));
        return DollyException.conflict("Data image '" + now.name() + "' (" + now.id() + ") "
                + (now.status() == ResourceStatus.DELETING ? "is being deleted already." : "is still being built. Delete it once it is Ready or Failed."));
    }

    /** The users' containers made from the image, not those waiting in its pool. */
    private List<ContainerRecord> usersOf(ImageRecord image)
    {
        return catalog.containers().listOfImage(image.id()).stream().filter(container -> !container.pooled()).toList();
    }

    /** Whether a reference is a plain name: neither a numeric ID nor {@code name:tag}. */
    private static boolean isName(String trimmed)
    {
        return !trimmed.matches("\\d+") && trimmed.lastIndexOf(':') <= 0;
    }

    /** The images of a name the caller may see, newest first. */
    private List<ImageRecord> visibleOfName(String name, Caller caller)
    {
        return catalog.images().findByName(name).stream().filter(caller::canSee).toList();
    }

    private boolean isExpired(ImageRecord image)
    {
        return image.expiresAt() != null && !image.expiresAt().isAfter(clock.instant());
    }

    /** Deletes images whose lifetime is over, once no container uses them; until then they show as expired. */
    public void deleteExpired()
    {
        var now = clock.instant();
        for (ImageRecord image : catalog.images().list()) {
            boolean settled = image.status() == ResourceStatus.READY || image.status() == ResourceStatus.FAILED;
            if (image.expiresAt() != null && image.expiresAt().isBefore(now) && settled && usersOf(image).isEmpty()
                    && (image.volume().isEmpty() || new VolumeUsers(catalog, storage).of(image.volume()).isEmpty())) {
                LOG.info("Image {} ({}) expired at {}: deleting it", image.name(), image.id(), image.expiresAt());
                try {
                    // a container created from it meanwhile keeps it
                    if (catalog.images().markDeleting(image.id())) {
                        finishDelete(image.id());
                    }
                }
                catch (RuntimeException e) {
                    LOG.warn("Could not delete expired image {}", image.id(), e);
                }
            }
        }
    }

    /** Removes a DELETING image's volume and record; also used when the daemon settles an interrupted delete. */
    public void finishDelete(long id)
    {
        // the containers of its pool first: their clones are of its volume
        pools.drain(id);
        storage.delete(VolumeKeys.image(id));
        CrashPoints.reached(CrashPoints.IMAGE_DELETE_VOLUME);
        // frees its account, unless a container whose files it holds (it was graduated from it) still has it
        catalog.images().delete(id);
    }

    /** Settles images a crash left behind: interrupted builds fail, interrupted deletes finish. */
    public void reconcile()
    {
        for (ImageRecord image : catalog.images().list()) {
            // each on its own: one that cannot be settled is marked FAILED, and the others and the daemon go on
            try {
                reconcile(image);
            }
            catch (RuntimeException e) {
                LOG.warn("Could not settle image {} ({}) when the daemon started", image.name(), image.id(), e);
                try {
                    catalog.images().setStatus(image.id(), ResourceStatus.FAILED, "Could not be settled when the daemon started: " + e.getMessage());
                }
                catch (RuntimeException recordFailure) {
                    LOG.warn("Could not mark image {} ({}) failed", image.name(), image.id(), recordFailure);
                }
            }
        }
    }

    private void reconcile(ImageRecord image)
    {
        switch (image.status()) {
            case PENDING -> {
                if (GRADUATED.equals(image.sourceType())) {
                    // a graduation is all or nothing: an interrupted one leaves no image, and its name is free again
                    LOG.info("Image {} ({}) was being graduated when the daemon stopped: removing it", image.name(), image.id());
                    finishDelete(image.id());
                    return;
                }
                LOG.info("Image {} ({}) was being built when the daemon stopped: marking it failed", image.name(), image.id());
                stopQuietly(image);
                storage.delete(VolumeKeys.image(image.id()));
                catalog.images().setEngineUid(image.id(), null);
                catalog.images().setStatus(image.id(), ResourceStatus.FAILED, "The build was interrupted because the daemon stopped. Create the image again.");
            }
            case DELETING -> finishDelete(image.id());
            case READY -> {
                if (!storage.exists(VolumeKeys.image(image.id()))) {
                    catalog.images().setStatus(image.id(), ResourceStatus.FAILED, "The image's data is missing from " + storage.path(VolumeKeys.image(image.id())) + ".");
                }
            }
            default -> { }
        }
    }

    /** Waits for running builds, for a clean shutdown. */
    public void shutdown()
    {
        timeouts.shutdownNow();
        builds.shutdownNow();
        try {
            builds.awaitTermination(30, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public ImageRecord load(long id)
    {
        return catalog.images().find(id).orElseThrow(() -> DollyException.notFound("Data image " + id + " not found."));
    }

    public DataImage view(ImageRecord image)
    {
        List<ContainerRecord> containers = catalog.containers().listOfImage(image.id());
        int readyInPool = (int) containers.stream().filter(container -> container.pooled() && container.status() == ResourceStatus.READY).count();
        return view(image, containers.stream().filter(container -> !container.pooled()).map(ContainerRecord::name).toList(), catalog.images().buildSteps(image.id()),
                readyInPool);
    }

    /**
     * @param containers the names of the containers made from the image
     * @param buildSteps the steps of its build that ended
     */
    private DataImage view(ImageRecord image, List<String> containers, List<ImageBuildStep> buildSteps, int readyInPool)
    {
        return new DataImage(image.id(), image.name(), image.tags(), image.teams(), image.engine(), image.engineVersion(), image.status(),
                image.statusMessage(), image.progress(), image.sourceType(), image.databaseName(), image.owner(), image.createdAt(),
                image.readyAt(), image.expiresAt(), image.sizeBytes(), containers, image.origin(),
                image.status() == ResourceStatus.PENDING ? catalog.images().pendingTags(image.id()) : List.of(),
                image.requestedVersion(), buildSteps, image.poolSize() == 0 && readyInPool == 0 ? null : new DataImage.Pool(image.poolSize(), readyInPool),
                transformReport(image.id()));
    }

    private TransformReport transformReport(long id)
    {
        return catalog.images().transformReport(id).map(json -> {
            try {
                return Json.json().readValue(json, TransformReport.class);
            }
            catch (JsonProcessingException e) {
                LOG.warn("The transform report of image {} cannot be read", id, e);
                return null;
            }
        }).orElse(null);
    }

    /**
     * Runs the build as the image's own account. An uploaded definition's staging directory becomes that account's
     * (mode 0700), and the tools that read the sources ({@code pg_restore}) run as it too, so they can read nothing
     * else; a directory on this machine, which only the local administrator may name, is read with the daemon's
     * rights, as the definition's paths are.
     *
     * @param staging the staging directory of an uploaded definition
     * @param dryRun whether to build up to the transform only, undo everything and leave the catalog
     * @param release frees the definition's files; before the outcome shows (whoever sees the image settled sees its upload gone)
     */
    private void build(long id, ImageDefinition definition, Optional<Path> staging, Optional<byte[]> salt, boolean dryRun, Runnable release)
    {
        ImageRecord image = load(id);
        Path logFile = configuration.engineLogsDirectory().resolve("image-" + id + ".log");
        try {
            EngineUser account = account(image);
            Engine engine = engines.engine(image.engine()).runningAs(account);
            if (staging.isPresent()) {
                account.takeOwnership(staging.get());
                Files.setPosixFilePermissions(staging.get(), PosixFilePermissions.fromString("rwx------"));
            }
            else {
                engine = engine.readingSourcesAs(EngineUser.daemonUser());
            }
            BuildContext context = new BuildContext(image, VolumeKeys.image(id), loadPlan(definition, engine), engine, catalog.images(), storage, account, ports,
                    logFile, clock, BUILD_PARALLELISM).releasingSourcesWith(release);
            // counted from when the build starts, not from when it was queued
            BuildTimeout timeout = BuildTimeout.watch(context, configuration.buildTimeout(), timeouts);
            try {
                if (dryRun) {
                    pipeline(definition, id, salt).upTo("transform").runThenUndo(context);
                }
                else {
                    pipeline(definition, id, salt).run(context);
                }
            }
            finally {
                timeout.cancel();
            }
            if (dryRun) {
                LOG.info("Dry run of image {} ({}) is over; nothing was kept", image.name(), id);
                release.run();
                endDryRun(id, ResourceStatus.READY, "Dry run: the build ran up to the transform, then everything was undone; no image was kept.");
                return;
            }
            LOG.info("Image {} ({}) is ready", image.name(), id);
        }
        catch (Throwable failure) {
            String message = failure instanceof DollyException ? failure.getMessage() : failure.toString();
            LOG.warn("Image {} ({}) failed: {}", image.name(), id, message, failure);
            if (dryRun) {
                release.run();
                endDryRun(id, ResourceStatus.FAILED, message);
                return;
            }
            // its volume went with the undone steps: the account and the upload are free again, before anyone sees the build failed
            release.run();
            catalog.images().setEngineUid(id, null);
            catalog.images().setStatus(id, ResourceStatus.FAILED, message);
        }
        finally {
            try {
                Files.deleteIfExists(logFile);
            }
            catch (IOException ignored) {
                // the log only matters while the build runs
            }
        }
    }

    /**
     * Ends a dry run whose steps were undone: its outcome (the image as it stands, with its transform's report and
     * steps, settled as {@code status}) is kept for its client, and the image leaves the catalog.
     */
    private void endDryRun(long id, ResourceStatus status, String message)
    {
        ImageRecord image = load(id);
        DataImage view = view(image);
        dryRuns.remember(image, new DataImage(view.id(), view.name(), view.tags(), view.teams(), view.engine(), view.engineVersion(), status, message, null,
                view.sourceType(), view.databaseName(), view.owner(), view.createdAt(), null, null, null, List.of(), view.origin(), List.of(),
                view.requestedVersion(), view.buildSteps(), null, view.transform()), clock.instant());
        // its volume went with the undone steps: the account is free again
        catalog.images().setEngineUid(id, null);
        catalog.images().delete(id);
    }

    /** Runs {@code action} the first time it is run, and never again. */
    private static Runnable once(Runnable action)
    {
        AtomicBoolean ran = new AtomicBoolean();
        return () -> {
            if (ran.compareAndSet(false, true)) {
                action.run();
            }
        };
    }

    /** The standard pipeline, with the transform step after the post-script when the definition has one. */
    private BuildPipeline pipeline(ImageDefinition definition, long id, Optional<byte[]> salt)
    {
        definition.transform().ifPresent(transform -> Masker.preloadInBackground());
        return definition.transform()
                .map(transform -> pipeline.withTransform(new TransformStep(transform, salt, report -> {
                    try {
                        catalog.images().setTransformReport(id, Json.json().writeValueAsString(report));
                    }
                    catch (JsonProcessingException e) {
                        throw new IllegalStateException("Cannot write the transform report", e);
                    }
                })))
                .orElse(pipeline);
    }

    /**
     * The masking salt of a definition with a transform: the value the client sent for its {@code salt: env:NAME}, or
     * the daemon's own variable of that name (for builds without a client). Held only for the build.
     */
    private static Optional<byte[]> salt(ImageDefinition definition, CreateImageRequest request)
    {
        Optional<String> variable = definition.transform().flatMap(transform -> transform.saltVariable());
        if (variable.isEmpty()) {
            return Optional.empty();
        }
        String salt = request.transformSalt() != null ? request.transformSalt() : System.getenv(variable.get());
        if (salt == null || salt.isEmpty()) {
            throw DollyException.badInput("transform.salt is env:" + variable.get() + ", but " + variable.get() + " is not set: set it to a secret of your own "
                    + "where you run dolly (the CLI sends it with the request, and it is never stored), then build again.");
        }
        return Optional.of(salt.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static LoadPlan loadPlan(ImageDefinition definition, Engine engine)
    {
        List<LoadPlan.Backup> backups = new ArrayList<>();
        for (BackupSource backup : definition.backups()) {
            backups.add(new LoadPlan.Backup(backup.path(), backup.format().orElseGet(() -> engine.backupFormat(backup.path()))));
        }
        List<Path> scripts = new ArrayList<>();
        for (Path folder : definition.scriptsFolders()) {
            scripts.addAll(ImageDefinitionParser.scriptsOf(folder));
        }
        return new LoadPlan(definition.initialDatabaseName(), definition.preScript(), backups, scripts, definition.postScript());
    }

    private void stopQuietly(ImageRecord image)
    {
        if (image.engineVersion() == null || !storage.exists(VolumeKeys.image(image.id()))) {
            return;
        }
        try {
            Engine engine = engines.engine(image.engine()).runningAs(account(image));
            EngineInstallation installation = engine.install(image.engineVersion(), message -> {});
            engine.stop(installation, storage.path(VolumeKeys.image(image.id())));
        }
        catch (RuntimeException e) {
            LOG.warn("Could not stop the engine of interrupted image {}", image.id(), e);
        }
    }

    /** The account an image's files belong to, and its build's processes run as. */
    public EngineUser account(ImageRecord image)
    {
        return accounts.account(catalog.images().engineUid(image.id()).orElse(null));
    }

    private static DollyException notFound(String reference)
    {
        return DollyException.notFound("Data image '" + reference + "' not found.", NextStep.of(NextStep.Kind.LIST_IMAGES));
    }
}
