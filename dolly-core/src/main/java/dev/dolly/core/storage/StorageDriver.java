package dev.dolly.core.storage;

import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Where data directories live and how they are copied. An image is built in a writable volume, then sealed
 * (read-only, never started again); containers get writable clones of it, and snapshots of a container's volume
 * become revisions. Copy-on-write drivers (btrfs, reflink, overlay, zfs) make clones and snapshots cost almost
 * nothing; the copy driver copies every byte.
 *
 * <p>Volumes are identified by a key ({@code images/12}, {@code containers/7}, {@code containers/7/revisions/1});
 * the driver decides where they live below its root.
 */
public interface StorageDriver
{
    /** The driver's name as {@code dolly info} shows it, such as {@code copy}. */
    String name();

    /** Creates a new empty, writable volume and returns its directory. Fails when the volume exists. */
    Path createVolume(String key);

    /** Makes a volume read-only for good: it is an image now, and is only ever cloned. */
    void seal(String key);

    /**
     * Creates a writable volume {@code targetKey} holding the same files as {@code sourceKey}, which is sealed or
     * cleanly shut down. The files keep their owners.
     */
    Path clone(String sourceKey, String targetKey);

    /** The directory of an existing volume. */
    Path path(String key);

    boolean exists(String key);

    /** Removes a volume and everything in it; does nothing when it does not exist. */
    void delete(String key);

    /** Bytes the volume takes, when the driver can tell. */
    OptionalLong sizeBytes(String key);
}
