package dev.dolly.core.storage;

import dev.dolly.api.DollyException;
import dev.dolly.core.process.CommandRunner;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

import static java.util.Objects.requireNonNull;

/**
 * Volumes are ZFS datasets below a configured dataset ({@code DOLLY_ZFS_DATASET}, such as {@code tank/dolly}),
 * mounted where the storage root has them: {@code images/12} is {@code tank/dolly/images/12} mounted on
 * {@code STORAGE_ROOT/images/12}. Sealing takes the snapshot {@code @sealed} and makes the dataset read-only; a
 * clone is {@code zfs clone} of that snapshot: atomic and instantaneous. A {@link #snapshot} of a stopped container
 * (a revision) is a ZFS snapshot of its dataset named after the target ({@code @revisions-7-2}), cloned into the
 * target's dataset and sealed like an image. Clones keep their origin snapshot alive; deleting a dataset whose
 * snapshots have clones first hands those snapshots over to a clone ({@code zfs promote}), so that any volume can be
 * deleted before the volumes made from it.
 *
 * <p>Tested against the exact commands only, with a fake runner: not yet on a real pool.
 */
public final class ZfsStorageDriver
        implements StorageDriver
{
    static final String SEAL_SNAPSHOT = "sealed";

    private final Path root;
    private final String dataset;
    private final CommandRunner runner;

    public ZfsStorageDriver(Path root, String dataset)
    {
        this(root, dataset, CommandRunner.system());
    }

    ZfsStorageDriver(Path root, String dataset, CommandRunner runner)
    {
        this.root = requireNonNull(root, "root is null").toAbsolutePath().normalize();
        this.dataset = requireNonNull(dataset, "dataset is null");
        this.runner = requireNonNull(runner, "runner is null");
    }

    @Override
    public String name()
    {
        return "zfs";
    }

    @Override
    public Path createVolume(String key)
    {
        Path path = path(key);
        if (datasetExists(dataset(key))) {
            throw DollyException.storageFailed("Cannot create the volume " + path + ": the dataset " + dataset(key) + " exists already");
        }
        Volumes.run(runner, List.of("zfs", "create", "-p", "-o", "mountpoint=" + path, dataset(key)), "Cannot create the dataset " + dataset(key), "");
        return path;
    }

    @Override
    public void seal(String key)
    {
        Volumes.setMode(path(key), Volumes.SEALED_MODE);
        Volumes.run(runner, List.of("zfs", "snapshot", snapshot(key)), "Cannot snapshot " + dataset(key), "");
        Volumes.run(runner, List.of("zfs", "set", "readonly=on", dataset(key)), "Cannot make " + dataset(key) + " read-only", "");
    }

    @Override
    public Path clone(String sourceKey, String targetKey)
    {
        Path target = path(targetKey);
        Volumes.run(runner, List.of("zfs", "clone", "-p", "-o", "mountpoint=" + target, snapshot(sourceKey), dataset(targetKey)),
                "Cannot clone " + snapshot(sourceKey) + " to " + dataset(targetKey), "Only sealed images can be cloned");
        try {
            Volumes.setMode(target, Volumes.WRITABLE_MODE);
        }
        catch (RuntimeException e) {
            try {
                delete(targetKey);
            }
            catch (RuntimeException cleanupFailure) {
                e.addSuppressed(cleanupFailure);
            }
            throw e;
        }
        return target;
    }

    @Override
    public void snapshot(String sourceKey, String targetKey)
    {
        String snapshot = dataset(sourceKey) + "@" + targetKey.replace('/', '-');
        Path target = path(targetKey);
        Volumes.run(runner, List.of("zfs", "snapshot", snapshot), "Cannot snapshot " + dataset(sourceKey), "");
        try {
            Volumes.run(runner, List.of("zfs", "clone", "-p", "-o", "mountpoint=" + target, snapshot, dataset(targetKey)),
                    "Cannot clone " + snapshot + " to " + dataset(targetKey), "");
            seal(targetKey);
        }
        catch (RuntimeException e) {
            try {
                delete(targetKey);
                runner.run(List.of("zfs", "destroy", snapshot));
            }
            catch (RuntimeException cleanupFailure) {
                e.addSuppressed(cleanupFailure);
            }
            throw e;
        }
    }

    @Override
    public Path path(String key)
    {
        return Volumes.resolve(root, key);
    }

    @Override
    public boolean exists(String key)
    {
        return datasetExists(dataset(key));
    }

    /** Mounts the dataset unless ZFS did it already when the pool was imported. */
    @Override
    public void activate(String key)
    {
        String mounted = Volumes.run(runner, List.of("zfs", "get", "-H", "-o", "value", "mounted", dataset(key)), "Cannot tell whether " + dataset(key) + " is mounted", "");
        if (!mounted.strip().equals("yes")) {
            Volumes.run(runner, List.of("zfs", "mount", dataset(key)), "Cannot mount " + dataset(key), "");
        }
    }

    /**
     * Destroys the dataset and its snapshots. Clones of its snapshots (revisions of a container, containers of an
     * image) are promoted first, one at a time, until none is left: each promotion moves the snapshots it needs to the
     * clone, and the dataset becomes a clone itself.
     */
    @Override
    public void delete(String key)
    {
        String name = dataset(key);
        if (!datasetExists(name)) {
            return;
        }
        for (int promotions = 0; promotions < 10_000; promotions++) {
            List<String> clones = clonesOfSnapshots(name);
            if (clones.isEmpty()) {
                break;
            }
            Volumes.run(runner, List.of("zfs", "promote", clones.getLast()), "Cannot promote " + clones.getLast() + " to delete " + name, "");
        }
        Volumes.run(runner, List.of("zfs", "destroy", "-r", name), "Cannot destroy " + name, "");
    }

    /** The datasets cloned from the snapshots of a dataset, oldest snapshot first. */
    private List<String> clonesOfSnapshots(String name)
    {
        String output = Volumes.run(runner, List.of("zfs", "list", "-H", "-t", "snapshot", "-d", "1", "-o", "clones", name), "Cannot list the snapshots of " + name, "");
        return output.lines()
                .flatMap(line -> java.util.Arrays.stream(line.split(",")))
                .map(String::strip)
                .filter(clone -> !clone.isEmpty() && !clone.equals("-"))
                .toList();
    }

    /** The dataset's {@code used} property: for a clone, the bytes it wrote on its own. */
    @Override
    public List<String> list()
    {
        return VolumeKeys.list(root);
    }

    @Override
    public OptionalLong sizeBytes(String key)
    {
        CommandRunner.Result result = runner.run(List.of("zfs", "get", "-Hp", "-o", "value", "used", dataset(key)));
        if (!result.succeeded()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(result.output().strip()));
        }
        catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** The configured dataset's {@code used} and {@code available}: the pool's space as this dataset can use it. */
    @Override
    public StorageUsage usage()
    {
        String output = Volumes.run(runner, List.of("zfs", "get", "-Hp", "-o", "value", "used,available", dataset), "Cannot read the space of " + dataset, "");
        List<String> values = output.lines().map(String::strip).toList();
        try {
            long used = Long.parseLong(values.get(0));
            long available = Long.parseLong(values.get(1));
            return new StorageUsage(used + available, used, available);
        }
        catch (RuntimeException e) {
            throw DollyException.storageFailed("Cannot read the space of " + dataset + " from 'zfs get': " + output, e);
        }
    }

    /** The dataset of a key: the key's segments become nested datasets. */
    String dataset(String key)
    {
        Path relative = root.relativize(path(key));
        return dataset + "/" + relative.toString().replace('\\', '/');
    }

    private String snapshot(String key)
    {
        return dataset(key) + "@" + SEAL_SNAPSHOT;
    }

    private boolean datasetExists(String name)
    {
        return runner.run(List.of("zfs", "list", "-H", "-o", "name", name)).succeeded();
    }
}
