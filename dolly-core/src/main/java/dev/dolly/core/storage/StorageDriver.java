package dev.dolly.core.storage;

import dev.dolly.core.process.CommandRunner;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * Where data directories live and how they are copied. An image is built in a writable volume, then sealed
 * (never started again); containers get writable clones of it, and snapshots of a container's volume become
 * revisions. Copy-on-write drivers (btrfs, reflink, overlay, zfs) make clones cost almost nothing and take the same
 * time whatever the image's size; the copy driver copies every byte.
 *
 * <p>Volumes are identified by a key ({@code images/12}, {@code containers/7}, {@code revisions/7/1});
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

    /**
     * As {@link #clone(String, String)}, for a volume whose files the processes of {@code owner} must see as theirs
     * (a container's, running as its own account). A driver that can show them so without changing a file does
     * (overlay: ID-mapped layers), and the clone's root then shows as the owner's; the others leave the files as they
     * are, and the runtime maps or changes their owners when it starts the server.
     */
    default Path clone(String sourceKey, String targetKey, VolumeOwner owner)
    {
        return clone(sourceKey, targetKey);
    }

    /** The account (user and group) a volume's files are shown as belonging to. */
    record VolumeOwner(int uid, int gid) {}

    /**
     * Freezes the files of a cleanly shut down volume {@code sourceKey} (a stopped container, or a revision) as a new
     * sealed volume {@code targetKey}: a revision of a container, or an image made from a revision. Like an image, the
     * target is never started, only cloned; its root has mode 0500. The source stays as it was, and either may be
     * deleted first. The target may need volumes the source needs ({@link #dependencies}), but never the source.
     *
     * <p>The default clones and seals, which suits drivers whose clones stand alone (btrfs, reflink, copy).
     */
    default void snapshot(String sourceKey, String targetKey)
    {
        clone(sourceKey, targetKey);
        seal(targetKey);
    }

    /**
     * The volumes this one needs while it exists, such as the lower layers of an overlay: they cannot be deleted
     * before it. Empty for drivers whose volumes stand alone, or that settle what they share themselves (zfs).
     */
    default List<String> dependencies(String key)
    {
        return List.of();
    }

    /**
     * Makes a sealed volume stop needing {@code dependency}, one of its {@link #dependencies}, by copying what it needs
     * of it into itself, so that the dependency can be deleted. Does nothing for drivers whose volumes depend on none.
     */
    default void absorb(String key, String dependency) {}

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
     * The keys of every volume there is (see {@link VolumeKeys}), such as those a crash left behind that nobody owns:
     * revisions first, then containers, then images, an order in which they can be deleted.
     */
    List<String> list();

    /**
     * Writes everything of a volume that is still in memory to disk: an image is built without {@code fsync} and
     * flushed once, after its server was shut down cleanly, before it is sealed. {@code sync --file-system} on the
     * volume's directory, for every driver.
     */
    default void flush(String key)
    {
        Volumes.flush(CommandRunner.system(), path(key));
    }

    /**
     * Bytes the volume takes, when the driver can tell. Drivers that share blocks report what the volume holds on
     * its own where that is cheap to find out, and otherwise the size of its files; see each driver.
     */
    OptionalLong sizeBytes(String key);

    /** Space of the file system that holds the volumes. */
    StorageUsage usage();
}
