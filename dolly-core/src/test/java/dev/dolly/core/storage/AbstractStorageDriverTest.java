package dev.dolly.core.storage;

import dev.dolly.core.engine.EngineUser;
import dev.dolly.core.process.CommandRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every storage driver must do, on a real file system: one subclass per driver. Each test works in a fresh
 * directory below the file system and removes it.
 */
abstract class AbstractStorageDriverTest
{
    static final String IMAGE = "images/1";
    static final String FIRST_CLONE = "containers/1";
    static final String SECOND_CLONE = "containers/2";
    static final String FIRST_REVISION = "revisions/1/1";
    static final String SECOND_REVISION = "revisions/1/2";
    static final String GRADUATED = "images/2";
    private static final int BIG_FILE_BYTES = 24 * 1024 * 1024;

    Path root;
    StorageDriver driver;
    EngineUser engineUser;

    /** The mounted file system to test on, from {@link MountedTestFileSystems}. */
    abstract Path fileSystem();

    abstract StorageDriver createDriver(Path root);

    /** Whether clones share blocks with their image. */
    boolean sharesBlocks()
    {
        return true;
    }

    /** Extra checks of a sealed volume, such as a read-only subvolume. */
    void assertSealed(Path volume) {}

    /** Waits for space that deletes free in the background (btrfs cleans deleted subvolumes up later). */
    void awaitFreedSpace() {}

    @BeforeEach
    void createRoot()
    {
        root = MountedTestFileSystems.freshDirectory(fileSystem(), getClass().getSimpleName());
        driver = createDriver(root);
        engineUser = EngineUser.resolve("dolly");
    }

    @AfterEach
    void removeRoot()
    {
        if (driver != null) {
            for (String key : List.of(FIRST_CLONE, SECOND_CLONE, "containers/3", SECOND_REVISION, FIRST_REVISION, GRADUATED, IMAGE)) {
                driver.delete(key);
            }
        }
        if (root != null) {
            FileTrees.deleteRecursively(root);
        }
    }

    @Test
    void clonesAreIsolatedFromTheirImageAndEachOther()
            throws IOException
    {
        Path image = createImage(IMAGE);
        String imageDigest = digest(image);
        driver.seal(IMAGE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(image))).isEqualTo("r-x------");
        assertThat(Files.getOwner(image).getName()).isEqualTo(engineUser.name());
        assertSealed(image);

        Path first = driver.clone(IMAGE, FIRST_CLONE);
        Path second = driver.clone(IMAGE, SECOND_CLONE);
        assertThat(first).isEqualTo(driver.path(FIRST_CLONE));
        for (Path clone : List.of(first, second)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(clone))).isEqualTo("rwx------");
            assertThat(Files.getOwner(clone).getName()).isEqualTo(engineUser.name());
            assertThat(Files.getOwner(clone.resolve("base/1/16384")).getName()).isEqualTo(engineUser.name());
            assertThat(digest(clone)).isEqualTo(imageDigest);
        }

        overwrite(first.resolve("base/1/16384"), 4096, 1024 * 1024);
        Files.writeString(first.resolve("base/1/new"), "written in the clone");
        Files.delete(first.resolve("base/1/small-7"));

        assertThat(digest(first)).isNotEqualTo(imageDigest);
        assertThat(digest(second)).isEqualTo(imageDigest);
        assertThat(digest(image)).isEqualTo(imageDigest);
        assertThat(driver.sizeBytes(FIRST_CLONE)).isPresent();
        assertThat(driver.sizeBytes(IMAGE)).isPresent();
    }

    @Test
    void listsEveryVolumeInAnOrderItCanBeDeletedIn()
            throws IOException
    {
        assertThat(driver.list()).isEmpty();
        createImage(IMAGE);
        driver.flush(IMAGE);
        driver.seal(IMAGE);
        driver.clone(IMAGE, FIRST_CLONE);
        driver.clone(IMAGE, SECOND_CLONE);
        driver.snapshot(FIRST_CLONE, FIRST_REVISION);
        assertThat(driver.list()).containsExactly(FIRST_REVISION, FIRST_CLONE, SECOND_CLONE, IMAGE);
        assertThat(driver.list()).isEqualTo(List.of(VolumeKeys.revision(1, 1), VolumeKeys.container(1), VolumeKeys.container(2), VolumeKeys.image(1)));

        for (String key : driver.list()) {
            driver.delete(key);
        }
        assertThat(driver.list()).isEmpty();
    }

    @Test
    void clonesCostLittleSpaceAndDeletesFreeIt()
            throws IOException
    {
        long start = usedBytes();
        createImage(IMAGE);
        driver.seal(IMAGE);
        long withImage = usedBytes();
        long imageBytes = withImage - start;
        assertThat(imageBytes).isGreaterThan(BIG_FILE_BYTES / 2);

        driver.clone(IMAGE, FIRST_CLONE);
        driver.clone(IMAGE, SECOND_CLONE);
        long growth = usedBytes() - withImage;
        if (sharesBlocks()) {
            assertThat(growth).as("bytes two clones of a %d byte image take", imageBytes).isLessThan(imageBytes / 4);
        }
        else {
            assertThat(growth).as("bytes two full copies of a %d byte image take", imageBytes).isGreaterThan(imageBytes);
        }

        overwrite(driver.path(FIRST_CLONE).resolve("base/1/16384"), 0, 2 * 1024 * 1024);
        driver.delete(FIRST_CLONE);
        driver.delete(SECOND_CLONE);
        driver.delete(IMAGE);
        assertThat(driver.exists(FIRST_CLONE)).isFalse();
        assertThat(driver.exists(IMAGE)).isFalse();
        awaitFreedSpace();
        assertThat(usedBytes() - start).as("bytes still used after deleting everything").isLessThan(imageBytes / 4);
    }

    @Test
    void snapshotsAreSealedClonableAndOutliveTheirSource()
            throws IOException
    {
        createImage(IMAGE);
        driver.seal(IMAGE);
        Path container = driver.clone(IMAGE, FIRST_CLONE);
        Files.writeString(container.resolve("base/1/saved"), "saved in rev.1");
        Files.delete(container.resolve("base/1/small-3"));
        String savedDigest = digest(container);

        driver.snapshot(FIRST_CLONE, FIRST_REVISION);
        Path revision = driver.path(FIRST_REVISION);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(revision))).isEqualTo("r-x------");
        assertThat(Files.getOwner(revision).getName()).isEqualTo(engineUser.name());
        String revisionDigest = digest(revision);

        // the container goes on; the revision does not change
        Files.writeString(container.resolve("base/1/saved"), "changed after rev.1");
        overwrite(container.resolve("base/1/16384"), 0, 4096);
        assertThat(digest(revision)).isEqualTo(revisionDigest);

        // loading: the container's volume is replaced by a clone of the revision
        driver.delete(FIRST_CLONE);
        Path loaded = driver.clone(FIRST_REVISION, FIRST_CLONE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(loaded))).isEqualTo("rwx------");
        assertThat(digest(loaded)).isEqualTo(savedDigest);
        assertThat(loaded.resolve("base/1/small-3")).doesNotExist();
        Files.writeString(loaded.resolve("base/1/second"), "saved in rev.2");
        String secondDigest = digest(loaded);
        driver.snapshot(FIRST_CLONE, SECOND_REVISION);

        // graduating: an image from a revision, which needs no revision once it absorbed them
        driver.snapshot(SECOND_REVISION, GRADUATED);
        for (String dependency : driver.dependencies(GRADUATED)) {
            if (dependency.startsWith("revisions/")) {
                driver.absorb(GRADUATED, dependency);
            }
        }
        assertThat(driver.dependencies(GRADUATED)).allSatisfy(dependency -> assertThat(dependency).doesNotStartWith("revisions/"));
        driver.delete(FIRST_CLONE);
        driver.delete(SECOND_REVISION);
        driver.delete(FIRST_REVISION);
        assertThat(driver.exists(FIRST_REVISION)).isFalse();
        Path teammate = driver.clone(GRADUATED, SECOND_CLONE);
        assertThat(digest(teammate)).isEqualTo(secondDigest);
        assertThat(Files.readString(teammate.resolve("base/1/saved"))).isEqualTo("saved in rev.1");
    }

    @Test
    void deletingAMissingVolumeDoesNothing()
    {
        driver.delete("containers/404");
        assertThat(driver.exists("containers/404")).isFalse();
        assertThat(driver.sizeBytes("containers/404")).isEmpty();
    }

    @Test
    void refusesToCreateAVolumeTwice()
            throws IOException
    {
        createImage(IMAGE);
        assertThatThrownBy(() -> driver.createVolume(IMAGE)).hasMessageContaining(IMAGE);
        assertThat(driver.exists(IMAGE)).isTrue();
    }

    @Test
    void activatingIsIdempotent()
            throws IOException
    {
        createImage(IMAGE);
        String imageDigest = digest(driver.path(IMAGE));
        driver.seal(IMAGE);
        driver.clone(IMAGE, FIRST_CLONE);
        driver.activate(FIRST_CLONE);
        driver.activate(FIRST_CLONE);
        driver.activate(IMAGE);
        assertThat(digest(driver.path(FIRST_CLONE))).isEqualTo(imageDigest);
    }

    @Test
    void reportsTheSpaceOfItsFileSystem()
    {
        StorageUsage usage = driver.usage();
        assertThat(usage.totalBytes()).isPositive();
        assertThat(usage.usedBytes()).isBetween(0L, usage.totalBytes());
        assertThat(usage.freeBytes()).isBetween(1L, usage.totalBytes());
    }

    @Test
    void postgresqlRunsOnACloneAndLeavesTheImageUnchanged()
            throws Exception
    {
        Path logs = Files.createDirectories(root.resolve("logs"));
        engineUser.takeOwnership(logs);
        PostgresOnVolumes.runOnAClone(driver, logs);
    }

    /** A volume shaped like a small data directory, owned by the engine user, with a root of mode 0700. */
    Path createImage(String key)
            throws IOException
    {
        Path volume = driver.createVolume(key);
        Files.writeString(volume.resolve("PG_VERSION"), "17\n");
        Path database = Files.createDirectories(volume.resolve("base/1"));
        Random random = new Random(42);
        byte[] block = new byte[1024 * 1024];
        try (FileChannel channel = FileChannel.open(database.resolve("16384"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (int written = 0; written < BIG_FILE_BYTES; written += block.length) {
                random.nextBytes(block);
                channel.write(ByteBuffer.wrap(block));
            }
        }
        byte[] page = new byte[8192];
        for (int index = 0; index < 20; index++) {
            random.nextBytes(page);
            Files.write(database.resolve("small-" + index), page);
        }
        Files.createSymbolicLink(volume.resolve("link"), Path.of("PG_VERSION"));
        Files.setPosixFilePermissions(volume, PosixFilePermissions.fromString("rwx------"));
        engineUser.takeOwnership(volume);
        return volume;
    }

    /** Bytes in use on the test file system, after writing back what is cached. */
    long usedBytes()
    {
        run(List.of("sync", "-f", root.toString()));
        try {
            FileStore store = Files.getFileStore(root);
            return store.getTotalSpace() - store.getUnallocatedSpace();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void run(List<String> command)
    {
        CommandRunner.Result result = CommandRunner.system().run(command);
        assertThat(result.exitCode()).as("%s: %s", command, result.output()).isZero();
    }

    static void overwrite(Path file, long offset, int bytes)
            throws IOException
    {
        byte[] data = new byte[bytes];
        new Random(7).nextBytes(data);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(data), offset);
        }
    }

    /** A digest of a tree: every path, the target of every link and the content of every file. */
    static String digest(Path directory)
            throws IOException
    {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (Stream<Path> paths = Files.walk(directory)) {
                for (Path path : paths.sorted().toList()) {
                    digest.update(directory.relativize(path).toString().getBytes(StandardCharsets.UTF_8));
                    if (Files.isSymbolicLink(path)) {
                        digest.update(Files.readSymbolicLink(path).toString().getBytes(StandardCharsets.UTF_8));
                    }
                    else if (Files.isRegularFile(path)) {
                        try (InputStream input = Files.newInputStream(path)) {
                            byte[] buffer = new byte[1 << 16];
                            for (int read = input.read(buffer); read >= 0; read = input.read(buffer)) {
                                digest.update(buffer, 0, read);
                            }
                        }
                    }
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
