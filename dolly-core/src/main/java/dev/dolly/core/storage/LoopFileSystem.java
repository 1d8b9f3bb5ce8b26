package dev.dolly.core.storage;

import dev.dolly.api.DollyException;
import dev.dolly.api.ErrorCode;
import dev.dolly.api.Json;
import dev.dolly.api.NextStep;
import dev.dolly.core.CrashPoints;
import dev.dolly.core.process.Command;
import dev.dolly.core.process.CommandRunner;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * Dolly's storage on a loop-mounted file system kept in a file of {@code DOLLY_HOME}: how a host whose own file
 * system cannot share blocks (ext4) gets instant clones. {@code dolly storage init} creates it; the daemon mounts
 * it again whenever it starts (after a reboot, say).
 */
public final class LoopFileSystem
{
    private static final Logger LOG = LoggerFactory.getLogger(LoopFileSystem.class);
    private static final String FILE_NAME = "storage.img";
    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(5);
    private static final long MINIMUM_SIZE = 1L << 30;

    /**
     * What {@code DOLLY_HOME/storage.json} records.
     *
     * @param file the file holding the file system
     */
    public record Description(String fileSystem, long sizeBytes, String file) {}

    private LoopFileSystem() {}

    public static Path descriptionFile(Path home)
    {
        return home.resolve("storage.json");
    }

    public static Optional<Description> read(Path home)
    {
        Path file = descriptionFile(home);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.json().readValue(file.toFile(), Description.class));
        }
        catch (IOException e) {
            throw DollyException.storageFailed("Cannot read " + file + ": " + e.getMessage() + ". Fix or remove it.", e);
        }
    }

    /** Mounts the recorded file system on the storage root unless it is mounted already. */
    public static void mountIfRecorded(Path home, Path storageRoot)
    {
        Optional<Description> description = read(home);
        if (description.isEmpty() || isMountPoint(storageRoot)) {
            return;
        }
        Path file = Path.of(description.get().file());
        if (!Files.isRegularFile(file)) {
            throw DollyException.storageFailed("The storage file system " + file + " recorded in " + descriptionFile(home) + " is missing. "
                    + "Restore it, or remove " + descriptionFile(home) + " to go back to storage on " + home + "'s own file system.");
        }
        try {
            Files.createDirectories(storageRoot);
        }
        catch (IOException e) {
            throw DollyException.storageFailed("Cannot create " + storageRoot + ": " + e.getMessage(), e);
        }
        run(List.of("mount", "-o", "loop", file.toString(), storageRoot.toString()), "mount the storage file system " + file);
    }

    /**
     * Checks a request for a file system before anything is changed, and gives the {@code mkfs} command line for it.
     *
     * @throws DollyException with {@code BAD_INPUT} for a file system that is not supported or a size under 1G
     */
    public static List<String> checkRequest(long sizeBytes, String fileSystem)
    {
        List<String> mkfs = switch (fileSystemType(fileSystem)) {
            case "btrfs" -> new ArrayList<>(List.of("mkfs.btrfs", "-q", "-f"));
            case "xfs" -> new ArrayList<>(List.of("mkfs.xfs", "-q", "-f", "-m", "reflink=1"));
            default -> throw DollyException.badInput("--fs '" + fileSystem + "' is not supported: use btrfs or xfs.");
        };
        if (sizeBytes < MINIMUM_SIZE) {
            throw DollyException.badInput("--size must be at least 1G: images and containers live there.");
        }
        return mkfs;
    }

    private static String fileSystemType(String fileSystem)
    {
        return fileSystem == null || fileSystem.isBlank() ? "btrfs" : fileSystem.toLowerCase(Locale.ROOT);
    }

    /**
     * Creates the file, the file system in it, mounts it on the (empty) storage root and records it.
     *
     * @param fileSystem {@code btrfs} or {@code xfs} (with reflink)
     */
    public static Description create(Path home, Path storageRoot, long sizeBytes, String fileSystem)
    {
        requireNonNull(home, "home is null");
        requireNonNull(storageRoot, "storageRoot is null");
        List<String> mkfs = checkRequest(sizeBytes, fileSystem);
        String type = fileSystemType(fileSystem);
        if (!isRoot()) {
            throw new DollyException(ErrorCode.BAD_INPUT, "Creating a loop-mounted file system needs root.", NextStep.of(NextStep.Kind.RUN_AS_ROOT));
        }
        Optional<Description> existing = read(home);
        if (existing.isPresent()) {
            throw new DollyException(ErrorCode.ALREADY_EXISTS, "Dolly's storage is already a " + existing.get().fileSystem() + " file system in "
                    + existing.get().file() + ".");
        }
        if (isMountPoint(storageRoot)) {
            throw new DollyException(ErrorCode.ALREADY_EXISTS, storageRoot + " is already a mount point: Dolly's storage has its own file system.");
        }
        removeEmptyDirectories(storageRoot);
        Path file = home.resolve(FILE_NAME);
        try {
            if (Files.exists(file)) {
                throw new DollyException(ErrorCode.ALREADY_EXISTS, file + " exists already. Remove it if it is left over from an earlier attempt.");
            }
            try (RandomAccessFile sparse = new RandomAccessFile(file.toFile(), "rw")) {
                sparse.setLength(sizeBytes);
            }
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            mkfs.add(file.toString());
            run(mkfs, "create a " + type + " file system in " + file + " (is " + (type.equals("btrfs") ? "btrfs-progs" : "xfsprogs") + " installed?)");
            CrashPoints.reached(CrashPoints.STORAGE_INIT_FORMATTED);
            Files.createDirectories(storageRoot);
            run(List.of("mount", "-o", "loop", file.toString(), storageRoot.toString()), "mount " + file + " on " + storageRoot);
            CrashPoints.reached(CrashPoints.STORAGE_INIT_MOUNTED);
            Files.setPosixFilePermissions(storageRoot, PosixFilePermissions.fromString("rwx--x--x"));
            Description description = new Description(type, sizeBytes, file.toString());
            Files.write(descriptionFile(home), Json.json().writerWithDefaultPrettyPrinter().writeValueAsBytes(description));
            return description;
        }
        catch (IOException | RuntimeException e) {
            // nothing half-made: no mount, no file, no record
            if (isMountPoint(storageRoot)) {
                runQuietly(List.of("umount", storageRoot.toString()));
            }
            try {
                Files.deleteIfExists(descriptionFile(home));
                if (!(e instanceof DollyException dollyException && dollyException.errorCode() == ErrorCode.ALREADY_EXISTS)) {
                    Files.deleteIfExists(file);
                }
            }
            catch (IOException ignored) {
                // reported below
            }
            if (e instanceof DollyException dollyException) {
                throw dollyException;
            }
            throw DollyException.storageFailed("Cannot create the storage file system: " + e.getMessage(), e);
        }
    }

    /**
     * Removes what a {@code storage init} stopped half-way (a crash) left: the file of a file system that was never
     * recorded, and its loop mount on the storage root, so that the storage is where it was and the init can run
     * again. A file system someone else mounted on the storage root is left alone.
     */
    public static void removeUnrecorded(Path home, Path storageRoot)
    {
        Path file = home.resolve(FILE_NAME);
        if (read(home).isPresent() || !Files.exists(file)) {
            return;
        }
        LOG.info("Removing {}, left by a storage init that did not finish", file);
        if (isMountPoint(storageRoot) && mountedFile(storageRoot).filter(file.toAbsolutePath().normalize()::equals).isPresent()) {
            run(List.of("umount", storageRoot.toString()), "unmount " + storageRoot + " of an unfinished storage init");
        }
        try {
            Files.deleteIfExists(file);
        }
        catch (IOException e) {
            throw DollyException.storageFailed("Cannot remove " + file + ", left by a storage init that did not finish: " + e.getMessage(), e);
        }
    }

    /** The file behind the loop device mounted on a directory, if a loop device is mounted there. */
    private static Optional<Path> mountedFile(Path directory)
    {
        String target = directory.toAbsolutePath().normalize().toString();
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/mountinfo"))) {
            Optional<String> source = lines.map(line -> line.split(" "))
                    .filter(fields -> fields.length > 4 && unescape(fields[4]).equals(target))
                    .reduce((first, second) -> second)
                    .flatMap(fields -> {
                        // the fields after "-": the file system type, then the source
                        for (int index = 5; index + 2 < fields.length; index++) {
                            if (fields[index].equals("-")) {
                                return Optional.of(unescape(fields[index + 2]));
                            }
                        }
                        return Optional.empty();
                    });
            if (source.isEmpty() || !source.get().startsWith("/dev/loop")) {
                return Optional.empty();
            }
            Path backingFile = Path.of("/sys/block", Path.of(source.get()).getFileName().toString(), "loop", "backing_file");
            if (!Files.isReadable(backingFile)) {
                return Optional.empty();
            }
            return Optional.of(Path.of(Files.readString(backingFile).strip()).toAbsolutePath().normalize());
        }
        catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Whether a directory is a mount point, from /proc/self/mountinfo. */
    public static boolean isMountPoint(Path directory)
    {
        Path mountInfo = Path.of("/proc/self/mountinfo");
        if (!Files.isReadable(mountInfo)) {
            return false;
        }
        String target = directory.toAbsolutePath().normalize().toString();
        try (Stream<String> lines = Files.lines(mountInfo)) {
            return lines.map(line -> line.split(" "))
                    .filter(fields -> fields.length > 4)
                    .anyMatch(fields -> unescape(fields[4]).equals(target));
        }
        catch (IOException e) {
            return false;
        }
    }

    private static String unescape(String field)
    {
        return field.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }

    private static void removeEmptyDirectories(Path storageRoot)
    {
        if (!Files.isDirectory(storageRoot)) {
            return;
        }
        try (Stream<Path> entries = Files.list(storageRoot)) {
            for (Path entry : entries.toList()) {
                if (Files.isRegularFile(entry) && entry.getFileName().toString().equals("driver")) {
                    // the record of the driver in use: the new file system will get its own
                    Files.delete(entry);
                    continue;
                }
                boolean empty;
                try (Stream<Path> children = Files.isDirectory(entry) ? Files.list(entry) : Stream.of(entry)) {
                    empty = Files.isDirectory(entry) && children.findAny().isEmpty();
                }
                if (!empty) {
                    throw DollyException.badInput(storageRoot + " is not empty (" + entry.getFileName() + "): delete all images and containers before moving "
                            + "Dolly's storage to its own file system.");
                }
                Files.delete(entry);
            }
        }
        catch (IOException e) {
            throw DollyException.storageFailed("Cannot prepare " + storageRoot + ": " + e.getMessage(), e);
        }
    }

    private static boolean isRoot()
    {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void run(List<String> command, String what)
    {
        CommandRunner.Result result = CommandRunner.system().run(Command.of(command).withTimeout(COMMAND_TIMEOUT));
        if (!result.succeeded()) {
            throw DollyException.storageFailed("Cannot " + what + ": " + result.output());
        }
    }

    private static void runQuietly(List<String> command)
    {
        try {
            run(command, String.join(" ", command));
        }
        catch (DollyException ignored) {
            // best effort while cleaning up
        }
    }
}
