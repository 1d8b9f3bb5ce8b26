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
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * The portable last resort: clones are full copies. Correct everywhere, but a clone costs as much time and disk as
 * the image is large.
 */
public final class CopyStorageDriver
        extends DirectoryStorageDriver
{

    public CopyStorageDriver(Path root)
    {
        super(root);
    }

    @Override
    public String name()
    {
        return "copy";
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
                    if (directory.equals(source)) {
                        // the root comes sealed (0500): make it writable before copying into it
                        Volumes.setMode(copy, Volumes.WRITABLE_MODE);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
                        throws IOException
                {
                    Path copy = target.resolve(source.relativize(file).toString());
                    Files.copy(file, copy, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                    if (attributes.isRegularFile()) {
                        // images sealed by earlier versions made every file read-only
                        Set<PosixFilePermission> permissions = new HashSet<>(Files.getPosixFilePermissions(copy));
                        if (permissions.add(PosixFilePermission.OWNER_WRITE)) {
                            Files.setPosixFilePermissions(copy, permissions);
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
            Volumes.setMode(target, Volumes.WRITABLE_MODE);
            return target;
        }
        catch (IOException | UncheckedIOException | DollyException e) {
            delete(targetKey);
            throw DollyException.storageFailed("Cannot copy " + source + " to " + target + ": " + e.getMessage(), e);
        }
    }
}
