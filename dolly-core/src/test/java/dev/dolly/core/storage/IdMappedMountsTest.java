package dev.dolly.core.storage;

import dev.dolly.api.DollyException;
import dev.dolly.core.process.Command;
import dev.dolly.core.process.CommandRunner;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static dev.dolly.core.storage.MountedTestFileSystems.owner;
import static dev.dolly.core.storage.MountedTestFileSystems.runAs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ID-mapped mounts on the real test file systems, read and written by processes of the mapped account. */
class IdMappedMountsTest
{
    private static final int IMAGE_ACCOUNT = 2_099_999_001;
    private static final int CONTAINER_ACCOUNT = 2_099_999_002;
    private static final int OTHER_ACCOUNT = 2_099_999_003;
    private static final int OVERFLOW_ACCOUNT = 65534;

    @ParameterizedTest
    @ValueSource(strings = {MountedTestFileSystems.BTRFS, MountedTestFileSystems.XFS, MountedTestFileSystems.EXT4})
    void showsTheFilesOfOneAccountAsAnothersAndStoresNewFilesAsTheFirst(String fileSystemVariable)
            throws IOException
    {
        MountedTestFileSystems.requireRoot("ID-mapped mounts need root");
        Path directory = MountedTestFileSystems.freshDirectory(MountedTestFileSystems.require(fileSystemVariable), "idmap");
        try {
            Path source = privateTree(directory.resolve("source"), IMAGE_ACCOUNT);
            Path foreign = source.resolve("foreign");
            Files.writeString(foreign, "not the image's");
            setOwner(foreign, OTHER_ACCOUNT);
            Path target = Files.createDirectory(directory.resolve("target"));

            // positive control: without the mapping, the container's account cannot even list the tree
            assertThat(runAs(CONTAINER_ACCOUNT, "cat " + source.resolve("data")).succeeded()).isFalse();

            IdMappedMounts.mount(source, target, IMAGE_ACCOUNT, IMAGE_ACCOUNT, CONTAINER_ACCOUNT, CONTAINER_ACCOUNT);
            try {
                assertThat(owner(target)).isEqualTo(CONTAINER_ACCOUNT);
                assertThat(owner(target.resolve("data"))).isEqualTo(CONTAINER_ACCOUNT);
                assertThat(owner(target.resolve("foreign"))).isEqualTo(OVERFLOW_ACCOUNT);

                CommandRunner.Result written = runAs(CONTAINER_ACCOUNT, "cat " + target.resolve("data") + " && echo new > " + target.resolve("created")
                        + " && echo more >> " + target.resolve("data"));
                assertThat(written.succeeded()).as(written.output()).isTrue();
                assertThat(written.output()).contains("image data");
                // another account gets nothing through the mount either
                assertThat(runAs(OTHER_ACCOUNT, "cat " + target.resolve("data")).succeeded()).isFalse();
            }
            finally {
                IdMappedMounts.unmount(target);
            }
            assertThat(owner(source.resolve("created"))).isEqualTo(IMAGE_ACCOUNT);
            assertThat(Files.readString(source.resolve("data"))).isEqualTo("image data\nmore\n");
            assertThat(target).isEmptyDirectory();
        }
        finally {
            FileTrees.deleteRecursively(directory);
        }
    }

    @Test
    void anOverlayTakesAnIdMappedLowerLayer()
            throws IOException
    {
        MountedTestFileSystems.requireRoot("ID-mapped mounts need root");
        Path directory = MountedTestFileSystems.freshDirectory(MountedTestFileSystems.require(MountedTestFileSystems.EXT4), "idmap-overlay");
        Path merged = directory.resolve("merged");
        try {
            Path image = privateTree(directory.resolve("image"), IMAGE_ACCOUNT);
            Path lower = Files.createDirectory(directory.resolve("lower"));
            Path upper = privateTree(directory.resolve("upper"), CONTAINER_ACCOUNT);
            Files.delete(upper.resolve("data"));
            Files.createDirectory(directory.resolve("work"));
            Files.createDirectory(merged);
            IdMappedMounts.mount(image, lower, IMAGE_ACCOUNT, IMAGE_ACCOUNT, CONTAINER_ACCOUNT, CONTAINER_ACCOUNT);
            CommandRunner.Result mounted = CommandRunner.system().run(Command.of("mount", "-t", "overlay", "overlay",
                    "-o", "lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + directory.resolve("work"), merged.toString()));
            assertThat(mounted.succeeded()).as(mounted.output()).isTrue();
            // the overlay keeps its own copy of the lower mount: the mapped mount need not stay attached
            IdMappedMounts.unmount(lower);

            CommandRunner.Result written = runAs(CONTAINER_ACCOUNT, "echo more >> " + merged.resolve("data") + " && cat " + merged.resolve("data"));
            assertThat(written.succeeded()).as(written.output()).isTrue();
            assertThat(written.output()).contains("image data\nmore");
            assertThat(owner(upper.resolve("data"))).isEqualTo(CONTAINER_ACCOUNT);
            assertThat(Files.readString(image.resolve("data"))).isEqualTo("image data\n");
        }
        finally {
            CommandRunner.system().run(Command.of("umount", merged.toString()));
            FileTrees.deleteRecursively(directory);
        }
    }

    @Test
    void anOverlayMountItselfCannotBeIdMapped()
            throws IOException
    {
        MountedTestFileSystems.requireRoot("ID-mapped mounts need root");
        Path directory = MountedTestFileSystems.freshDirectory(MountedTestFileSystems.require(MountedTestFileSystems.EXT4), "idmap-refused");
        Path merged = directory.resolve("merged");
        try {
            Path image = privateTree(directory.resolve("image"), IMAGE_ACCOUNT);
            Files.createDirectory(directory.resolve("upper"));
            Files.createDirectory(directory.resolve("work"));
            Files.createDirectory(merged);
            Path target = Files.createDirectory(directory.resolve("target"));
            CommandRunner.system().run(Command.of("mount", "-t", "overlay", "overlay",
                    "-o", "lowerdir=" + image + ",upperdir=" + directory.resolve("upper") + ",workdir=" + directory.resolve("work"), merged.toString()));
            assertThatThrownBy(() -> IdMappedMounts.mount(merged, target, IMAGE_ACCOUNT, IMAGE_ACCOUNT, CONTAINER_ACCOUNT, CONTAINER_ACCOUNT))
                    .isInstanceOf(DollyException.class)
                    .hasMessageContaining("mount_setattr failed");
            assertThatThrownBy(() -> IdMappedMounts.unmount(target))
                    .isInstanceOf(DollyException.class)
                    .hasMessageContaining("Cannot unmount " + target);
        }
        finally {
            CommandRunner.system().run(Command.of("umount", merged.toString()));
            FileTrees.deleteRecursively(directory);
        }
    }

    /** A directory private to {@code account} (mode 0700) holding one file, {@code data}. */
    private static Path privateTree(Path directory, int account)
            throws IOException
    {
        Files.createDirectory(directory);
        Files.writeString(directory.resolve("data"), "image data\n");
        setOwner(directory.resolve("data"), account);
        setOwner(directory, account);
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        return directory;
    }

    private static void setOwner(Path path, int account)
            throws IOException
    {
        Files.setAttribute(path, "unix:uid", account, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(path, "unix:gid", account, LinkOption.NOFOLLOW_LINKS);
    }
}
