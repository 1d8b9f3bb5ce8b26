package dev.dolly.core.storage;

import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Where data directories live and how they are copied. An image is built in a writable volume, then sealed
 * (never started again); containers get writable clones of it, and snapshots of a container's volume become
 * revisions. Copy-on-write drivers (btrfs, reflink, overlay, zfs) make clones cost almost nothing and take the same
 * time whatever the image's size; the copy driver copies every byte.
 *
 * <p>Volumes are identified by a key ({@code images/12}, {@code containers/7}, {@code containers/7/revisions/1});
 * the driver decides where they live below its root. A volume's directory is what the engine runs on: its files
 * keep their owner through {@link #seal} and {@link #clone}.
 */
public interface StorageDriver
{
    /** The driver's name as {@code dolly info} shows it, such as {@code copy}. */
    String name();

    /** Creates a new empty, writable volume and returns its directory. Fails when the volume exists. */
    Path createVolume(String key);

    /**
     * Freezes a cleanly shut down volume for good: it is an image now, and is only ever cloned. Every driver leaves
     * the volume's root directory with mode 0500, so that PostgreSQL refuses to start on it (it wants 0700 or
     * 0750): a started image would write hint bits, and every clone would then copy the pages it touched. Drivers
     * that can also make the volume read-only do (btrfs, zfs).
     */
    void seal(String key);

    /**
     * Creates a writable volume {@code targetKey} holding the same files as {@code sourceKey}, which is sealed or
     * cleanly shut down, and returns its directory. The files keep their owners; the root directory gets mode 0700,
     * ready for PostgreSQL. Never falls back silently to a slower way of copying than the driver's own.
     */
    Path clone(String sourceKey, String targetKey);

    /** The directory of a volume, the one an engine runs on. */
    Path path(String key);

    boolean exists(String key);

    /**
     * Makes an existing volume usable again after the machine restarted, such as by mounting it. The daemon calls
     * it for every container volume when it starts, before it starts the container's engine. Idempotent: does
     * nothing when the volume is usable already, and nothing at all for most drivers.
     */
    default void activate(String key) {}

    /** Removes a volume and everything in it; does nothing when it does not exist. */
    void delete(String key);

    /**
     * Bytes the volume takes, when the driver can tell. Drivers that share blocks report what the volume holds on
     * its own where that is cheap to find out, and otherwise the size of its files; see each driver.
     */
    OptionalLong sizeBytes(String key);

    /** Space of the file system that holds the volumes. */
    StorageUsage usage();
}
