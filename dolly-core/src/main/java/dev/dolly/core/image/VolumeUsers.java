package dev.dolly.core.image;

import dev.dolly.core.catalog.Catalog;
import dev.dolly.core.catalog.ContainerRecord;
import dev.dolly.core.catalog.ImageRecord;
import dev.dolly.core.catalog.RevisionRecord;
import dev.dolly.core.storage.StorageDriver;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Which images, containers and revisions need a volume, as the storage driver tells ({@link StorageDriver#dependencies}):
 * with overlay, a revision needs the revision it was saved from, and an image graduated from a revision needs the
 * image below it. Other drivers' volumes need none.
 */
public final class VolumeUsers
{
    private final Catalog catalog;
    private final StorageDriver storage;

    public VolumeUsers(Catalog catalog, StorageDriver storage)
    {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.storage = requireNonNull(storage, "storage is null");
    }

    /** What needs the volume, as messages name it: {@code data image 'x' (9)}, {@code rev.2 of data container 'y'}. */
    public List<String> of(String volume)
    {
        requireNonNull(volume, "volume is null");
        Map<Long, String> containerNames = new HashMap<>();
        List<String> users = new ArrayList<>();
        for (ImageRecord image : catalog.images().list()) {
            if (!image.volume().isEmpty() && !image.volume().equals(volume) && storage.dependencies(image.volume()).contains(volume)) {
                users.add("data image '" + image.name() + "' (" + image.id() + ")");
            }
        }
        for (ContainerRecord container : catalog.containers().list()) {
            containerNames.put(container.id(), container.name());
            // a container of an image's warm pool goes with the image (its pool is drained first)
            if (!container.pooled() && !container.volume().isEmpty() && !container.volume().equals(volume) && storage.dependencies(container.volume()).contains(volume)) {
                users.add("data container '" + container.name() + "'");
            }
        }
        for (RevisionRecord revision : catalog.containers().listAllRevisions()) {
            if (!revision.volume().equals(volume) && storage.dependencies(revision.volume()).contains(volume)) {
                users.add("rev." + revision.number() + " of data container '" + containerNames.get(revision.containerId()) + "'");
            }
        }
        return users;
    }
}
