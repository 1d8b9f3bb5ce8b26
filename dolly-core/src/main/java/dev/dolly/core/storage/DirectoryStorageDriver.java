package dev.dolly.core.storage;

import dev.dolly.api.DollyException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

import static java.util.Objects.requireNonNull;

/**
 * What drivers whose volumes are directories below a root have in common: where a volume lives, creating an empty
 * one, telling whether it exists, deleting it, and the sizes of its files and of the file system. Drivers override
 * what their file system does differently (btrfs volumes are subvolumes, for one).
 */
abstract class DirectoryStorageDriver
        implements StorageDriver
{
    protected final Path root;

    DirectoryStorageDriver(Path root)
    {
        this.root = requireNonNull(root, "root is null").toAbsolutePath().normalize();
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
            throw DollyException.storageFailed("Cannot create the volume " + path + ": " + e.getMessage(), e);
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
        return Files.isDirectory(path(key), LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public void delete(String key)
    {
        FileTrees.deleteRecursively(path(key));
    }

    /** The size of the volume's files; with block sharing, more than the volume alone takes. */
    @Override
    public List<String> list()
    {
        return VolumeKeys.list(root);
    }

    @Override
    public OptionalLong sizeBytes(String key)
    {
        return Volumes.treeSize(path(key));
    }

    @Override
    public StorageUsage usage()
    {
        return Volumes.fileStoreUsage(root);
    }
}
