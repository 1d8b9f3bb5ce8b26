package dev.dolly.core.storage;

import dev.dolly.core.process.CommandRunner;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BtrfsStorageDriverTest
        extends AbstractStorageDriverTest
{
    @Override
    Path fileSystem()
    {
        MountedTestFileSystems.requireRoot("deleting btrfs subvolumes needs root");
        return MountedTestFileSystems.require(MountedTestFileSystems.BTRFS);
    }

    @Override
    StorageDriver createDriver(Path root)
    {
        return new BtrfsStorageDriver(root);
    }

    @Override
    void assertSealed(Path volume)
    {
        assertThat(CommandRunner.system().run(List.of("btrfs", "property", "get", "-ts", volume.toString(), "ro")).output()).isEqualTo("ro=true");
        assertThat(CommandRunner.system().run(List.of("touch", volume.resolve("PG_VERSION").toString())).succeeded()).isFalse();
    }

    @Override
    void awaitFreedSpace()
    {
        run(List.of("btrfs", "subvolume", "sync", root.toString()));
    }

    @Test
    void volumesAreSubvolumesAndClonesWritableSnapshots()
            throws IOException
    {
        createImage(IMAGE);
        driver.seal(IMAGE);
        Path clone = driver.clone(IMAGE, FIRST_CLONE);
        String show = CommandRunner.system().run(List.of("btrfs", "subvolume", "show", clone.toString())).output();
        assertThat(show).contains("Parent UUID:").doesNotContain("Flags:\t\t\treadonly");
        assertThat(CommandRunner.system().run(List.of("btrfs", "property", "get", "-ts", clone.toString(), "ro")).output()).isEqualTo("ro=false");
        assertThat(Files.isDirectory(root.resolve("containers"))).isTrue();
        assertThat(driver.sizeBytes(FIRST_CLONE).orElseThrow()).isLessThan(1024 * 1024);
    }

    @Test
    void clonesPlainDirectoriesLeftByAnotherDriver()
            throws IOException
    {
        Path plain = Files.createDirectories(root.resolve(IMAGE));
        Files.writeString(plain.resolve("PG_VERSION"), "17\n");
        driver.seal(IMAGE);
        Path clone = driver.clone(IMAGE, FIRST_CLONE);
        assertThat(Files.readString(clone.resolve("PG_VERSION"))).isEqualTo("17\n");
        driver.delete(IMAGE);
        assertThat(driver.exists(IMAGE)).isFalse();
    }
}
