package dev.dolly.core.container;

import dev.dolly.api.DataContainer;
import dev.dolly.api.DataImage;
import dev.dolly.api.DollyException;
import dev.dolly.api.ErrorCode;
import dev.dolly.api.GraduateRequest;
import dev.dolly.api.ImageOrigin;
import dev.dolly.api.NextStep;
import dev.dolly.api.ResourceStatus;
import dev.dolly.api.Revision;
import dev.dolly.core.CrashPoints;
import dev.dolly.core.auth.Caller;
import dev.dolly.core.catalog.Catalog;
import dev.dolly.core.catalog.ContainerRecord;
import dev.dolly.core.catalog.ImageRecord;
import dev.dolly.core.catalog.RevisionRecord;
import dev.dolly.core.image.ImageDefinitionParser;
import dev.dolly.core.image.ImageService;
import dev.dolly.core.image.VolumeUsers;
import dev.dolly.core.quota.Quotas;
import dev.dolly.core.storage.StorageDriver;
import dev.dolly.core.storage.VolumeKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Revisions of containers: save, load, reset, graduate into an image, delete.
 *
 * <p>A save is a clean point, the same way with every driver: the container's server is shut down cleanly (a fast
 * shutdown: connections are closed, open transactions rolled back, a shutdown checkpoint written), its volume is
 * snapshotted into a sealed revision volume ({@code revisions/<container>/<n>}), and the server starts again on the
 * same port, with the same password. A load replaces the container's volume with a clone of the revision (or of its
 * image, for {@code rev.0}) and starts the server again the same way. So a revision holds exactly what was committed
 * before it, needs no recovery when loaded, and connection details never change.
 */
public final class RevisionService
{
    private static final Logger LOG = LoggerFactory.getLogger(RevisionService.class);
    private static final Pattern REVISION = Pattern.compile("rev\\.(\\d{1,9})");

    private final Catalog catalog;
    private final ContainerService containers;
    private final ImageService images;
    private final StorageDriver storage;
    private final Quotas quotas;
    private final Clock clock;

    public RevisionService(Catalog catalog, ContainerService containers, ImageService images, StorageDriver storage, Quotas quotas, Clock clock)
    {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.containers = requireNonNull(containers, "containers is null");
        this.images = requireNonNull(images, "images is null");
        this.storage = requireNonNull(storage, "storage is null");
        this.quotas = requireNonNull(quotas, "quotas is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Saves the container's state as a new revision, whose parent is the revision it was on; it is on the new one now. */
    public Revision save(String reference, Caller caller)
    {
        ContainerRecord container = containers.resolveToChange(reference, caller, "save a revision of");
        synchronized (containers.lock(container.id())) {
            container = ready(container.id(), "save");
            int parent = parse(container.revision());
            int number = catalog.containers().nextRevisionNumber(container.id());
            String volume = VolumeKeys.revision(container.id(), number);
            long start = System.nanoTime();
            containers.stopEngine(container);
            CrashPoints.reached(CrashPoints.REVISION_STOPPED);
            long stopped = System.nanoTime();
            long snapshotted;
            try {
                storage.snapshot(container.volume(), volume);
                CrashPoints.reached(CrashPoints.REVISION_SNAPSHOT);
                snapshotted = System.nanoTime();
                catalog.containers().insertRevision(new RevisionRecord(container.id(), number, parent, volume, clock.instant(), null));
                catalog.containers().setRevision(container.id(), revisionName(number));
            }
            finally {
                containers.startEngine(container, container.password());
            }
            long started = System.nanoTime();
            // measured once the server runs again: a tree walk with some drivers
            OptionalLong size = storage.sizeBytes(volume);
            if (size.isPresent()) {
                catalog.containers().setRevisionSize(container.id(), number, size.getAsLong());
            }
            LOG.info("Container {} ({}) saved as rev.{} in {} ms (stop {} ms, snapshot {} ms, start {} ms)", container.name(), container.id(), number,
                    millis(start, started), millis(start, stopped), millis(stopped, snapshotted), millis(snapshotted, started));
            return view(containers.load(container.id()), catalog.containers().findRevision(container.id(), number).orElseThrow());
        }
    }

    /** Brings the container to a revision; what it held that was not saved is gone. */
    public DataContainer load(String reference, String revisionName, Caller caller)
    {
        ContainerRecord container = containers.resolveToChange(reference, caller, "load a revision into");
        if (revisionName == null || revisionName.isBlank()) {
            throw new DollyException(ErrorCode.BAD_INPUT, "Name the revision to load.", NextStep.of(NextStep.Kind.NAME_THE_REVISION, container.name()));
        }
        int number = parse(revisionName);
        synchronized (containers.lock(container.id())) {
            container = ready(container.id(), "load");
            return restore(container, number, "load " + revisionName(number));
        }
    }

    /** Brings the container back to the revision it is on. */
    public DataContainer reset(String reference, Caller caller)
    {
        ContainerRecord container = containers.resolveToChange(reference, caller, "reset");
        synchronized (containers.lock(container.id())) {
            container = ready(container.id(), "reset");
            return restore(container, parse(container.revision()), "reset");
        }
    }

    /** The container's revisions: {@code rev.0} (its image), then every saved one, oldest first. */
    public List<Revision> list(String reference, Caller caller)
    {
        ContainerRecord container = containers.resolve(reference, caller);
        List<Revision> revisions = new ArrayList<>();
        revisions.add(new Revision(container.name(), ContainerService.INITIAL_REVISION, 0, null, container.createdAt(), null,
                container.revision().equals(ContainerService.INITIAL_REVISION)));
        for (RevisionRecord revision : catalog.containers().listRevisions(container.id())) {
            revisions.add(view(container, revision));
        }
        return revisions;
    }

    /**
     * Makes a new image from a revision, READY at once: a copy-on-write clone of the revision that needs neither the
     * container nor its revisions. Without a revision, the one the container is on: changes not saved are not in it.
     */
    public DataImage graduate(String reference, GraduateRequest request, Caller caller)
    {
        requireNonNull(request, "request is null");
        ContainerRecord container = containers.resolveToChange(reference, caller, "graduate");
        String owner = caller.name();
        int number = request.revision() == null || request.revision().isBlank() ? parse(container.revision()) : parse(request.revision());
        String name = Optional.ofNullable(request.name()).map(String::strip).filter(value -> !value.isEmpty())
                .orElse(container.name() + "-graduate-" + number);
        ImageDefinitionParser.checkName(name);
        request.tags().forEach(ImageDefinitionParser::checkTag);
        request.teams().forEach(ImageDefinitionParser::checkTeam);
        request.teams().forEach(caller::checkCanShareWith);
        ImageRecord base = images.load(container.imageId());
        if (number == 0) {
            throw new DollyException(ErrorCode.BAD_INPUT, "rev.0 of data container '" + container.name() + "' is its image '" + base.name()
                    + "' itself: create containers from that image, or save a revision first.", NextStep.of(NextStep.Kind.SAVE_A_REVISION, container.name()));
        }
        long id;
        String volume;
        synchronized (containers.lock(container.id())) {
            RevisionRecord revision = revision(container, number);
            synchronized (this) {
                if (!catalog.images().findByName(name).isEmpty()) {
                    throw nameTaken(name);
                }
                var now = clock.instant();
                ImageRecord record = new ImageRecord(0, name, ResourceStatus.PENDING, null, "Graduating", base.engine(), base.requestedVersion(),
                        container.engineVersion(), ImageService.GRADUATED, container.databaseName(), container.password(), "", null, owner, "", "", now, null, null,
                        List.copyOf(new LinkedHashSet<>(request.tags())), List.copyOf(new LinkedHashSet<>(request.teams())),
                        new ImageOrigin(container.name(), revisionName(number), base.name()));
                // the catalog decides, in the insert's transaction: a build of that name that started meanwhile takes it first
                id = quotas.admitImage(owner, false, () -> catalog.images().insertWithNewName(record).orElseThrow(() -> nameTaken(name)));
                // the image holds files of the container's account: the account stays taken while either exists
                catalog.images().setEngineUid(id, catalog.containers().engineUid(container.id()).orElse(null));
            }
            volume = VolumeKeys.image(id);
            catalog.images().setVolume(id, volume);
            try {
                storage.snapshot(revision.volume(), volume);
                recordFilesOwner(id, volume);
                // an image never needs revisions: they go with their container
                for (String dependency : storage.dependencies(volume)) {
                    if (VolumeKeys.isRevision(dependency)) {
                        storage.absorb(volume, dependency);
                    }
                }
                CrashPoints.reached(CrashPoints.GRADUATE_CLONED);
            }
            catch (RuntimeException e) {
                try {
                    storage.delete(volume);
                }
                catch (RuntimeException cleanupFailure) {
                    e.addSuppressed(cleanupFailure);
                }
                catalog.images().delete(id);
                throw e;
            }
        }
        OptionalLong size = storage.sizeBytes(volume);
        catalog.images().markReady(id, container.databaseName(), size.isPresent() ? size.getAsLong() : null, clock.instant());
        LOG.info("Image {} ({}) graduated from container {} rev.{}", name, id, container.name(), number);
        return images.view(images.load(id));
    }

    private static DollyException nameTaken(String name)
    {
        return new DollyException(ErrorCode.ALREADY_EXISTS, "A data image named '" + name + "' exists already. Choose another name with --name.");
    }

    /** Deletes a revision nothing needs: not rev.0, not the one the container is on, and none another volume is stacked on. */
    public Revision delete(String reference, String revisionName, Caller caller)
    {
        ContainerRecord container = containers.resolveToChange(reference, caller, "delete a revision of");
        int number = parse(revisionName);
        if (number == 0) {
            throw new DollyException(ErrorCode.BAD_INPUT, "rev.0 of data container '" + container.name() + "' is its image: it cannot be deleted.",
                    NextStep.of(NextStep.Kind.DELETE_CONTAINER, container.name()));
        }
        synchronized (containers.lock(container.id())) {
            container = containers.load(container.id());
            RevisionRecord revision = revision(container, number);
            if (container.revision().equals(revisionName(number))) {
                throw new DollyException(ErrorCode.IN_USE, "Data container '" + container.name() + "' is on " + revisionName(number) + ".",
                        NextStep.of(NextStep.Kind.LOAD_ANOTHER_REVISION, container.name()));
            }
            List<String> users = new VolumeUsers(catalog, storage).of(revision.volume());
            if (!users.isEmpty()) {
                throw new DollyException(ErrorCode.IN_USE, revisionName(number) + " of data container '" + container.name() + "' is needed by "
                        + String.join(", ", users) + ", whose data is stacked on it. Delete them first.");
            }
            storage.delete(revision.volume());
            catalog.containers().deleteRevision(container.id(), number);
            return view(container, revision);
        }
    }

    /**
     * Replaces the container's data by a clone of a revision (0: its image) and starts it again, with the same details.
     * The revision is cloned into a new volume beside the container's, recorded as pending first; the server starts
     * on it with the container's own password; then one catalog update switches the container to it, and the old
     * volume goes. A crash before the switch leaves the container on its old volume and revision (the next start
     * removes the pending volume), after it on the new ones (the old volume is an orphan, removed then too).
     */
    private DataContainer restore(ContainerRecord container, int number, String what)
    {
        String source;
        String dataPassword;
        if (number == 0) {
            ImageRecord image = images.load(container.imageId());
            source = image.volume();
            dataPassword = image.superuserPassword();
        }
        else {
            source = revision(container, number).volume();
            dataPassword = container.password();
        }
        String revision = revisionName(number);
        String volume = VolumeKeys.nextContainerVolume(container.id(), container.volume());
        long start = System.nanoTime();
        containers.stopEngine(container);
        long stopped = System.nanoTime();
        catalog.containers().setPendingVolume(container.id(), volume, revision);
        long cloned;
        try {
            containers.cloneFor(container, source, volume);
            cloned = System.nanoTime();
            CrashPoints.reached(CrashPoints.REVISION_LOAD_CLONED);
            // the container's own password is set before the switch: its port never serves the image's
            containers.startEngine(container, volume, dataPassword);
            CrashPoints.reached(CrashPoints.REVISION_LOAD_STARTED);
        }
        catch (RuntimeException e) {
            // back where it was: the old volume is untouched
            try {
                containers.removePendingVolume(container, volume);
                containers.startEngine(container, container.password());
            }
            catch (RuntimeException restartFailure) {
                e.addSuppressed(restartFailure);
            }
            throw new DollyException(e instanceof DollyException dollyException ? dollyException.errorCode() : ErrorCode.OPERATION_FAILED,
                    "Could not " + what + " data container '" + container.name() + "', which stays on " + container.revision() + ": " + e.getMessage(), e);
        }
        catalog.containers().switchVolume(container.id(), volume, revision);
        CrashPoints.reached(CrashPoints.REVISION_LOAD_SWITCHED);
        try {
            storage.delete(container.volume());
        }
        catch (RuntimeException e) {
            LOG.warn("Could not remove the volume {} that container {} was on before its {}: the daemon removes it when it starts next",
                    container.volume(), container.name(), what, e);
        }
        CrashPoints.reached(CrashPoints.REVISION_LOAD_DELETED);
        long started = System.nanoTime();
        LOG.info("Container {} ({}): {} in {} ms (stop {} ms, clone {} ms, start and switch {} ms)", container.name(), container.id(), what,
                millis(start, started), millis(start, stopped), millis(stopped, cloned), millis(cloned, started));
        return containers.view(containers.load(container.id()));
    }

    private ContainerRecord ready(long id, String action)
    {
        // a container stopped on purpose is started first, as a connection would: these work on a running server
        ContainerRecord container = containers.wakeForChange(containers.load(id));
        if (container.status() != ResourceStatus.READY && container.status() != ResourceStatus.STOPPED) {
            throw new DollyException(ErrorCode.CONFLICT, "Cannot " + action + " data container '" + container.name() + "': it is "
                    + container.status().displayName() + (container.statusMessage() == null ? "" : " (" + container.statusMessage() + ")") + ".");
        }
        return container;
    }

    private RevisionRecord revision(ContainerRecord container, int number)
    {
        return catalog.containers().findRevision(container.id(), number).orElseThrow(() -> DollyException.notFound("Data container '" + container.name()
                + "' has no revision " + revisionName(number) + ".", NextStep.of(NextStep.Kind.LIST_REVISIONS, container.name())));
    }

    private Revision view(ContainerRecord container, RevisionRecord revision)
    {
        return new Revision(container.name(), revisionName(revision.number()), revision.number(), revisionName(revision.parent()), revision.createdAt(),
                revision.sizeBytes(),
                container.revision().equals(revisionName(revision.number())));
    }

    /** {@code rev.N} to N; anything else is refused. */
    static int parse(String revision)
    {
        Matcher matcher = REVISION.matcher(revision == null ? "" : revision.strip());
        if (!matcher.matches()) {
            throw DollyException.badInput("'" + revision + "' is not a revision: revisions are named rev.0, rev.1, rev.2…");
        }
        return Integer.parseInt(matcher.group(1));
    }

    static String revisionName(int number)
    {
        return "rev." + number;
    }

    /**
     * Records the account the files of a graduated image belong to, which stays taken while the image exists. A
     * container's server sees its files through an ID-mapped view where the file system allows one: they then still
     * belong to the account of the image the container came from, not to the container's.
     */
    private void recordFilesOwner(long imageId, String volume)
    {
        try {
            int owner = (Integer) Files.getAttribute(storage.path(volume), "unix:uid", LinkOption.NOFOLLOW_LINKS);
            Optional<Integer> recorded = catalog.images().engineUid(imageId);
            // 0: a volume whose root is the daemon's (overlay layers), whose files keep the recorded account
            if (recorded.isPresent() && owner != 0 && owner != recorded.get()) {
                catalog.images().setEngineUid(imageId, owner);
            }
        }
        catch (IOException e) {
            throw DollyException.storageFailed("Cannot read the owner of " + volume + ": " + e.getMessage(), e);
        }
    }

    private static long millis(long fromNanos, long toNanos)
    {
        return (toNanos - fromNanos) / 1_000_000;
    }
}
