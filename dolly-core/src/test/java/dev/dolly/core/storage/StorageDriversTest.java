package dev.dolly.core.storage;

import dev.dolly.api.DollyException;
import dev.dolly.core.process.CommandRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Detection on the real test file systems. */
class StorageDriversTest
{
    private final List<Path> directories = new ArrayList<>();

    @AfterEach
    void removeDirectories()
    {
        directories.forEach(FileTrees::deleteRecursively);
    }

    @Test
    void choosesBtrfsOnBtrfs()
    {
        Path root = directory(MountedTestFileSystems.BTRFS);
        StorageSelection selection = StorageDrivers.select(root, Optional.empty(), false, Optional.empty());
        assertThat(selection.driver()).isInstanceOf(BtrfsStorageDriver.class);
        assertThat(selection.reason()).isEqualTo("btrfs: " + root + " is on btrfs; images are subvolumes and containers are snapshots of them.");
    }

    @Test
    void choosesReflinkOnBtrfsWithoutItsCommand()
    {
        Path root = directory(MountedTestFileSystems.BTRFS);
        CommandRunner withoutBtrfs = command -> command.arguments().getFirst().equals("btrfs") ? new CommandRunner.Result(127, "btrfs: not found") : CommandRunner.system().run(command);
        StorageSelection selection = StorageDrivers.select(root, Optional.empty(), true, Optional.empty(), withoutBtrfs);
        assertThat(selection.driver()).isInstanceOf(ReflinkStorageDriver.class);
        assertThat(selection.reason()).startsWith("reflink: " + root + " is on btrfs, which shares blocks").contains("install btrfs-progs");
    }

    @Test
    void choosesReflinkOnXfs()
    {
        Path root = directory(MountedTestFileSystems.XFS);
        StorageSelection selection = StorageDrivers.select(root, Optional.empty(), false, Optional.empty());
        assertThat(selection.driver()).isInstanceOf(ReflinkStorageDriver.class);
        assertThat(selection.reason()).isEqualTo("reflink: " + root + " is on xfs, which shares blocks between files; containers are reflink copies of their image (cp --reflink=always).");
    }

    @Test
    void choosesOverlayOnExt4AsRoot()
    {
        MountedTestFileSystems.requireRoot("overlay mounts need root");
        Path root = directory(MountedTestFileSystems.EXT4);
        StorageSelection selection = StorageDrivers.select(root, Optional.empty(), true, Optional.empty());
        assertThat(selection.driver()).isInstanceOf(OverlayStorageDriver.class);
        assertThat(selection.reason()).isEqualTo("overlay: " + root + " is on ext4, which cannot share blocks between files; "
                + "containers are overlayfs mounts with their image as the read-only lower layer.");
    }

    @Test
    void fallsBackToCopyOnExt4WithoutRootAndTellsHowToGetAFastDriver()
    {
        Path root = directory(MountedTestFileSystems.EXT4);
        StorageSelection selection = StorageDrivers.select(root, Optional.empty(), false, Optional.empty());
        assertThat(selection.driver()).isInstanceOf(CopyStorageDriver.class);
        assertThat(selection.reason()).isEqualTo("copy: " + root + " is on ext4, which cannot share blocks between files; overlay mounts need the daemon to run as root, "
                + "so every container is a full copy of its image. Run 'sudo dolly storage init --size 50G' to put Dolly's storage on a loop-mounted btrfs file system, "
                + "or move DOLLY_HOME to btrfs or XFS.");
    }

    @Test
    void configuredDriverWins()
    {
        Path root = directory(MountedTestFileSystems.BTRFS);
        StorageSelection selection = StorageDrivers.select(root, Optional.of("copy"), true, Optional.empty());
        assertThat(selection.driver()).isInstanceOf(CopyStorageDriver.class);
        assertThat(selection.reason()).isEqualTo("copy: DOLLY_STORAGE_DRIVER=copy; every container is a full copy of its image.");
        assertThat(StorageDrivers.select(root, Optional.of("reflink"), false, Optional.empty()).driver()).isInstanceOf(ReflinkStorageDriver.class);
    }

    @Test
    void refusesAConfiguredDriverThatCannotWorkThere()
    {
        Path root = directory(MountedTestFileSystems.EXT4);
        assertThatThrownBy(() -> StorageDrivers.select(root, Optional.of("btrfs"), true, Optional.empty()))
                .isInstanceOf(DollyException.class)
                .hasMessage("DOLLY_STORAGE_DRIVER=btrfs but " + root + " is on ext4. Move DOLLY_HOME to a btrfs file system, or choose another driver.");
        assertThatThrownBy(() -> StorageDrivers.select(root, Optional.of("reflink"), true, Optional.empty()))
                .hasMessageStartingWith("DOLLY_STORAGE_DRIVER=reflink but " + root + " (ext4) cannot share blocks between files: 'cp --reflink=always' fails there");
        assertThatThrownBy(() -> StorageDrivers.select(root, Optional.of("overlay"), false, Optional.empty()))
                .hasMessage("DOLLY_STORAGE_DRIVER=overlay but the daemon does not run as root, which overlay mounts need. Run it as root, or choose another driver.");
        assertThatThrownBy(() -> StorageDrivers.select(root, Optional.of("zfs"), true, Optional.empty()))
                .hasMessage("DOLLY_STORAGE_DRIVER=zfs needs DOLLY_ZFS_DATASET, the dataset to keep volumes in, such as tank/dolly.");
        assertThatThrownBy(() -> StorageDrivers.select(root, Optional.of("zfs"), true, Optional.of("tank/dolly")))
                .hasMessageStartingWith("DOLLY_STORAGE_DRIVER=zfs but the dataset tank/dolly is not usable: ");
    }

    @Test
    void aZfsDatasetSelectsZfs()
    {
        Path root = directory(MountedTestFileSystems.EXT4);
        FakeCommandRunner runner = new FakeCommandRunner();
        StorageSelection selection = StorageDrivers.select(root, Optional.empty(), true, Optional.of("tank/dolly"), runner);
        assertThat(selection.driver()).isInstanceOf(ZfsStorageDriver.class);
        assertThat(selection.reason()).isEqualTo("zfs: DOLLY_ZFS_DATASET=tank/dolly; images are datasets of tank/dolly and containers are clones of their snapshots.");
        assertThat(runner.commandLines()).containsExactly("zfs list -H -o name tank/dolly");
    }

    private Path directory(String variable)
    {
        Path directory = MountedTestFileSystems.freshDirectory(MountedTestFileSystems.require(variable), "detection");
        directories.add(directory);
        return directory;
    }
}
