package dev.dolly.core.storage;

import dev.dolly.core.process.CommandRunner;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReflinkStorageDriverTest
        extends AbstractStorageDriverTest
{
    @Override
    Path fileSystem()
    {
        return MountedTestFileSystems.require(MountedTestFileSystems.XFS);
    }

    @Override
    StorageDriver createDriver(Path root)
    {
        return new ReflinkStorageDriver(root);
    }

    @Test
    void clonesCopyFourKibibytesOnAFirstWrite()
            throws IOException
    {
        createImage(IMAGE);
        driver.seal(IMAGE);
        Path clone = driver.clone(IMAGE, FIRST_CLONE);
        assertThat(copyOnWriteExtentSize(clone.resolve("base/1/16384"))).isEqualTo("4096");
        // positive control: the image's files, made outside the driver's clones, keep XFS's default (0: 32 blocks)
        assertThat(copyOnWriteExtentSize(driver.path(IMAGE).resolve("base/1/16384"))).isEqualTo("0");
    }

    private static String copyOnWriteExtentSize(Path file)
    {
        // xfs_io prints "[4096] PATH"
        String output = CommandRunner.system().run(List.of("xfs_io", "-c", "cowextsize", file.toString())).output().strip();
        return output.substring(output.indexOf('[') + 1, output.indexOf(']'));
    }

    @Test
    void clonedFilesShareTheirBlocks()
            throws IOException
    {
        createImage(IMAGE);
        driver.seal(IMAGE);
        Path clone = driver.clone(IMAGE, FIRST_CLONE);
        String extents = CommandRunner.system().run(List.of("filefrag", "-v", clone.resolve("base/1/16384").toString())).output();
        assertThat(extents).contains("shared");
    }

    @Test
    void probeTellsWhetherBlocksAreShared()
    {
        assertThat(ReflinkStorageDriver.probe(root, CommandRunner.system())).isEmpty();
        Path ext4 = MountedTestFileSystems.freshDirectory(MountedTestFileSystems.require(MountedTestFileSystems.EXT4), "reflink-probe");
        try {
            assertThat(ReflinkStorageDriver.probe(ext4, CommandRunner.system())).hasValueSatisfying(reason -> assertThat(reason).contains("cp --reflink=always"));
        }
        finally {
            FileTrees.deleteRecursively(ext4);
        }
    }

    @Test
    void neverFallsBackToAFullCopy()
            throws IOException
    {
        Path ext4 = MountedTestFileSystems.freshDirectory(MountedTestFileSystems.require(MountedTestFileSystems.EXT4), "reflink-fallback");
        try {
            StorageDriver onExt4 = new ReflinkStorageDriver(ext4);
            Path image = onExt4.createVolume(IMAGE);
            java.nio.file.Files.writeString(image.resolve("PG_VERSION"), "17\n");
            onExt4.seal(IMAGE);
            assertThatThrownBy(() -> onExt4.clone(IMAGE, FIRST_CLONE))
                    .hasMessageContaining("--reflink=always")
                    .hasMessageContaining("DOLLY_STORAGE_DRIVER=copy");
            assertThat(onExt4.exists(FIRST_CLONE)).isFalse();
        }
        finally {
            FileTrees.deleteRecursively(ext4);
        }
    }
}
