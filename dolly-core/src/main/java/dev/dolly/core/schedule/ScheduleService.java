package dev.dolly.core.schedule;

import dev.dolly.api.CreateImageRequest;
import dev.dolly.api.CreateScheduleRequest;
import dev.dolly.api.DataImage;
import dev.dolly.api.DollyException;
import dev.dolly.api.ErrorCode;
import dev.dolly.api.ResourceStatus;
import dev.dolly.api.Schedule;
import dev.dolly.core.auth.Caller;
import dev.dolly.core.catalog.Catalog;
import dev.dolly.core.catalog.ImageRecord;
import dev.dolly.core.catalog.ScheduleRecord;
import dev.dolly.core.catalog.UserRecord;
import dev.dolly.core.engine.EngineRegistry;
import dev.dolly.core.image.ImageDefinition;
import dev.dolly.core.image.ImageDefinitionParser;
import dev.dolly.core.image.ImageDefinitionParser.FileLocation;
import dev.dolly.core.image.ImageService;
import dev.dolly.core.image.Lifetime;
import dev.dolly.core.image.Uploads;
import dev.dolly.core.image.VolumeUsers;
import dev.dolly.core.storage.FileTrees;
import dev.dolly.core.storage.StorageDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * Scheduled image builds: a definition with its files, built again whenever a cron expression says, as its owner
 * (quotas, visibility) with the schedule's tags, which move to each image that builds successfully. A failed run keeps
 * the previous image and its tags and records why. Runs never overlap: when the time of a run comes while the one
 * before still builds, it is skipped, and the schedule says so. {@code keep} deletes the older images of the name the
 * schedule built, beyond that many, once nothing uses them (no container, nothing stacked on them).
 *
 * <p>The schedule keeps the definition's files: an upload moves to {@code DOLLY_HOME/schedules/<id>} and each run
 * builds from a copy of it, as from an upload; a schedule the local administrator made reads its directory on the
 * daemon's machine at every run instead. Deleting the schedule deletes what it kept; the images stay.
 *
 * <p>{@link #tick} does the work (the daemon calls it every second): it records the runs that ended, applies
 * {@code keep}, and starts the runs whose time came. The next run is the first time the expression matches after the
 * last one started (or after the schedule was made), so a daemon that was stopped over a run's time runs it once when
 * it starts again; a run a crash interrupted is recorded as failed (its image failed when the daemon settled it).
 */
public final class ScheduleService
{
    public static final String SUCCEEDED = "Succeeded";
    public static final String FAILED = "Failed";
    public static final String SKIPPED = "Skipped";
    /** {@code running_image_id} from the moment a run is recorded until its image is: only a crash leaves it. */
    private static final long STARTING = -1;

    private static final Logger LOG = LoggerFactory.getLogger(ScheduleService.class);

    private final Catalog catalog;
    private final ImageService images;
    private final Uploads uploads;
    private final StorageDriver storage;
    private final ImageDefinitionParser parser;
    private final Path filesRoot;
    private final Clock clock;
    private final ZoneId defaultTimeZone;

    public ScheduleService(Catalog catalog, ImageService images, Uploads uploads, StorageDriver storage, EngineRegistry engines, Path filesRoot, Clock clock,
            ZoneId defaultTimeZone)
    {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.images = requireNonNull(images, "images is null");
        this.uploads = requireNonNull(uploads, "uploads is null");
        this.storage = requireNonNull(storage, "storage is null");
        this.parser = new ImageDefinitionParser(requireNonNull(engines, "engines is null"));
        this.filesRoot = requireNonNull(filesRoot, "filesRoot is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.defaultTimeZone = requireNonNull(defaultTimeZone, "defaultTimeZone is null");
    }

    /**
     * Checks everything (name, cron expression, time zone, keep, tags, lifetime, the definition against its files),
     * then records the schedule and keeps its files. Its first run is at the expression's next time.
     */
    public Schedule create(CreateScheduleRequest request, Caller caller, boolean localAdministrator)
    {
        requireNonNull(request, "request is null");
        requireNonNull(caller, "caller is null");
        if (request.name() == null || request.name().isBlank()) {
            throw DollyException.badInput("Name the schedule: dolly create schedule NAME -f image.yaml --cron \"0 2 * * *\".");
        }
        String name = request.name().strip();
        ImageDefinitionParser.checkName(name);
        if (request.definition() == null) {
            throw DollyException.badInput("A schedule needs the image definition's text (-f image.yaml).");
        }
        if ((request.upload() == null) == (request.sourceDirectory() == null)) {
            throw DollyException.badInput("A schedule names either an upload of the definition's files or, for the local administrator, their directory on "
                    + "the daemon's machine: one of the two.");
        }
        if (request.sourceDirectory() != null && !localAdministrator) {
            throw DollyException.badInput("Only the local administrator may schedule builds from a directory on the daemon's machine. Upload the definition's "
                    + "files instead: the dolly CLI does so when it talks to a server.");
        }
        String timeZone = request.timeZone() == null || request.timeZone().isBlank() ? defaultTimeZone.getId() : CronSchedule.zone(request.timeZone()).getId();
        CronSchedule cron = CronSchedule.parse(request.cron(), timeZone);
        if (request.keep() != null && request.keep() < 1) {
            throw DollyException.badInput("--keep counts the images to keep: 1 or more, not " + request.keep() + ".");
        }
        request.tags().forEach(ImageDefinitionParser::checkTag);
        if (request.lifetime() != null) {
            Lifetime.parse(request.lifetime(), "--lifetime");
        }
        if (catalog.schedules().find(name).isPresent()) {
            throw nameTaken(name);
        }

        // the files first, under a name of their own: a refused request removes them, a crash leaves a directory no schedule names
        Path kept = null;
        Path directory;
        FileLocation location;
        if (request.upload() != null) {
            kept = filesRoot.resolve("new-" + UUID.randomUUID());
            uploads.keep(request.upload(), caller.name(), kept);
            directory = kept;
            location = FileLocation.UPLOADED;
        }
        else {
            directory = Path.of(request.sourceDirectory());
            location = FileLocation.ON_THIS_MACHINE;
        }
        try {
            ImageDefinition definition = parser.parse(request.definition(), directory, location, Optional.empty());
            ScheduleRecord record = new ScheduleRecord(0, name, caller.name(), cron.expression(), timeZone, request.definition(), request.sourceDirectory(),
                    definition.name(), request.tags(), request.lifetime(), request.keep(), clock.instant(), null, null, null, null, null, null);
            long id = catalog.schedules().insert(record).orElseThrow(() -> nameTaken(name));
            if (kept != null) {
                try {
                    Files.move(kept, filesOf(id), StandardCopyOption.ATOMIC_MOVE);
                }
                catch (IOException e) {
                    catalog.schedules().delete(id);
                    throw DollyException.storageFailed("Cannot keep the files of schedule '" + name + "' in " + filesOf(id) + ": " + e.getMessage(), e);
                }
            }
            LOG.info("Schedule {} ({}) of {}: image {} at '{}' ({})", name, id, caller.name(), definition.name(), cron.expression(), timeZone);
            return view(catalog.schedules().find(id).orElseThrow());
        }
        catch (RuntimeException e) {
            if (kept != null) {
                removeQuietly(kept);
            }
            throw e;
        }
    }

    /** The schedules the caller may see: their own, or every one for administrators. */
    public List<Schedule> list(Caller caller)
    {
        requireNonNull(caller, "caller is null");
        return catalog.schedules().list().stream().filter(schedule -> canSee(caller, schedule)).map(this::view).toList();
    }

    public Schedule get(String name, Caller caller)
    {
        return view(resolve(name, caller));
    }

    /** Starts a run now, unless one is going; the schedule's next time stays what its expression says. */
    public Schedule run(String name, Caller caller)
    {
        ScheduleRecord schedule = resolve(name, caller);
        if (!start(schedule, clock.instant())) {
            throw DollyException.conflict("Schedule '" + schedule.name() + "' is running already (image " + schedule.runningImageId()
                    + "). Wait for it to end: 'dolly get schedules' shows its result.");
        }
        return view(catalog.schedules().find(schedule.id()).orElseThrow());
    }

    /** Deletes a schedule and the files it kept; the images it built stay, and a build still going ends on its own. */
    public Schedule delete(String name, Caller caller)
    {
        ScheduleRecord schedule = resolve(name, caller);
        catalog.schedules().delete(schedule.id());
        removeQuietly(filesOf(schedule.id()));
        LOG.info("Schedule {} ({}) deleted", schedule.name(), schedule.id());
        return view(schedule);
    }

    /** Records the runs that ended, deletes what {@code keep} lets go, and starts the runs whose time came. */
    public void tick()
    {
        Instant now = clock.instant();
        for (ScheduleRecord schedule : catalog.schedules().list()) {
            try {
                tick(schedule, now);
            }
            catch (RuntimeException e) {
                LOG.warn("Schedule {} ({}): its round failed", schedule.name(), schedule.id(), e);
            }
        }
    }

    private void tick(ScheduleRecord schedule, Instant now)
    {
        if (schedule.runningImageId() != null && schedule.runningImageId() != STARTING) {
            finishIfEnded(schedule, now);
            schedule = catalog.schedules().find(schedule.id()).orElseThrow();
        }
        if (schedule.keep() != null) {
            deleteBeyondKeep(schedule);
        }
        Optional<Instant> next = nextRun(schedule);
        if (next.isPresent() && !next.get().isAfter(now)) {
            if (schedule.runningImageId() != null) {
                String message = "The run of " + next.get() + " was skipped: the run of " + schedule.lastFiredAt() + " (image " + schedule.runningImageId()
                        + ") was still going.";
                LOG.info("Schedule {} ({}): {}", schedule.name(), schedule.id(), message);
                catalog.schedules().markSkipped(schedule.id(), now, message);
                return;
            }
            start(schedule, now);
        }
    }

    /** When the schedule runs next: the expression's first time after its last run started, or after it was made. */
    Optional<Instant> nextRun(ScheduleRecord schedule)
    {
        Instant after = schedule.lastFiredAt() == null ? schedule.createdAt() : schedule.lastFiredAt();
        return CronSchedule.parse(schedule.cron(), schedule.timeZone()).nextAfter(after);
    }

    /**
     * Starts a run: recorded first, in one statement that fails while another run is going, then the build is
     * asked for as the owner. A build refused at once (the owner's quota, a definition whose files went) fails the run.
     *
     * @return whether it started; {@code false} when a run was going
     */
    private boolean start(ScheduleRecord schedule, Instant now)
    {
        if (!catalog.schedules().markFired(schedule.id(), now)) {
            return false;
        }
        try {
            Caller owner = owner(schedule);
            CreateImageRequest request;
            boolean localAdministrator = schedule.sourceDirectory() != null;
            if (localAdministrator) {
                request = new CreateImageRequest(schedule.definition(), schedule.sourceDirectory(), null, schedule.tags(), List.of(), schedule.lifetime(), null);
            }
            else {
                String upload = uploads.stage(filesOf(schedule.id()), owner.name());
                request = new CreateImageRequest(schedule.definition(), null, null, schedule.tags(), List.of(), schedule.lifetime(), upload);
            }
            DataImage image = images.create(request, owner, localAdministrator);
            catalog.schedules().setRunningImage(schedule.id(), image.id());
            LOG.info("Schedule {} ({}): building image {} ({})", schedule.name(), schedule.id(), image.name(), image.id());
        }
        catch (RuntimeException e) {
            LOG.warn("Schedule {} ({}): its run could not start: {}", schedule.name(), schedule.id(), e.getMessage());
            catalog.schedules().finishRun(schedule.id(), clock.instant(), null, FAILED, "The build could not start: " + e.getMessage());
        }
        return true;
    }

    /** Records the outcome of the running build once it is over. */
    private void finishIfEnded(ScheduleRecord schedule, Instant now)
    {
        long imageId = schedule.runningImageId();
        Optional<ImageRecord> image = catalog.images().find(imageId);
        if (image.isPresent() && image.get().status() == ResourceStatus.PENDING) {
            return;
        }
        String skipped = SKIPPED.equals(schedule.lastResult()) ? " " + schedule.lastMessage() : "";
        if (image.isEmpty()) {
            catalog.schedules().finishRun(schedule.id(), now, null, FAILED, "Its image " + imageId + " was deleted while it was built." + skipped);
        }
        else if (image.get().status() == ResourceStatus.READY) {
            LOG.info("Schedule {} ({}): image {} is ready", schedule.name(), schedule.id(), imageId);
            catalog.schedules().finishRun(schedule.id(), now, imageId, SUCCEEDED, "Built image " + imageId + "." + skipped);
        }
        else {
            String reason = image.get().statusMessage() == null ? "it is " + image.get().status().displayName() : image.get().statusMessage();
            LOG.warn("Schedule {} ({}): image {} failed: {}", schedule.name(), schedule.id(), imageId, reason);
            catalog.schedules().finishRun(schedule.id(), now, imageId, FAILED, "Image " + imageId + " failed: " + reason
                    + " The previous image keeps its tags." + skipped);
        }
    }

    /**
     * Deletes the READY images of the schedule's name that it built, beyond the {@code keep} newest, once nothing
     * uses them: an image with a container (a following one too, until it moved) or with a volume stacked on it waits
     * for a later round.
     */
    private void deleteBeyondKeep(ScheduleRecord schedule)
    {
        List<ImageRecord> built = catalog.schedules().imagesBuiltBy(schedule.id(), schedule.imageName()).stream()
                .map(catalog.images()::find)
                .flatMap(Optional::stream)
                .filter(image -> image.status() == ResourceStatus.READY)
                .toList();
        Set<Long> used = new HashSet<>();
        for (ImageRecord image : built) {
            if (!catalog.containers().listOfImage(image.id()).isEmpty()
                    || (!image.volume().isEmpty() && !new VolumeUsers(catalog, storage).of(image.volume()).isEmpty())) {
                used.add(image.id());
            }
        }
        for (ImageRecord image : beyondKeep(built, schedule.keep(), used)) {
            // a container created from it meanwhile keeps it
            if (catalog.images().markDeleting(image.id())) {
                LOG.info("Schedule {} ({}): deleting image {} ({}), older than the {} it keeps", schedule.name(), schedule.id(), image.name(), image.id(), schedule.keep());
                images.finishDelete(image.id());
            }
        }
    }

    /**
     * The images {@code keep} lets go: those after the {@code keep} newest that nothing uses.
     *
     * @param newestFirst the READY images the schedule built, newest first
     * @param inUse the IDs of those that containers use or volumes are stacked on
     */
    static List<ImageRecord> beyondKeep(List<ImageRecord> newestFirst, int keep, Set<Long> inUse)
    {
        return newestFirst.stream().skip(keep).filter(image -> !inUse.contains(image.id())).toList();
    }

    /** Settles runs a crash interrupted before their image was recorded, and removes files no schedule names. */
    public void reconcile()
    {
        Set<String> known = new HashSet<>();
        for (ScheduleRecord schedule : catalog.schedules().list()) {
            known.add(String.valueOf(schedule.id()));
            if (schedule.runningImageId() != null && schedule.runningImageId() == STARTING) {
                catalog.schedules().finishRun(schedule.id(), clock.instant(), null, FAILED, "The run was interrupted because the daemon stopped.");
            }
        }
        if (!Files.isDirectory(filesRoot)) {
            return;
        }
        try (var entries = Files.list(filesRoot)) {
            for (Path entry : entries.toList()) {
                if (!known.contains(entry.getFileName().toString())) {
                    LOG.info("Removing {}, which no schedule keeps", entry);
                    removeQuietly(entry);
                }
            }
        }
        catch (IOException e) {
            LOG.warn("Could not list {}", filesRoot, e);
        }
    }

    private ScheduleRecord resolve(String name, Caller caller)
    {
        requireNonNull(caller, "caller is null");
        return catalog.schedules().find(name == null ? "" : name.strip())
                .filter(schedule -> canSee(caller, schedule))
                .orElseThrow(() -> DollyException.notFound("Schedule '" + name + "' not found. List schedules with 'dolly get schedules'."));
    }

    private static boolean canSee(Caller caller, ScheduleRecord schedule)
    {
        return caller.admin() || schedule.owner().equals(caller.name());
    }

    /** The owner as a caller, with the rights and teams they have now. */
    private Caller owner(ScheduleRecord schedule)
    {
        UserRecord user = catalog.users().findUser(schedule.owner())
                .orElseThrow(() -> DollyException.notFound("The schedule's owner '" + schedule.owner() + "' is no longer a user. Delete the schedule."));
        return new Caller(user.name(), user.admin(), Set.copyOf(user.teams()));
    }

    private Path filesOf(long id)
    {
        return filesRoot.resolve(String.valueOf(id));
    }

    private Schedule view(ScheduleRecord schedule)
    {
        Long running = schedule.runningImageId() == null || schedule.runningImageId() == STARTING ? null : schedule.runningImageId();
        return new Schedule(schedule.id(), schedule.name(), schedule.owner(), schedule.cron(), schedule.timeZone(), schedule.imageName(), schedule.tags(),
                schedule.keep(), schedule.lifetime(), schedule.sourceDirectory() == null ? "kept upload" : schedule.sourceDirectory(), schedule.createdAt(),
                schedule.lastRunAt(), schedule.lastResult(), schedule.lastMessage(), schedule.lastImageId(), running, nextRun(schedule).orElse(null));
    }

    private static DollyException nameTaken(String name)
    {
        return new DollyException(ErrorCode.ALREADY_EXISTS, "A schedule named '" + name + "' exists already. Choose another name, or delete it first.");
    }

    private static void removeQuietly(Path path)
    {
        try {
            if (Files.exists(path)) {
                FileTrees.deleteRecursively(path);
            }
        }
        catch (RuntimeException e) {
            LOG.warn("Could not remove {}", path, e);
        }
    }
}
