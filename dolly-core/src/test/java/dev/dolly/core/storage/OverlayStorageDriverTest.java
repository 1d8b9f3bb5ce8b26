package dev.dolly.core.storage;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OverlayStorageDriverTest
        extends AbstractStorageDriverTest
{
    @Override
    Path fileSystem()
    {
        TestFileSystems.requireRoot("overlay mounts need root");
        return TestFileSystems.require(TestFileSystems.EXT4);
    }

    @Override
    StorageDriver createDriver(Path root)
    {
        return new OverlayStorageDriver(root);
    }

    @Test
    void aCloneIsAnOverlayMountOfItsImage()
            throws IOException
    {
        createImage(IMAGE);
        driver.seal(IMAGE);
        Path clone = driver.clone(IMAGE, FIRST_CLONE);
        assertThat(clone).isEqualTo(root.resolve(FIRST_CLONE).resolve("merged"));
        assertThat(OverlayStorageDriver.isMountPoint(clone)).isTrue();
        Files.writeString(clone.resolve("PG_VERSION"), "18\n");
        assertThat(Files.readString(root.resolve(FIRST_CLONE).resolve("upper/PG_VERSION"))).isEqualTo("18\n");
        assertThat(Files.readString(driver.path(IMAGE).resolve("PG_VERSION"))).isEqualTo("17\n");
        assertThat(driver.sizeBytes(FIRST_CLONE)).hasValue(3L);
    }

    @Test
    void activateMountsAgainWhatARestartUnmounted()
            throws IOException
    {
        createImage(IMAGE);
        driver.seal(IMAGE);
        Path clone = driver.clone(IMAGE, FIRST_CLONE);
        Files.writeString(clone.resolve("written"), "before the restart");

        run(List.of("umount", clone.toString()));
        assertThat(OverlayStorageDriver.isMountPoint(clone)).isFalse();
        assertThat(clone.resolve("PG_VERSION")).doesNotExist();
        assertThat(driver.exists(FIRST_CLONE)).isTrue();

        driver.activate(FIRST_CLONE);
        driver.activate(FIRST_CLONE);
        assertThat(mountCount(clone)).isEqualTo(1);
        assertThat(Files.readString(clone.resolve("PG_VERSION"))).isEqualTo("17\n");
        assertThat(Files.readString(clone.resolve("written"))).isEqualTo("before the restart");
    }

    @Test
    void deletesABusyClone()
            throws Exception
    {
        createImage(IMAGE);
        driver.seal(IMAGE);
        Path clone = driver.clone(IMAGE, FIRST_CLONE);
        Process holder = new ProcessBuilder("sleep", "60").directory(clone.toFile()).start();
        try {
            driver.delete(FIRST_CLONE);
            assertThat(driver.exists(FIRST_CLONE)).isFalse();
            assertThat(mountCount(clone)).isZero();
            assertThat(Files.readString(driver.path(IMAGE).resolve("PG_VERSION"))).isEqualTo("17\n");
        }
        finally {
            holder.destroy();
        }
    }

    @Test
    void probeMountsAnOverlay()
    {
        assertThat(OverlayStorageDriver.probe(root, CommandRunner.system())).isEmpty();
        try (var entries = Files.list(root)) {
            assertThat(entries).isEmpty();
        }
        catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long mountCount(Path mountPoint)
            throws IOException
    {
        String field = " " + mountPoint + " ";
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().filter(line -> line.contains(field)).count();
    }
}
