package dev.dolly.core.image.build;

import dev.dolly.api.DollyException;
import dev.dolly.core.storage.StorageDriver;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Tells a build that failed because its file system was full from other failures, and says so: which file system,
 * how much it has free once the build's files are gone, and what to do. Servers and tools report a full disk in many
 * ways ({@code could not extend file …: No space left on device}, MariaDB's {@code errno: 28}, a server that crashed
 * writing its WAL), so both what the failure says and how full the file system was when it happened count.
 */
final class OutOfSpace
{
    private static final long MEGABYTE = 1024 * 1024;
    /** Below this much free (or 1% of the file system, whichever is more) when a step fails, the disk was full. */
    private static final long NEARLY_FULL_BYTES = 16 * MEGABYTE;
    private static final List<String> NO_SPACE_MESSAGES = List.of(
            "no space left on device", "enospc", "could not extend file", "errno: 28", "errcode: 28", "disk full", "' is full");

    private final Path location;
    private final boolean nearlyFull;

    private OutOfSpace(Path location, boolean nearlyFull)
    {
        this.location = location;
        this.nearlyFull = nearlyFull;
    }

    /** Looks at the file system of the build's volume (or where it would be) as a step fails. */
    static OutOfSpace atFailure(StorageDriver storage, String volume)
    {
        requireNonNull(storage, "storage is null");
        requireNonNull(volume, "volume is null");
        Path location;
        try {
            location = storage.path(volume);
        }
        catch (RuntimeException e) {
            return new OutOfSpace(Path.of("/"), false);
        }
        boolean nearlyFull = fileStore(location)
                .map(store -> {
                    try {
                        return store.getUsableSpace() < Math.max(NEARLY_FULL_BYTES, store.getTotalSpace() / 100);
                    }
                    catch (IOException e) {
                        return false;
                    }
                })
                .orElse(false);
        return new OutOfSpace(location, nearlyFull);
    }

    /**
     * The failure to report, once the failed build's files are removed: one that says the file system was full when it
     * was, else the failure itself.
     */
    Optional<DollyException> explain(Throwable failure, String imageName, String step)
    {
        if (!nearlyFull && !mentionsNoSpace(failure)) {
            return Optional.empty();
        }
        Optional<FileStore> store = fileStore(location);
        if (store.isEmpty()) {
            return Optional.empty();
        }
        long free;
        try {
            free = store.get().getUsableSpace();
        }
        catch (IOException e) {
            return Optional.empty();
        }
        String reason = failure.getMessage() == null ? failure.toString() : failure.getMessage();
        DollyException explained = DollyException.storageFailed("No space left on " + store.get() + " while building image '" + imageName + "' (step '" + step
                + "'): " + free / MEGABYTE + " MB free there now that the build's files are removed, and the backup needs more. Free some space there, "
                + "or move Dolly's storage to a larger file system (dolly storage init), then create the image again. (" + reason + ")");
        explained.addSuppressed(failure);
        return Optional.of(explained);
    }

    static boolean mentionsNoSpace(Throwable failure)
    {
        Set<Throwable> seen = new HashSet<>();
        return mentionsNoSpace(failure, seen);
    }

    private static boolean mentionsNoSpace(Throwable failure, Set<Throwable> seen)
    {
        if (failure == null || !seen.add(failure)) {
            return false;
        }
        String message = String.valueOf(failure.getMessage()).toLowerCase(Locale.ROOT);
        if (NO_SPACE_MESSAGES.stream().anyMatch(message::contains)) {
            return true;
        }
        for (Throwable suppressed : failure.getSuppressed()) {
            if (mentionsNoSpace(suppressed, seen)) {
                return true;
            }
        }
        return mentionsNoSpace(failure.getCause(), seen);
    }

    /** The file system of a path, or of its nearest existing parent when it is gone. */
    private static Optional<FileStore> fileStore(Path path)
    {
        for (Path existing = path.toAbsolutePath(); existing != null; existing = existing.getParent()) {
            if (Files.exists(existing)) {
                try {
                    return Optional.of(Files.getFileStore(existing));
                }
                catch (IOException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }
}
