package dev.dolly.core.storage;

import dev.dolly.api.DollyException;
import dev.dolly.core.process.CommandRunner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Chooses the storage driver of a home: the configured one, or the first of an ordered list of strategies
 * ({@link StorageStrategy}) that applies where the storage root is, each saying why it does or does not.
 */
public final class StorageDrivers
{
    /** The names {@code DOLLY_STORAGE_DRIVER} accepts, in the order detection tries them. */
    public static final List<String> NAMES = StorageStrategies.IN_ORDER.stream().map(StorageStrategy::name).toList();

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
        StorageStrategy.Site site = new StorageStrategy.Site(root, Volumes.fileSystemType(root), isRoot, zfsDataset, runner);
        if (configuredDriver.isPresent()) {
            String name = configuredDriver.get().strip().toLowerCase(Locale.ROOT);
            return strategy(name).configured(site, "DOLLY_STORAGE_DRIVER=" + name);
        }
        if (zfsDataset.isPresent()) {
            return strategy("zfs").configured(site, "DOLLY_ZFS_DATASET=" + zfsDataset.get());
        }
        List<String> notes = new ArrayList<>();
        for (StorageStrategy strategy : StorageStrategies.IN_ORDER) {
            switch (strategy.detect(site, List.copyOf(notes))) {
                case StorageStrategy.Applies applies -> {
                    return applies.selection();
                }
                case StorageStrategy.DoesNotApply doesNotApply -> doesNotApply.note().ifPresent(notes::add);
            }
        }
        throw new IllegalStateException("The copy driver applies everywhere");
    }

    private static StorageStrategy strategy(String name)
    {
        return StorageStrategies.IN_ORDER.stream()
                .filter(strategy -> strategy.name().equals(name))
                .findFirst()
                .orElseThrow(() -> DollyException.badInput("DOLLY_STORAGE_DRIVER '" + name + "' is not a storage driver. Choose one of " + String.join(", ", NAMES) + "."));
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
