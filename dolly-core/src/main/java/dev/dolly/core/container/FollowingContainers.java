package dev.dolly.core.container;

import dev.dolly.api.DollyException;
import dev.dolly.api.ErrorCode;
import dev.dolly.api.ResourceStatus;
import dev.dolly.core.catalog.Catalog;
import dev.dolly.core.catalog.ContainerRecord;
import dev.dolly.core.catalog.FollowingRecord;
import dev.dolly.core.catalog.ImageRecord;
import dev.dolly.core.catalog.RevisionRecord;
import dev.dolly.core.storage.StorageDriver;
import dev.dolly.core.storage.VolumeKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Containers that follow a tag ({@code name:tag}): when the tag moves to another image, the container is recreated
 * on it at its next refresh time ({@code HH:MM} in the daemon's time zone, counted from when the move was noticed),
 * or at once ({@code now}), keeping its name, host, port, user and password. Its revisions, which belong to the old
 * image, are dropped, and the refresh says so.
 *
 * <p>The switch is a load's (see {@link RevisionService}): the server stops, the new volume is recorded as pending, the
 * new image is cloned into it and the server starts there with the container's password; then one transaction
 * switches the container to the new image, volume and {@code rev.0} and forgets its revisions, and the old volumes go.
 * A failure before the switch starts the container again on its old volume and records why; a crash before it
 * leaves the container on its old image (the pending volume is removed when the daemon starts), after it on the new.
 */
public final class FollowingContainers
{
    /** When a following container moves unless told otherwise. */
    public static final String DEFAULT_REFRESH_AT = "06:00";
    public static final String NOW = "now";

    private static final Logger LOG = LoggerFactory.getLogger(FollowingContainers.class);
    private static final DateTimeFormatter HOURS_AND_MINUTES = DateTimeFormatter.ofPattern("HH:mm");

    private final Catalog catalog;
    private final ContainerService containers;
    private final StorageDriver storage;
    private final Clock clock;
    private final ZoneId timeZone;

    public FollowingContainers(Catalog catalog, ContainerService containers, StorageDriver storage, Clock clock, ZoneId timeZone)
    {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.containers = requireNonNull(containers, "containers is null");
        this.storage = requireNonNull(storage, "storage is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.timeZone = requireNonNull(timeZone, "timeZone is null");
    }

    /**
     * What a new container follows, checked: the image reference must be {@code name:tag}, and the refresh time
     * {@code HH:MM} or {@code now}.
     */
    static FollowingRecord following(String image, String refreshAt)
    {
        String reference = image == null ? "" : image.strip();
        int colon = reference.lastIndexOf(':');
        if (colon <= 0 || colon == reference.length() - 1) {
            throw DollyException.badInput("--follow follows a tag: name the image as name:tag (widgetstore:latest-production), not '" + reference + "'.");
        }
        String refresh = refreshAt == null || refreshAt.isBlank() ? DEFAULT_REFRESH_AT : refreshAt.strip();
        if (!refresh.equals(NOW)) {
            parseRefreshTime(refresh);
        }
        return new FollowingRecord(0, reference.substring(0, colon), reference.substring(colon + 1), refresh, null, null, null, null, null);
    }

    private static LocalTime parseRefreshTime(String refreshAt)
    {
        try {
            return LocalTime.parse(refreshAt, HOURS_AND_MINUTES);
        }
        catch (DateTimeParseException e) {
            throw DollyException.badInput("--refresh-at takes a time of day as HH:MM (06:00, in the daemon's time zone) or 'now', not '" + refreshAt + "'.");
        }
    }

    /**
     * When a container that noticed its tag on a new image at {@code noticedAt} moves to it: at once for {@code now},
     * otherwise at the first {@code HH:MM} after it.
     */
    static Instant refreshTime(String refreshAt, Instant noticedAt, ZoneId timeZone)
    {
        if (refreshAt.equals(NOW)) {
            return noticedAt;
        }
        LocalTime time = parseRefreshTime(refreshAt);
        ZonedDateTime noticed = noticedAt.atZone(timeZone);
        ZonedDateTime candidate = noticed.with(time);
        if (!candidate.isAfter(noticed)) {
            candidate = noticed.toLocalDate().plusDays(1).atTime(time).atZone(timeZone);
        }
        return candidate.toInstant();
    }

    /** Moves every following container whose tag moved and whose refresh time came; one that fails says why and keeps its image. */
    public void refreshDue()
    {
        for (FollowingRecord following : catalog.schedules().listFollowing()) {
            try {
                refreshIfDue(following);
            }
            catch (RuntimeException e) {
                LOG.warn("Could not refresh container {}", following.containerId(), e);
            }
        }
    }

    private void refreshIfDue(FollowingRecord following)
    {
        Optional<ContainerRecord> found = catalog.containers().find(following.containerId());
        if (found.isEmpty() || found.get().status() != ResourceStatus.READY) {
            return;
        }
        ContainerRecord container = found.get();
        Optional<ImageRecord> target = catalog.images().findByTag(following.imageName(), following.tag())
                .filter(image -> image.status() == ResourceStatus.READY);
        if (target.isEmpty() || target.get().id() == container.imageId() || Long.valueOf(target.get().id()).equals(following.failedImageId())) {
            return;
        }
        Instant now = clock.instant();
        if (!Long.valueOf(target.get().id()).equals(following.noticedImageId())) {
            catalog.schedules().noticed(container.id(), target.get().id(), now);
            following = catalog.schedules().following(container.id()).orElseThrow();
        }
        if (refreshTime(following.refreshAt(), following.noticedAt(), timeZone).isAfter(now)) {
            return;
        }
        refresh(container.id(), target.get());
    }

    /** Recreates the container on the image; a failure leaves it working on its old one and is recorded. */
    void refresh(long containerId, ImageRecord image)
    {
        synchronized (containers.lock(containerId)) {
            ContainerRecord container = containers.load(containerId);
            if (container.status() != ResourceStatus.READY || container.imageId() == image.id()) {
                return;
            }
            try {
                moveTo(container, image);
            }
            catch (RuntimeException e) {
                String message = "Refresh to image " + image.id() + " failed at " + clock.instant() + "; the container stays on image " + container.imageId() + ": "
                        + e.getMessage();
                LOG.warn("Container {} ({}): {}", container.name(), container.id(), message, e);
                catalog.schedules().refreshFailed(container.id(), image.id(), message);
            }
        }
    }

    private void moveTo(ContainerRecord container, ImageRecord image)
    {
        if (!image.engine().equals(container.engine())) {
            throw new DollyException(ErrorCode.CONFLICT, "Image " + image.id() + " is a " + image.engine() + " image and the container runs " + container.engine() + ".");
        }
        List<RevisionRecord> revisions = catalog.containers().listRevisions(container.id());
        String volume = VolumeKeys.nextContainerVolume(container.id(), container.volume());
        // the container as it will be: the new image's engine version and database, the same port, user and password
        ContainerRecord moved = new ContainerRecord(container.id(), container.name(), image.id(), container.status(), container.statusMessage(), container.engine(),
                image.engineVersion(), container.host(), container.port(), container.userName(), container.password(), databaseOf(image, container), volume,
                "rev.0", container.owner(), container.createdAt(), container.expiresAt());
        long start = System.nanoTime();
        containers.stopEngine(container);
        catalog.containers().setPendingVolume(container.id(), volume, "rev.0");
        try {
            containers.cloneFor(container, VolumeKeys.image(image.id()), volume);
            // the container's own password is set before the switch: its port never serves the image's
            containers.startEngine(moved, volume, image.superuserPassword());
        }
        catch (RuntimeException e) {
            try {
                containers.removePendingVolume(container, volume);
                containers.startEngine(container, container.password());
            }
            catch (RuntimeException restartFailure) {
                e.addSuppressed(restartFailure);
            }
            throw e;
        }
        String dropped = revisions.isEmpty() ? "" : "; dropped " + String.join(", ", revisions.stream().map(revision -> "rev." + revision.number()).toList());
        String message = "Moved from image " + container.imageId() + " to image " + image.id() + " at " + clock.instant() + dropped;
        catalog.schedules().switchToImage(container.id(), image.id(), image.engineVersion(), moved.databaseName(), volume, clock.instant(), message);
        // no record names these any more: what cannot go now goes as an orphan when the daemon starts
        deleteQuietly(container.volume());
        revisions.stream().sorted(Comparator.comparingInt(RevisionRecord::number).reversed()).forEach(revision -> deleteQuietly(revision.volume()));
        LOG.info("Container {} ({}): {} ({} ms)", container.name(), container.id(), message, (System.nanoTime() - start) / 1_000_000);
    }

    private static String databaseOf(ImageRecord image, ContainerRecord container)
    {
        return image.databaseName() == null ? container.databaseName() : image.databaseName();
    }

    private void deleteQuietly(String volume)
    {
        try {
            storage.delete(volume);
        }
        catch (RuntimeException e) {
            LOG.warn("Could not remove the volume {}: the daemon removes it when it starts next", volume, e);
        }
    }
}
