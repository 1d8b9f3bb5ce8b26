package dev.dolly.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A file system of its own for one storage driver: a sparse file, formatted and loop-mounted (as
 * {@code .ci/test-filesystems} does). Removing it unmounts everything below the mount point and deletes the file,
 * so whatever was left inside (read-only btrfs subvolumes, overlay mounts) goes with it.
 */
final class LoopFilesystem
{
    private final String type;
    private final Path image;
    private final Path mountpoint;
    private boolean mounted;

    private LoopFilesystem(String type, Path image, Path mountpoint)
    {
        this.type = requireNonNull(type, "type is null");
        this.image = requireNonNull(image, "image is null");
        this.mountpoint = requireNonNull(mountpoint, "mountpoint is null");
    }

    /** Makes and mounts a file system of the type (btrfs, xfs with reflink=1, ext4) in {@code directory/name.img}. */
    static LoopFilesystem create(Path directory, String name, String type, long sizeBytes)
            throws IOException, InterruptedException
    {
        LoopFilesystem filesystem = new LoopFilesystem(type, directory.resolve(name + ".img"), directory.resolve(name));
        try {
            filesystem.make(sizeBytes);
        }
        catch (IOException | InterruptedException | RuntimeException e) {
            filesystem.remove();
            throw e;
        }
        return filesystem;
    }

    private void make(long sizeBytes)
            throws IOException, InterruptedException
    {
        List<String> mkfs = switch (type) {
            case "btrfs" -> List.of("mkfs.btrfs", "-q", "-f");
            case "xfs" -> List.of("mkfs.xfs", "-q", "-f", "-m", "reflink=1");
            case "ext4" -> List.of("mkfs.ext4", "-q", "-F");
            default -> throw new IllegalArgumentException("Unknown file system type " + type);
        };
        Files.createDirectories(mountpoint);
        Commands.run(List.of("truncate", "-s", String.valueOf(sizeBytes), image.toString()));
        List<String> format = new ArrayList<>(mkfs);
        format.add(image.toString());
        Commands.run(format);
        Commands.run(List.of("mount", "-o", "loop", image.toString(), mountpoint.toString()));
        mounted = true;
        // engines run as an unprivileged user: the way down to DOLLY_HOME must be open to it
        Files.setPosixFilePermissions(mountpoint, PosixFilePermissions.fromString("rwx--x--x"));
    }

    String type()
    {
        return type;
    }

    Path mountpoint()
    {
        return mountpoint;
    }

    /** Unmounts (with everything mounted below) and deletes the file. */
    void remove()
    {
        if (mounted || isMountpoint()) {
            try {
                Commands.run(List.of("umount", "-R", mountpoint.toString()));
            }
            catch (IOException | InterruptedException | RuntimeException e) {
                System.err.println("Warning: umount " + mountpoint + " failed (" + e.getMessage().strip() + "); unmounting it lazily");
                try {
                    Commands.run(List.of("umount", "-R", "-l", mountpoint.toString()));
                }
                catch (IOException | InterruptedException | RuntimeException again) {
                    System.err.println("Warning: could not unmount " + mountpoint + ": " + again.getMessage());
                    return;
                }
            }
            mounted = false;
        }
        try {
            Files.deleteIfExists(image);
            Files.deleteIfExists(mountpoint);
        }
        catch (IOException e) {
            System.err.println("Warning: could not delete " + image + " or " + mountpoint + ": " + e.getMessage());
        }
    }

    private boolean isMountpoint()
    {
        try {
            return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                    .map(line -> line.split(" ")[4])
                    .anyMatch(point -> point.equals(mountpoint.toString()));
        }
        catch (IOException e) {
            return false;
        }
    }
}
