package dev.dolly.core.storage;

import dev.dolly.core.process.CommandRunner;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One storage driver as {@link StorageDrivers} considers it: whether it works where the storage root is, and why or
 * why not. Detection asks the strategies in order and takes the first that applies; a configured driver is asked
 * alone, and refuses with the reason when it cannot work there.
 */
interface StorageStrategy
{
    /** The driver's name, as {@code DOLLY_STORAGE_DRIVER} names it. */
    String name();

    /**
     * Whether the driver applies when nothing is configured.
     *
     * @param notes why the strategies before this one do not apply, for the reason of one that does
     */
    Verdict detect(Site site, List<String> notes);

    /**
     * The driver, configured by {@code setting} (such as {@code DOLLY_STORAGE_DRIVER=btrfs}).
     *
     * @throws dev.dolly.api.DollyException saying why the driver cannot work there, and what to do
     */
    StorageSelection configured(Site site, String setting);

    /**
     * Where the volumes would live.
     *
     * @param fileSystemType the file system of the root as the kernel names it: btrfs, xfs, ext4, zfs…
     * @param isRoot whether the daemon runs as root
     * @param zfsDataset the configured ZFS dataset ({@code DOLLY_ZFS_DATASET})
     * @param runner runs the probes and, later, the driver's tools
     */
    record Site(Path root, String fileSystemType, boolean isRoot, Optional<String> zfsDataset, CommandRunner runner)
    {
        public Site
        {
            requireNonNull(root, "root is null");
            requireNonNull(fileSystemType, "fileSystemType is null");
            requireNonNull(zfsDataset, "zfsDataset is null");
            requireNonNull(runner, "runner is null");
        }
    }

    /** A strategy's answer in detection: the driver and why, or why not. */
    sealed interface Verdict
    {
        static Verdict applies(StorageSelection selection)
        {
            return new Applies(selection);
        }

        /** Does not apply, for a reason worth telling in the chosen driver's reason. */
        static Verdict doesNotApply(String note)
        {
            return new DoesNotApply(Optional.of(note));
        }

        /** Does not apply, and that goes without saying (btrfs on a file system that is not btrfs). */
        static Verdict doesNotApply()
        {
            return new DoesNotApply(Optional.empty());
        }
    }

    record Applies(StorageSelection selection)
            implements Verdict
    {
        public Applies
        {
            requireNonNull(selection, "selection is null");
        }
    }

    record DoesNotApply(Optional<String> note)
            implements Verdict
    {
        public DoesNotApply
        {
            requireNonNull(note, "note is null");
        }
    }
}
