package dev.dolly.core.storage;

import dev.dolly.api.DollyException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HashSet;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static java.util.Objects.requireNonNull;

/**
 * The portable last resort: clones are full copies. Correct everywhere, but a clone costs as much time and disk as
 * the image is large.
 */
public final class CopyStorageDriver
        implements StorageDriver
{
    private final Path root;

    public CopyStorageDriver(Path root)
    {
        this.root = requireNonNull(root, "root is null");
    }

    @Override
    public String name()
    {
        return "copy";
    }

    @Override
    public Path createVolume(String key)
    {
        Path path = path(key);
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
        Path path = path(key);
        try {
            Files.walkFileTree(path, new SimpleFileVisitor<>()
            {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
                        throws IOException
                {
                    if (attributes.isRegularFile()) {
                        Set<PosixFilePermission> permissions = new HashSet<>(Files.getPosixFilePermissions(file));
                        permissions.removeAll(Set.of(PosixFilePermission.OWNER_WRITE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE));
                        Files.setPosixFilePermissions(file, permissions);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        }
        catch (IOException e) {
            throw DollyException.failed("Cannot seal the volume " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Path clone(String sourceKey, String targetKey)
    {
        Path source = path(sourceKey);
        Path target = path(targetKey);
        try {
            Files.createDirectories(target.getParent());
            Files.walkFileTree(source, new SimpleFileVisitor<>()
            {
                @Override
                public FileVisitResult preVisitDirectory(Path directory, BasicFileAttributes attributes)
                        throws IOException
                {
                    Path copy = target.resolve(source.relativize(directory).toString());
                    Files.copy(directory, copy, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
                        throws IOException
                {
                    Path copy = target.resolve(source.relativize(file).toString());
                    Files.copy(file, copy, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                    if (attributes.isRegularFile()) {
                        Set<PosixFilePermission> permissions = new HashSet<>(Files.getPosixFilePermissions(copy));
                        permissions.add(PosixFilePermission.OWNER_WRITE);
                        Files.setPosixFilePermissions(copy, permissions);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
            return target;
        }
        catch (IOException | UncheckedIOException e) {
            delete(targetKey);
            throw DollyException.failed("Cannot copy " + source + " to " + target + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Path path(String key)
    {
        requireNonNull(key, "key is null");
        Path path = root.resolve(key).normalize();
        if (!path.startsWith(root) || path.equals(root)) {
            throw new IllegalArgumentException("Volume key leaves the storage root: " + key);
        }
        return path;
    }

    @Override
    public boolean exists(String key)
    {
        return Files.isDirectory(path(key), LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public void delete(String key)
    {
        FileTrees.deleteRecursively(path(key));
    }

    @Override
    public OptionalLong sizeBytes(String key)
    {
        Path path = path(key);
        if (!Files.isDirectory(path)) {
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

}
