package dev.dolly.core.storage;

import dev.dolly.core.process.CommandRunner;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.dolly.core.storage.MountedTestFileSystems.owner;
import static dev.dolly.core.storage.MountedTestFileSystems.runAs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OverlayStorageDriverTest
        extends AbstractStorageDriverTest
{
    private static final int CONTAINER_ACCOUNT = 2_099_999_012;
    private static final int OTHER_ACCOUNT = 2_099_999_013;

    @Override
    Path fileSystem()
    {
        MountedTestFileSystems.requireRoot("overlay mounts need root");
        return MountedTestFileSystems.require(MountedTestFileSystems.EXT4);
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
    void revisionsStackOnWhatTheyWereSavedFromAndLongChainsAreFlattened()
            throws IOException
    {
        createImage(IMAGE);
        driver.seal(IMAGE);
        driver.clone(IMAGE, FIRST_CLONE);
        String previous = null;
        for (int number = 1; number <= OverlayStorageDriver.MAXIMUM_LAYERS + 2; number++) {
            Path container = driver.path(FIRST_CLONE);
            Files.writeString(container.resolve("base/1/written-" + number), "rev." + number);
            if (number == 2) {
                Files.delete(container.resolve("base/1/written-1"));
            }
            String revision = "revisions/1/" + number;
            driver.snapshot(FIRST_CLONE, revision);
            List<String> dependencies = driver.dependencies(revision);
            if (number < OverlayStorageDriver.MAXIMUM_LAYERS) {
                assertThat(dependencies).first().isEqualTo(previous == null ? IMAGE : previous);
                assertThat(dependencies).hasSize(number).last().isEqualTo(IMAGE);
                assertThat(root.resolve(revision).resolve("layer/base/1/written-" + number)).exists();
            }
            else if (number == OverlayStorageDriver.MAXIMUM_LAYERS) {
                // its clones would mount more than the limit: flattened into a plain volume that needs nothing
                assertThat(dependencies).isEmpty();
                assertThat(root.resolve(revision).resolve("PG_VERSION")).hasContent("17\n");
                assertThat(root.resolve(revision).resolve("base/1/written-1")).doesNotExist();
            }
            else {
                assertThat(dependencies).first().isEqualTo(previous);
                assertThat(dependencies).last().isEqualTo("revisions/1/" + OverlayStorageDriver.MAXIMUM_LAYERS);
            }
            driver.delete(FIRST_CLONE);
            Path loaded = driver.clone(revision, FIRST_CLONE);
            // deleted before rev.2: a whiteout in its layer, or nothing once flattened
            assertThat(Files.exists(loaded.resolve("base/1/written-1"))).isEqualTo(number == 1);
            assertThat(loaded.resolve("base/1/written-" + number)).hasContent("rev." + number);
            assertThat(loaded.resolve("base/1/16384")).hasSize(24 * 1024 * 1024);
            previous = revision;
        }
        assertThat(driver.dependencies("revisions/1/3")).containsExactly("revisions/1/2", "revisions/1/1", IMAGE);
        for (int number = OverlayStorageDriver.MAXIMUM_LAYERS + 2; number >= 1; number--) {
            driver.delete("revisions/1/" + number);
        }
    }

    @Test
    void anImageFromARevisionOwnsTheLayersOfRevisions()
            throws IOException
    {
        createImage(IMAGE);
        driver.seal(IMAGE);
        Files.writeString(driver.clone(IMAGE, FIRST_CLONE).resolve("first"), "1");
        driver.snapshot(FIRST_CLONE, FIRST_REVISION);
        driver.delete(FIRST_CLONE);
        Files.writeString(driver.clone(FIRST_REVISION, FIRST_CLONE).resolve("second"), "2");
        driver.snapshot(FIRST_CLONE, SECOND_REVISION);
        driver.snapshot(SECOND_REVISION, GRADUATED);
        assertThat(driver.dependencies(GRADUATED)).containsExactly(FIRST_REVISION, IMAGE);

        driver.absorb(GRADUATED, FIRST_REVISION);
        assertThat(driver.dependencies(GRADUATED)).containsExactly(IMAGE);
        assertThat(root.resolve(GRADUATED).resolve("lowers/1/layer/first")).hasContent("1");
        driver.delete(FIRST_CLONE);
        driver.delete(SECOND_REVISION);
        driver.delete(FIRST_REVISION);
        Path teammate = driver.clone(GRADUATED, SECOND_CLONE);
        assertThat(teammate.resolve("first")).hasContent("1");
        assertThat(teammate.resolve("second")).hasContent("2");
        assertThatThrownBy(() -> driver.absorb(GRADUATED, FIRST_REVISION)).hasMessageContaining("not stacked on it");
    }

    @Test
    void aCloneForAnAccountShowsTheImageAsItsOwnWithoutChangingAFile()
            throws IOException
    {
        createImage(IMAGE);
        driver.seal(IMAGE);
        int imageAccount = owner(driver.path(IMAGE));
        Path clone = driver.clone(IMAGE, FIRST_CLONE, new StorageDriver.VolumeOwner(CONTAINER_ACCOUNT, CONTAINER_ACCOUNT));
        Path upper = root.resolve(FIRST_CLONE).resolve("upper");

        assertThat(owner(clone)).isEqualTo(CONTAINER_ACCOUNT);
        assertThat(owner(clone.resolve("base/1/16384"))).isEqualTo(CONTAINER_ACCOUNT);
        assertThat(upper).isEmptyDirectory();
        // the views the overlay was mounted on are gone: nothing but the overlay is mounted below the clone
        assertThat(root.resolve(FIRST_CLONE).resolve("views")).doesNotExist();
        assertThat(mountsBelow(root.resolve(FIRST_CLONE))).isEqualTo(1);

        CommandRunner.Result written = runAs(CONTAINER_ACCOUNT, "echo written > " + clone.resolve("written") + " && echo 18 >> " + clone.resolve("PG_VERSION")
                + " && mkdir " + clone.resolve("base/2"));
        assertThat(written.succeeded()).as(written.output()).isTrue();
        // stored as the image's account: the layers of a chain stay of one account
        assertThat(owner(upper.resolve("written"))).isEqualTo(imageAccount);
        assertThat(owner(upper.resolve("PG_VERSION"))).isEqualTo(imageAccount);
        assertThat(owner(upper.resolve("base/2"))).isEqualTo(imageAccount);
        assertThat(owner(clone.resolve("written"))).isEqualTo(CONTAINER_ACCOUNT);
        assertThat(driver.path(IMAGE).resolve("PG_VERSION")).hasContent("17\n");

        // after a restart, mapped again
        run(List.of("umount", clone.toString()));
        driver.activate(FIRST_CLONE);
        assertThat(owner(clone)).isEqualTo(CONTAINER_ACCOUNT);
        assertThat(clone.resolve("written")).hasContent("written\n");

        // a revision of it, loaded by another account, shows both layers as that account's
        driver.delete(FIRST_CLONE);
        assertThat(root.resolve(FIRST_CLONE)).doesNotExist();
        assertThat(driver.path(IMAGE).resolve("base/1/16384")).exists();
        Path again = driver.clone(IMAGE, FIRST_CLONE, new StorageDriver.VolumeOwner(CONTAINER_ACCOUNT, CONTAINER_ACCOUNT));
        assertThat(runAs(CONTAINER_ACCOUNT, "echo saved > " + again.resolve("saved")).succeeded()).isTrue();
        driver.snapshot(FIRST_CLONE, FIRST_REVISION);
        Path loaded = driver.clone(FIRST_REVISION, SECOND_CLONE, new StorageDriver.VolumeOwner(OTHER_ACCOUNT, OTHER_ACCOUNT));
        assertThat(owner(loaded.resolve("saved"))).isEqualTo(OTHER_ACCOUNT);
        assertThat(owner(loaded.resolve("base/1/16384"))).isEqualTo(OTHER_ACCOUNT);
        assertThat(runAs(OTHER_ACCOUNT, "echo more >> " + loaded.resolve("saved")).succeeded()).isTrue();

        // positive control: a clone made for nobody in particular shows the image's own account, which others cannot write
        Path plain = driver.clone(IMAGE, "containers/3");
        assertThat(owner(plain)).isEqualTo(imageAccount);
        assertThat(runAs(CONTAINER_ACCOUNT, "echo written > " + plain.resolve("written")).succeeded()).isFalse();
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

    private static long mountsBelow(Path directory)
            throws IOException
    {
        String prefix = " " + directory + "/";
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().filter(line -> line.contains(prefix)).count();
    }

    private static long mountCount(Path mountPoint)
            throws IOException
    {
        String field = " " + mountPoint + " ";
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().filter(line -> line.contains(field)).count();
    }
}
