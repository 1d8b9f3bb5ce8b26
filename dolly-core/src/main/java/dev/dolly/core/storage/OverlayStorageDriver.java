package dev.dolly.core.storage;

import dev.dolly.api.DollyException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

/**
 * Copy-on-write with overlayfs, on any file system (ext4 included); needs root. An image's volume is a plain
 * directory, the read-only lower layer. A clone is a directory holding {@code upper/} (the files the container
 * wrote), {@code work/} (overlayfs' own), {@code merged/} (the overlay mount, the directory PostgreSQL runs on) and
 * {@code layers} (the keys of its lower layers, one a line, so that it can be mounted again after a restart):
 *
 * <pre>mount -t overlay overlay -o lowerdir=IMAGE,upperdir=UPPER,workdir=WORK MERGED</pre>
 *
 * <p>Writing to a file of the image copies the whole file up first: PostgreSQL keeps tables in files of up to
 * 1 GB, so the first write to a big table costs a copy of that segment (a reflink instead, when the storage root is
 * on XFS or btrfs). Mounts are gone after a reboot; {@link #activate} mounts a clone again.
 */
public final class OverlayStorageDriver
        implements StorageDriver
{
    private static final String LAYERS = "layers";
    private static final String UPPER = "upper";
    private static final String WORK = "work";
    private static final String MERGED = "merged";

    private final Path root;
    private final CommandRunner runner;

    public OverlayStorageDriver(Path root)
    {
        this(root, CommandRunner.system());
    }

    OverlayStorageDriver(Path root, CommandRunner runner)
    {
        this.root = requireNonNull(root, "root is null").toAbsolutePath().normalize();
        this.runner = requireNonNull(runner, "runner is null");
        checkMountable(this.root);
    }

    /**
     * Checks that overlay mounts work in a directory: mounts a small overlay there, reads a file of its lower layer
     * through it and unmounts it. Returns why it cannot, or empty when it can. Needs root.
     */
    public static Optional<String> probe(Path directory, CommandRunner runner)
    {
        Path probe = directory.resolve(".overlay-probe-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        Path merged = probe.resolve(MERGED);
        try {
            checkMountable(directory);
            for (String name : List.of("lower", UPPER, WORK, MERGED)) {
                Files.createDirectories(probe.resolve(name));
            }
            Files.writeString(probe.resolve("lower").resolve("file"), "lower");
            CommandRunner.Result mounted = runner.run(mountCommand(List.of(probe.resolve("lower")), probe.resolve(UPPER), probe.resolve(WORK), merged));
            if (!mounted.succeeded()) {
                return Optional.of("mounting an overlay there fails: " + mounted.output());
            }
            try {
                if (!Files.readString(merged.resolve("file")).equals("lower")) {
                    return Optional.of("an overlay mounted there does not show its lower layer");
                }
            }
            finally {
                runner.run(List.of("umount", merged.toString()));
            }
            return Optional.empty();
        }
        catch (IOException | DollyException e) {
            return Optional.of("the probe failed in " + directory + ": " + e.getMessage());
        }
        finally {
            if (!isMountPoint(merged)) {
                FileTrees.deleteRecursively(probe);
            }
        }
    }

    @Override
    public String name()
    {
        return "overlay";
    }

    @Override
    public Path createVolume(String key)
    {
        Path path = directory(key);
        try {
            Files.createDirectories(path.getParent());
            Files.createDirectory(path);
            return path;
        }
        catch (IOException e) {
            throw DollyException.failed("Cannot create the volume " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void seal(String key)
    {
        Path path = directory(key);
        if (isLayered(path)) {
            throw DollyException.failed("Cannot seal " + key + ": it is an overlay of another volume, and only plain volumes can be sealed so far");
        }
        Volumes.setMode(path, Volumes.SEALED_MODE);
    }

    @Override
    public Path clone(String sourceKey, String targetKey)
    {
        Path lower = directory(sourceKey);
        Path target = directory(targetKey);
        if (!Files.isDirectory(lower, LinkOption.NOFOLLOW_LINKS)) {
            throw DollyException.failed("Cannot clone " + lower + ": it does not exist");
        }
        if (isLayered(lower)) {
            throw DollyException.failed("Cannot clone " + sourceKey + ": it is an overlay itself, and overlays of overlays are not supported yet");
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw DollyException.failed("Cannot clone " + lower + " to " + target + ": the target exists already");
        }
        try {
            Files.createDirectories(target.getParent());
            Files.createDirectory(target);
            Files.createDirectory(target.resolve(WORK));
            Files.createDirectory(target.resolve(MERGED));
            Path upper = Files.createDirectory(target.resolve(UPPER));
            // the merged root shows the upper root's owner and mode: those PostgreSQL checks
            PosixFileAttributes lowerAttributes = Files.readAttributes(lower, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            PosixFileAttributeView upperView = Files.getFileAttributeView(upper, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
            upperView.setOwner(lowerAttributes.owner());
            upperView.setGroup(lowerAttributes.group());
            Volumes.setMode(upper, Volumes.WRITABLE_MODE);
            Files.writeString(target.resolve(LAYERS), sourceKey + "\n", UTF_8);
            mount(target);
            return target.resolve(MERGED);
        }
        catch (IOException | RuntimeException e) {
            try {
                delete(targetKey);
            }
            catch (RuntimeException cleanupFailure) {
                e.addSuppressed(cleanupFailure);
            }
            if (e instanceof DollyException dollyException) {
                throw dollyException;
            }
            throw DollyException.failed("Cannot clone " + lower + " to " + target + ": " + e.getMessage(), e);
        }
    }

    /** The volume's directory, or for a clone the overlay mounted below it. */
    @Override
    public Path path(String key)
    {
        Path directory = directory(key);
        return isLayered(directory) ? directory.resolve(MERGED) : directory;
    }

    @Override
    public boolean exists(String key)
    {
        return Files.isDirectory(directory(key), LinkOption.NOFOLLOW_LINKS);
    }

    /** Mounts a clone's overlay unless it is mounted already (as {@code /proc/self/mountinfo} tells). */
    @Override
    public void activate(String key)
    {
        Path directory = directory(key);
        if (isLayered(directory) && !isMountPoint(directory.resolve(MERGED))) {
            mount(directory);
        }
    }

    /** Unmounts a clone (lazily when it stays busy), then removes its directory. */
    @Override
    public void delete(String key)
    {
        Path directory = directory(key);
        if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Path merged = directory.resolve(MERGED);
        if (isLayered(directory) && isMountPoint(merged)) {
            unmount(merged);
        }
        FileTrees.deleteRecursively(directory);
    }

    /** For a clone, the size of the files it wrote (its upper layer); otherwise the size of its files. */
    @Override
    public OptionalLong sizeBytes(String key)
    {
        Path directory = directory(key);
        return isLayered(directory) ? Volumes.treeSize(directory.resolve(UPPER)) : Volumes.treeSize(directory);
    }

    @Override
    public StorageUsage usage()
    {
        return Volumes.fileStoreUsage(root);
    }

    private Path directory(String key)
    {
        return Volumes.resolve(root, key);
    }

    private void mount(Path directory)
    {
        List<Path> lowers = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(directory.resolve(LAYERS), UTF_8)) {
                if (!line.isBlank()) {
                    lowers.add(directory(line.strip()));
                }
            }
        }
        catch (IOException e) {
            throw DollyException.failed("Cannot read the layers of " + directory + ": " + e.getMessage(), e);
        }
        for (Path lower : lowers) {
            if (!Files.isDirectory(lower, LinkOption.NOFOLLOW_LINKS)) {
                throw DollyException.failed("Cannot mount " + directory.resolve(MERGED) + ": its image " + lower + " is missing. Delete the container and create a new one");
            }
        }
        Volumes.run(runner, mountCommand(lowers, directory.resolve(UPPER), directory.resolve(WORK), directory.resolve(MERGED)),
                "Cannot mount the overlay " + directory.resolve(MERGED), "Overlay mounts need root, and a kernel with overlayfs; set DOLLY_STORAGE_DRIVER=copy to copy every byte instead");
    }

    private void unmount(Path merged)
    {
        for (int attempt = 0; attempt < 2; attempt++) {
            if (runner.run(List.of("umount", merged.toString())).succeeded() || !isMountPoint(merged)) {
                return;
            }
            try {
                Thread.sleep(500);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        // still busy, such as a shell in it: detach it now, the kernel lets go when the last user leaves
        Volumes.run(runner, List.of("umount", "-l", merged.toString()), "Cannot unmount " + merged, "Stop what uses it and delete again");
        if (isMountPoint(merged)) {
            throw DollyException.failed("Cannot unmount " + merged + ". Stop what uses it and delete again.");
        }
    }

    private static List<String> mountCommand(List<Path> lowers, Path upper, Path work, Path merged)
    {
        String lowerDirectories = lowers.stream().map(Path::toString).collect(Collectors.joining(":"));
        return List.of("mount", "-t", "overlay", "overlay", "-o", "lowerdir=" + lowerDirectories + ",upperdir=" + upper + ",workdir=" + work, merged.toString());
    }

    private static boolean isLayered(Path directory)
    {
        return Files.isRegularFile(directory.resolve(LAYERS), LinkOption.NOFOLLOW_LINKS) && Files.isDirectory(directory.resolve(MERGED), LinkOption.NOFOLLOW_LINKS);
    }

    /** Mount options separate with commas and lower layers with colons: paths must not hold them. */
    private static void checkMountable(Path root)
    {
        String path = root.toString();
        if (path.contains(",") || path.contains(":") || path.contains("\\")) {
            throw DollyException.failed("The overlay storage driver cannot use " + root + ": overlay mount options cannot name paths with ',', ':' or '\\'. "
                    + "Choose a DOLLY_HOME without them, or set DOLLY_STORAGE_DRIVER=copy");
        }
    }

    /** Whether a directory is a mount point, as {@code /proc/self/mountinfo} tells. */
    static boolean isMountPoint(Path directory)
    {
        Path resolved;
        try {
            resolved = directory.toRealPath();
        }
        catch (IOException e) {
            return false;
        }
        return mountPoints().contains(resolved.toString());
    }

    private static Set<String> mountPoints()
    {
        try {
            return Files.readAllLines(Path.of("/proc/self/mountinfo"), UTF_8).stream()
                    .map(line -> line.split(" "))
                    .filter(fields -> fields.length > 4)
                    .map(fields -> unescape(fields[4]))
                    .collect(Collectors.toSet());
        }
        catch (IOException e) {
            throw DollyException.failed("Cannot read /proc/self/mountinfo: " + e.getMessage(), e);
        }
    }

    /** mountinfo writes space, tab, newline and backslash in paths as octal escapes such as {@code \040}. */
    private static String unescape(String field)
    {
        StringBuilder result = new StringBuilder(field.length());
        for (int index = 0; index < field.length(); index++) {
            char character = field.charAt(index);
            if (character == '\\' && index + 3 < field.length() && field.substring(index + 1, index + 4).chars().allMatch(digit -> digit >= '0' && digit <= '7')) {
                result.append((char) Integer.parseInt(field.substring(index + 1, index + 4), 8));
                index += 3;
            }
            else {
                result.append(character);
            }
        }
        return result.toString();
    }
}
