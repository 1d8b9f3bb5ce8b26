package dev.dolly.core.storage;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

class CopyStorageDriverTest
        extends AbstractStorageDriverTest
{
    @Override
    Path fileSystem()
    {
        return MountedTestFileSystems.require(MountedTestFileSystems.EXT4);
    }

    @Override
    StorageDriver createDriver(Path root)
    {
        return new CopyStorageDriver(root);
    }

    @Override
    boolean sharesBlocks()
    {
        return false;
    }

    @Test
    void sealingLeavesTheFilesWritableAndClonesOfOldImagesGetWritableFiles()
            throws IOException
    {
        Path image = createImage(IMAGE);
        driver.seal(IMAGE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(image.resolve("PG_VERSION")))).startsWith("rw");
        // images sealed by earlier versions have read-only files
        Files.setPosixFilePermissions(image.resolve("PG_VERSION"), PosixFilePermissions.fromString("r--------"));
        Path clone = driver.clone(IMAGE, FIRST_CLONE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(clone.resolve("PG_VERSION")))).isEqualTo("rw-------");
    }
}
