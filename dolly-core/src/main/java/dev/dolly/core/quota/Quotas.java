package dev.dolly.core.quota;

import dev.dolly.api.DollyException;
import dev.dolly.api.ErrorCode;
import dev.dolly.api.NextStep;
import dev.dolly.api.ResourceStatus;
import dev.dolly.core.catalog.Catalog;
import dev.dolly.core.catalog.ContainerRecord;
import dev.dolly.core.catalog.ImageRecord;

import java.util.List;
import java.util.function.LongSupplier;

import static java.util.Objects.requireNonNull;

/**
 * Holds each user to the {@link QuotaLimits}. A new container or image is counted and recorded under one lock, which
 * every service that records one goes through: two requests cannot both take a user's last place. What is being
 * deleted does not count; deleting needs no lock, since it only makes room.
 */
public final class Quotas
{
    private final QuotaLimits limits;
    private final Catalog catalog;

    public Quotas(QuotaLimits limits, Catalog catalog)
    {
        this.limits = requireNonNull(limits, "limits is null");
        this.catalog = requireNonNull(catalog, "catalog is null");
    }

    public QuotaLimits limits()
    {
        return limits;
    }

    /**
     * Records a new container of the owner's with {@code record} when the owner has room for one more.
     *
     * @return what {@code record} returns: the new container's ID
     */
    public synchronized long admitContainer(String owner, LongSupplier record)
    {
        requireNonNull(owner, "owner is null");
        requireNonNull(record, "record is null");
        int containers = (int) catalog.containers().list().stream()
                .filter(container -> container.owner().equals(owner))
                .filter(container -> container.status() != ResourceStatus.DELETING)
                .count();
        if (!limits.containers().allowsOneMoreThan(containers)) {
            throw exceeded("You have " + count(containers, "data container") + ", and "
                    + limits.containers().variable() + " allows " + limits.containers() + " per user. Delete containers you no longer need, or ask an "
                    + "administrator to raise " + limits.containers().variable() + ".", NextStep.Kind.LIST_CONTAINERS);
        }
        return record.getAsLong();
    }

    /**
     * Records a new image of the owner's with {@code record} when the owner has room for one more image and, for a
     * build, for one more build at once.
     *
     * @param build whether the image is built (rather than graduated from a container, which is ready at once)
     * @return what {@code record} returns: the new image's ID
     */
    public synchronized long admitImage(String owner, boolean build, LongSupplier record)
    {
        requireNonNull(owner, "owner is null");
        requireNonNull(record, "record is null");
        List<ImageRecord> images = catalog.images().list().stream()
                .filter(image -> image.owner().equals(owner))
                .filter(image -> image.status() != ResourceStatus.FAILED && image.status() != ResourceStatus.DELETING)
                .toList();
        if (build) {
            int building = (int) images.stream().filter(Quotas::isBuilding).count();
            if (!limits.concurrentBuilds().allowsOneMoreThan(building)) {
                throw exceeded("You have " + count(building, "data image") + " being built, and "
                        + limits.concurrentBuilds().variable() + " allows " + limits.concurrentBuilds() + " at once per user. Wait until one is Ready or "
                        + "Failed, or ask an administrator to raise " + limits.concurrentBuilds().variable() + ".", NextStep.Kind.LIST_IMAGES);
            }
        }
        if (!limits.images().allowsOneMoreThan(images.size())) {
            throw exceeded("You have " + count(images.size(), "data image") + " (failed ones do not count), and "
                    + limits.images().variable() + " allows " + limits.images() + " per user. Delete images you no longer need, or ask an administrator "
                    + "to raise " + limits.images().variable() + ".", NextStep.Kind.LIST_IMAGES);
        }
        return record.getAsLong();
    }

    /** A build that runs or waits for its turn; a graduated image is pending only while its snapshot is taken. */
    private static boolean isBuilding(ImageRecord image)
    {
        return image.status() == ResourceStatus.PENDING && image.origin() == null;
    }

    private static DollyException exceeded(String message, NextStep.Kind nextStep)
    {
        return new DollyException(ErrorCode.QUOTA_EXCEEDED, message, NextStep.of(nextStep));
    }

    private static String count(int count, String noun)
    {
        return count + " " + noun + (count == 1 ? "" : "s");
    }
}
