package dev.dolly.core.storage;

import dev.dolly.api.DollyException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** Chooses the storage driver of a home: the configured one, or the fastest that works where the storage root is. */
public final class StorageDrivers
{
    /** The names {@code DOLLY_STORAGE_DRIVER} accepts. */
    public static final List<String> NAMES = List.of("btrfs", "reflink", "overlay", "zfs", "copy");

    private static final String STORAGE_INIT_HINT = "Run 'sudo dolly storage init --size 50G' to put Dolly's storage on a loop-mounted btrfs file system, "
            + "or move DOLLY_HOME to btrfs or XFS.";

    private StorageDrivers() {}

    /**
     * Chooses the driver for a storage root, which exists.
     * <ul>
     * <li>A configured driver ({@code DOLLY_STORAGE_DRIVER}) wins, and is refused when it cannot work there.</li>
     * <li>A configured ZFS dataset ({@code DOLLY_ZFS_DATASET}) selects zfs.</li>
     * <li>On btrfs: btrfs, when the {@code btrfs} command is installed, else reflink.</li>
     * <li>On XFS or bcachefs (or btrfs without its command): reflink, when a probe shows that clones share blocks.</li>
     * <li>Otherwise, as root: overlay, when a probe mount works.</li>
     * <li>Otherwise copy, with a reason that tells how to get a fast driver.</li>
     * </ul>
     */
    public static StorageSelection select(Path storageRoot, Optional<String> configuredDriver, boolean isRoot, Optional<String> zfsDataset)
    {
        return select(storageRoot, configuredDriver, isRoot, zfsDataset, CommandRunner.system());
    }

    static StorageSelection select(Path storageRoot, Optional<String> configuredDriver, boolean isRoot, Optional<String> zfsDataset, CommandRunner runner)
    {
        requireNonNull(storageRoot, "storageRoot is null");
        requireNonNull(configuredDriver, "configuredDriver is null");
        requireNonNull(zfsDataset, "zfsDataset is null");
        requireNonNull(runner, "runner is null");
        Path root = storageRoot.toAbsolutePath().normalize();
        String type = Volumes.fileSystemType(root);
        if (configuredDriver.isPresent()) {
            return configured(root, type, configuredDriver.get().strip().toLowerCase(Locale.ROOT), isRoot, zfsDataset, runner);
        }
        if (zfsDataset.isPresent()) {
            return zfs(root, zfsDataset.get(), "DOLLY_ZFS_DATASET=" + zfsDataset.get(), runner);
        }

        List<String> notes = new ArrayList<>();
        boolean sharesBlocks = switch (type) {
            case "btrfs", "xfs", "bcachefs" -> true;
            default -> false;
        };
        if (type.equals("btrfs")) {
            if (commandWorks(runner, "btrfs", "--version")) {
                return new StorageSelection(new BtrfsStorageDriver(root, runner),
                        "btrfs: " + root + " is on btrfs; images are subvolumes and containers are snapshots of them.");
            }
            notes.add("the 'btrfs' command is missing: install btrfs-progs for atomic subvolume snapshots");
        }
        if (sharesBlocks) {
            Optional<String> failure = ReflinkStorageDriver.probe(root, runner);
            if (failure.isEmpty()) {
                return new StorageSelection(new ReflinkStorageDriver(root, runner), "reflink: " + root + " is on " + type
                        + ", which shares blocks between files; containers are reflink copies of their image (cp --reflink=always)"
                        + (notes.isEmpty() ? "." : "; " + String.join("; ", notes) + "."));
            }
            notes.add(type + " does not share blocks there: " + failure.get()
                    + (type.equals("xfs") ? " (XFS shares blocks only when created with 'mkfs.xfs -m reflink=1')" : ""));
        }
        else {
            notes.add(root + " is on " + type + ", which cannot share blocks between files");
        }
        if (type.equals("zfs")) {
            notes.add("set DOLLY_ZFS_DATASET to the dataset to keep volumes in, such as tank/dolly, for ZFS clones");
        }
        if (isRoot) {
            Optional<String> failure = OverlayStorageDriver.probe(root, runner);
            if (failure.isEmpty()) {
                return new StorageSelection(new OverlayStorageDriver(root, runner), "overlay: " + String.join("; ", notes)
                        + "; containers are overlayfs mounts with their image as the read-only lower layer.");
            }
            notes.add("overlay mounts fail: " + failure.get());
        }
        else {
            notes.add("overlay mounts need the daemon to run as root");
        }
        return new StorageSelection(new CopyStorageDriver(root), "copy: " + String.join("; ", notes)
                + ", so every container is a full copy of its image. " + STORAGE_INIT_HINT);
    }

    private static StorageSelection configured(Path root, String type, String name, boolean isRoot, Optional<String> zfsDataset, CommandRunner runner)
    {
        String setting = "DOLLY_STORAGE_DRIVER=" + name;
        return switch (name) {
            case "copy" -> new StorageSelection(new CopyStorageDriver(root), "copy: " + setting + "; every container is a full copy of its image.");
            case "btrfs" -> {
                if (!type.equals("btrfs")) {
                    throw DollyException.failed(setting + " but " + root + " is on " + type + ". Move DOLLY_HOME to a btrfs file system, or choose another driver.");
                }
                if (!commandWorks(runner, "btrfs", "--version")) {
                    throw DollyException.failed(setting + " but the 'btrfs' command is missing. Install btrfs-progs, or set DOLLY_STORAGE_DRIVER=reflink.");
                }
                yield new StorageSelection(new BtrfsStorageDriver(root, runner),
                        "btrfs: " + setting + "; images are subvolumes and containers are snapshots of them.");
            }
            case "reflink" -> {
                Optional<String> failure = ReflinkStorageDriver.probe(root, runner);
                if (failure.isPresent()) {
                    throw DollyException.failed(setting + " but " + root + " (" + type + ") cannot share blocks between files: " + failure.get()
                            + ". Move DOLLY_HOME to XFS (created with reflink=1), btrfs or bcachefs, or choose another driver.");
                }
                yield new StorageSelection(new ReflinkStorageDriver(root, runner),
                        "reflink: " + setting + "; " + root + " is on " + type + " and containers are reflink copies of their image (cp --reflink=always).");
            }
            case "overlay" -> {
                if (!isRoot) {
                    throw DollyException.failed(setting + " but the daemon does not run as root, which overlay mounts need. Run it as root, or choose another driver.");
                }
                Optional<String> failure = OverlayStorageDriver.probe(root, runner);
                if (failure.isPresent()) {
                    throw DollyException.failed(setting + " but overlay mounts do not work in " + root + ": " + failure.get() + ". Choose another driver.");
                }
                yield new StorageSelection(new OverlayStorageDriver(root, runner),
                        "overlay: " + setting + "; containers are overlayfs mounts with their image as the read-only lower layer.");
            }
            case "zfs" -> {
                if (zfsDataset.isEmpty()) {
                    throw DollyException.failed(setting + " needs DOLLY_ZFS_DATASET, the dataset to keep volumes in, such as tank/dolly.");
                }
                yield zfs(root, zfsDataset.get(), setting, runner);
            }
            default -> throw DollyException.badInput("DOLLY_STORAGE_DRIVER '" + name + "' is not a storage driver. Choose one of " + String.join(", ", NAMES) + ".");
        };
    }

    private static StorageSelection zfs(Path root, String dataset, String setting, CommandRunner runner)
    {
        CommandRunner.Result result = runner.run(List.of("zfs", "list", "-H", "-o", "name", dataset));
        if (!result.succeeded()) {
            throw DollyException.failed(setting + " but the dataset " + dataset + " is not usable: " + result.output()
                    + ". Create it with 'zfs create " + dataset + "', or choose another driver.");
        }
        return new StorageSelection(new ZfsStorageDriver(root, dataset, runner),
                "zfs: " + setting + "; images are datasets of " + dataset + " and containers are clones of their snapshots.");
    }

    private static boolean commandWorks(CommandRunner runner, String... command)
    {
        return runner.run(List.of(command)).succeeded();
    }

    /** Whether this process runs as root, which overlay mounts and subvolume deletion need. */
    public static boolean runningAsRoot()
    {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
        }
        catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }
}
