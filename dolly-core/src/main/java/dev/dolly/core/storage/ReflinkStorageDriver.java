package dev.dolly.core.storage;

import dev.dolly.core.process.CommandRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import static java.util.Objects.requireNonNull;

/**
 * Volumes are plain directories on a file system that shares blocks between files (XFS created with
 * {@code reflink=1}, btrfs, bcachefs); a clone is {@code cp -a --reflink=always} of the image: every file is a
 * reflink of the image's, sharing all its blocks until either side writes. The clone takes one {@code cp} process
 * for the whole tree and time in proportion to the number of files (PostgreSQL's data directories hold a few
 * thousand), not to their size. {@code --reflink=always} fails instead of falling back to copying bytes, so a clone
 * is never silently a full copy.
 */
public final class ReflinkStorageDriver
        extends DirectoryStorageDriver
{
    private static final int PROBE_BYTES = 256 * 1024;
    private static final int COPY_ON_WRITE_EXTENT_BYTES = 4096;
    private static final Logger LOG = LoggerFactory.getLogger(ReflinkStorageDriver.class);

    /** Directories that have the copy-on-write extent size hint already. */
    private final Set<Path> hinted = ConcurrentHashMap.newKeySet();

    private final CommandRunner runner;

    public ReflinkStorageDriver(Path root)
    {
        this(root, CommandRunner.system());
    }

    ReflinkStorageDriver(Path root, CommandRunner runner)
    {
        super(root);
        this.runner = requireNonNull(runner, "runner is null");
    }

    /**
     * Checks that a directory's file system really shares blocks: writes a probe file, clones it with
     * {@code cp --reflink=always} (which fails where the file system cannot), and asks the kernel with
     * {@code filefrag -v} (FIEMAP) whether the clone's extents are flagged {@code shared}. Returns why it cannot,
     * or empty when it can. The probe's files are removed.
     */
    public static Optional<String> probe(Path directory, CommandRunner runner)
    {
        Path probe = directory.resolve(".reflink-probe-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try {
            Files.createDirectory(probe);
            Path original = probe.resolve("original");
            byte[] bytes = new byte[PROBE_BYTES];
            ThreadLocalRandom.current().nextBytes(bytes);
            try (OutputStream output = Files.newOutputStream(original, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.SYNC)) {
                output.write(bytes);
            }
            Path clone = probe.resolve("clone");
            CommandRunner.Result copied = runner.run(List.of("cp", "--reflink=always", original.toString(), clone.toString()));
            if (!copied.succeeded()) {
                return Optional.of("'cp --reflink=always' fails there: " + copied.output());
            }
            CommandRunner.Result extents = runner.run(List.of("filefrag", "-v", clone.toString()));
            if (!extents.succeeded()) {
                return Optional.of("'filefrag -v' cannot tell whether blocks are shared there: " + extents.output());
            }
            if (extents.output().lines().noneMatch(line -> line.contains("shared"))) {
                return Optional.of("a file cloned with 'cp --reflink=always' shares no blocks with its original ('filefrag -v' shows no shared extent)");
            }
            return Optional.empty();
        }
        catch (IOException e) {
            return Optional.of("the probe could not write in " + directory + ": " + e.getMessage());
        }
        finally {
            FileTrees.deleteRecursively(probe);
        }
    }

    /**
     * Asks XFS to copy 4 KiB on a first write to a shared block, not its default 128 KiB (the copy-on-write extent size
     * hint, which new files and directories inherit from the directory): a container's first writes (its password,
     * the few WAL pages of a start) copy what they change, not 128 KiB each. An idle container of a 1 GB image took
     * 0.9 MiB instead of 1.1 MiB (median of 5; most of the rest is the inodes of its 1,300 files). Once per directory;
     * file systems without the hint (btrfs, bcachefs) keep theirs.
     */
    private void smallCopiesOnWrite(Path directory)
    {
        if (!hinted.add(directory)) {
            return;
        }
        try {
            CommandRunner.Result hint = runner.run(List.of("xfs_io", "-c", "cowextsize " + COPY_ON_WRITE_EXTENT_BYTES, directory.toString()));
            if (!hint.succeeded()) {
                LOG.debug("No copy-on-write extent size hint on {}: {}", directory, hint.output().strip());
            }
        }
        catch (RuntimeException e) {
            // no xfs_io (xfsprogs): clones copy the file system's default on a first write
            LOG.debug("No copy-on-write extent size hint on {}: {}", directory, e.getMessage());
        }
    }

    @Override
    public String name()
    {
        return "reflink";
    }

    @Override
    public void seal(String key)
    {
        Volumes.setMode(path(key), Volumes.SEALED_MODE);
    }

    @Override
    public Path clone(String sourceKey, String targetKey)
    {
        Path source = path(sourceKey);
        Path target = path(targetKey);
        Volumes.requireSourceAndFreeTarget("clone", source, target);
        Volumes.createParent(target);
        smallCopiesOnWrite(target.getParent());
        try {
            Volumes.run(runner, List.of("cp", "-a", "--reflink=always", source.toString(), target.toString()), "Cannot clone " + source + " to " + target,
                    "The file system of " + root + " must share blocks between files (XFS with reflink=1, btrfs, bcachefs); set DOLLY_STORAGE_DRIVER=copy to copy every byte instead");
            Volumes.setMode(target, Volumes.WRITABLE_MODE);
            return target;
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
    }
}
