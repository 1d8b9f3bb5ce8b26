package dev.dolly.core.storage;

import dev.dolly.api.DollyException;
import dev.dolly.core.process.CommandRunner;
import dev.dolly.core.storage.StorageStrategy.Site;
import dev.dolly.core.storage.StorageStrategy.Verdict;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The strategies of the drivers, in the order detection tries them: the fastest that works wins. */
final class StorageStrategies
{
    static final List<StorageStrategy> IN_ORDER = List.of(new Btrfs(), new Reflink(), new Zfs(), new Overlay(), new Copy());

    private static final String STORAGE_INIT_HINT = "Run 'sudo dolly storage init --size 50G' to put Dolly's storage on a loop-mounted btrfs file system, "
            + "or move DOLLY_HOME to btrfs or XFS.";

    private StorageStrategies() {}

    /** On btrfs, when the {@code btrfs} command is installed: images are subvolumes, containers snapshots. */
    static final class Btrfs
            implements StorageStrategy
    {
        @Override
        public String name()
        {
            return "btrfs";
        }

        @Override
        public Verdict detect(Site site, List<String> notes)
        {
            if (!site.fileSystemType().equals("btrfs")) {
                return Verdict.doesNotApply();
            }
            if (!commandWorks(site, "btrfs", "--version")) {
                return Verdict.doesNotApply("the 'btrfs' command is missing: install btrfs-progs for atomic subvolume snapshots");
            }
            return Verdict.applies(new StorageSelection(new BtrfsStorageDriver(site.root(), site.runner()),
                    "btrfs: " + site.root() + " is on btrfs; images are subvolumes and containers are snapshots of them."));
        }

        @Override
        public StorageSelection configured(Site site, String setting)
        {
            if (!site.fileSystemType().equals("btrfs")) {
                throw DollyException.storageFailed(setting + " but " + site.root() + " is on " + site.fileSystemType()
                        + ". Move DOLLY_HOME to a btrfs file system, or choose another driver.");
            }
            if (!commandWorks(site, "btrfs", "--version")) {
                throw DollyException.storageFailed(setting + " but the 'btrfs' command is missing. Install btrfs-progs, or set DOLLY_STORAGE_DRIVER=reflink.");
            }
            return new StorageSelection(new BtrfsStorageDriver(site.root(), site.runner()),
                    "btrfs: " + setting + "; images are subvolumes and containers are snapshots of them.");
        }
    }

    /** On a file system that shares blocks between files (XFS, btrfs, bcachefs), when a probe shows that it does. */
    static final class Reflink
            implements StorageStrategy
    {
        private static final Set<String> SHARING_FILE_SYSTEMS = Set.of("btrfs", "xfs", "bcachefs");

        @Override
        public String name()
        {
            return "reflink";
        }

        @Override
        public Verdict detect(Site site, List<String> notes)
        {
            String type = site.fileSystemType();
            if (!SHARING_FILE_SYSTEMS.contains(type)) {
                return Verdict.doesNotApply(site.root() + " is on " + type + ", which cannot share blocks between files");
            }
            Optional<String> failure = ReflinkStorageDriver.probe(site.root(), site.runner());
            if (failure.isPresent()) {
                return Verdict.doesNotApply(type + " does not share blocks there: " + failure.get()
                        + (type.equals("xfs") ? " (XFS shares blocks only when created with 'mkfs.xfs -m reflink=1')" : ""));
            }
            return Verdict.applies(new StorageSelection(new ReflinkStorageDriver(site.root(), site.runner()), "reflink: " + site.root() + " is on " + type
                    + ", which shares blocks between files; containers are reflink copies of their image (cp --reflink=always)"
                    + (notes.isEmpty() ? "." : "; " + String.join("; ", notes) + ".")));
        }

        @Override
        public StorageSelection configured(Site site, String setting)
        {
            Optional<String> failure = ReflinkStorageDriver.probe(site.root(), site.runner());
            if (failure.isPresent()) {
                throw DollyException.storageFailed(setting + " but " + site.root() + " (" + site.fileSystemType() + ") cannot share blocks between files: " + failure.get()
                        + ". Move DOLLY_HOME to XFS (created with reflink=1), btrfs or bcachefs, or choose another driver.");
            }
            return new StorageSelection(new ReflinkStorageDriver(site.root(), site.runner()),
                    "reflink: " + setting + "; " + site.root() + " is on " + site.fileSystemType() + " and containers are reflink copies of their image (cp --reflink=always).");
        }
    }

    /**
     * Datasets of a configured ZFS dataset ({@code DOLLY_ZFS_DATASET}, which selects it before detection): never
     * detected, since it needs to know which dataset to use.
     */
    static final class Zfs
            implements StorageStrategy
    {
        @Override
        public String name()
        {
            return "zfs";
        }

        @Override
        public Verdict detect(Site site, List<String> notes)
        {
            if (site.fileSystemType().equals("zfs")) {
                return Verdict.doesNotApply("set DOLLY_ZFS_DATASET to the dataset to keep volumes in, such as tank/dolly, for ZFS clones");
            }
            return Verdict.doesNotApply();
        }

        @Override
        public StorageSelection configured(Site site, String setting)
        {
            if (site.zfsDataset().isEmpty()) {
                throw DollyException.storageFailed(setting + " needs DOLLY_ZFS_DATASET, the dataset to keep volumes in, such as tank/dolly.");
            }
            String dataset = site.zfsDataset().get();
            CommandRunner.Result result = site.runner().run(List.of("zfs", "list", "-H", "-o", "name", dataset));
            if (!result.succeeded()) {
                throw DollyException.storageFailed(setting + " but the dataset " + dataset + " is not usable: " + result.output()
                        + ". Create it with 'zfs create " + dataset + "', or choose another driver.");
            }
            return new StorageSelection(new ZfsStorageDriver(site.root(), dataset, site.runner()),
                    "zfs: " + setting + "; images are datasets of " + dataset + " and containers are clones of their snapshots.");
        }
    }

    /** As root, when a probe mount works: on any file system, ext4 included. */
    static final class Overlay
            implements StorageStrategy
    {
        @Override
        public String name()
        {
            return "overlay";
        }

        @Override
        public Verdict detect(Site site, List<String> notes)
        {
            if (!site.isRoot()) {
                return Verdict.doesNotApply("overlay mounts need the daemon to run as root");
            }
            Optional<String> failure = OverlayStorageDriver.probe(site.root(), site.runner());
            if (failure.isPresent()) {
                return Verdict.doesNotApply("overlay mounts fail: " + failure.get());
            }
            return Verdict.applies(new StorageSelection(new OverlayStorageDriver(site.root(), site.runner()), "overlay: " + String.join("; ", notes)
                    + "; containers are overlayfs mounts with their image as the read-only lower layer."));
        }

        @Override
        public StorageSelection configured(Site site, String setting)
        {
            if (!site.isRoot()) {
                throw DollyException.storageFailed(setting + " but the daemon does not run as root, which overlay mounts need. Run it as root, or choose another driver.");
            }
            Optional<String> failure = OverlayStorageDriver.probe(site.root(), site.runner());
            if (failure.isPresent()) {
                throw DollyException.storageFailed(setting + " but overlay mounts do not work in " + site.root() + ": " + failure.get() + ". Choose another driver.");
            }
            return new StorageSelection(new OverlayStorageDriver(site.root(), site.runner()),
                    "overlay: " + setting + "; containers are overlayfs mounts with their image as the read-only lower layer.");
        }
    }

    /** Anywhere: every container a full copy of its image; the reason tells how to get a fast driver. */
    static final class Copy
            implements StorageStrategy
    {
        @Override
        public String name()
        {
            return "copy";
        }

        @Override
        public Verdict detect(Site site, List<String> notes)
        {
            return Verdict.applies(new StorageSelection(new CopyStorageDriver(site.root()), "copy: " + String.join("; ", notes)
                    + ", so every container is a full copy of its image. " + STORAGE_INIT_HINT));
        }

        @Override
        public StorageSelection configured(Site site, String setting)
        {
            return new StorageSelection(new CopyStorageDriver(site.root()), "copy: " + setting + "; every container is a full copy of its image.");
        }
    }

    private static boolean commandWorks(Site site, String... command)
    {
        return site.runner().run(List.of(command)).succeeded();
    }
}
