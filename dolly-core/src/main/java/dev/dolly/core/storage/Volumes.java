package dev.dolly.core.storage;

import dev.dolly.api.DollyException;
import dev.dolly.core.process.Command;
import dev.dolly.core.process.CommandRunner;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

import static java.util.Objects.requireNonNull;

/** What the drivers share: where a key lives, modes of volume roots, sizes, running tools. */
final class Volumes
{
    /** The mode of a sealed image's root: PostgreSQL refuses to start on it, which keeps the image unchanged. */
    static final String SEALED_MODE = "r-x------";
    /** The mode PostgreSQL wants on a data directory it runs on. */
    static final String WRITABLE_MODE = "rwx------";

    /** How long writing a file system to disk may take. */
    private static final Duration FLUSH_TIMEOUT = Duration.ofMinutes(10);

    private Volumes() {}

    /** The directory of a key below a root; a key may not leave the root nor name it. */
    static Path resolve(Path root, String key)
    {
        requireNonNull(key, "key is null");
        Path path = root.resolve(key).normalize();
        if (!path.startsWith(root) || path.equals(root)) {
            throw new IllegalArgumentException("Volume key leaves the storage root: " + key);
        }
        return path;
    }

    /**
     * Checks that {@code source} is an existing volume directory and that {@code target} does not exist yet, for an
     * operation ("clone", "snapshot") that is about to make {@code target} from {@code source}.
     */
    static void requireSourceAndFreeTarget(String operation, Path source, Path target)
    {
        if (!Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
            throw DollyException.storageFailed("Cannot " + operation + " " + source + ": it does not exist");
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw DollyException.storageFailed("Cannot " + operation + " " + source + " to " + target + ": the target exists already");
        }
    }

    static void createParent(Path path)
    {
        try {
            Files.createDirectories(path.getParent());
        }
        catch (IOException e) {
            throw DollyException.storageFailed("Cannot create " + path.getParent() + ": " + e.getMessage(), e);
        }
    }

    static void setMode(Path directory, String mode)
    {
        try {
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString(mode));
        }
        catch (IOException e) {
            throw DollyException.storageFailed("Cannot set the mode of " + directory + " to " + mode + ": " + e.getMessage(), e);
        }
    }

    /** The sum of the file sizes in a tree, or empty when it does not exist. */
    static OptionalLong treeSize(Path path)
    {
        if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            return OptionalLong.empty();
        }
        AtomicLong total = new AtomicLong();
        try {
            Files.walkFileTree(path, new SimpleFileVisitor<>()
            {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
                {
                    total.addAndGet(attributes.size());
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exception)
                {
                    return FileVisitResult.CONTINUE;
                }
            });
            return OptionalLong.of(total.get());
        }
        catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    /** Space of the file system holding a directory. */
    static StorageUsage fileStoreUsage(Path directory)
    {
        try {
            FileStore store = Files.getFileStore(directory);
            long total = store.getTotalSpace();
            return new StorageUsage(total, total - store.getUnallocatedSpace(), store.getUsableSpace());
        }
        catch (IOException e) {
            throw DollyException.storageFailed("Cannot read the space of the file system of " + directory + ": " + e.getMessage(), e);
        }
    }

    /** The file system type of a directory as the kernel names it: btrfs, xfs, ext4, zfs, tmpfs… */
    static String fileSystemType(Path directory)
    {
        try {
            return Files.getFileStore(directory).type();
        }
        catch (IOException e) {
            throw DollyException.storageFailed("Cannot tell the file system of " + directory + ": " + e.getMessage(), e);
        }
    }

    /** Writes what the file system of a directory holds in memory to disk ({@code sync --file-system}). */
    static void flush(CommandRunner runner, Path directory)
    {
        CommandRunner.Result result = runner.run(Command.of("sync", "--file-system", directory.toString()).withTimeout(FLUSH_TIMEOUT));
        if (!result.succeeded()) {
            throw DollyException.storageFailed("Could not flush " + directory + " to disk: " + result.output());
        }
    }

    /** Runs a command and fails with {@code failure} (what could not be done), the command's output and {@code advice}. */
    static String run(CommandRunner runner, List<String> command, String failure, String advice)
    {
        CommandRunner.Result result = runner.run(command);
        if (!result.succeeded()) {
            throw DollyException.storageFailed(failure + ": '" + String.join(" ", command) + "' exited with " + result.exitCode()
                    + (result.output().isEmpty() ? "" : ": " + result.output()) + (advice.isEmpty() ? "" : ". " + advice));
        }
        return result.output();
    }
}
