package dev.dolly.tests;

import dev.dolly.api.DataContainer;
import dev.dolly.api.DollyHome;
import dev.dolly.api.ServerInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import static dev.dolly.tests.TestImagesAndContainers.connect;
import static dev.dolly.tests.TestImagesAndContainers.count;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code dolly storage init}: an ext4 host gets a loop-mounted btrfs file system, mounted again after a reboot. */
class TestStorageInit
{
    @Test
    void loopMountedBtrfsGivesSnapshotsAndSurvivesARemount()
            throws Exception
    {
        Path ext4 = TestImagesAndContainers.testFileSystem("DOLLY_TEST_EXT4");
        try (DaemonProcess daemon = DaemonProcess.withNewHome(ext4, Map.of()).start()) {
            Cli dolly = new Cli(daemon.environment());
            assertThat(dolly.json(ServerInfo.class, "info").storageDriver()).isEqualTo("overlay");

            Cli.Result tooSmall = dolly.run("storage", "init", "--size", "10M");
            assertThat(tooSmall.exitCode()).isEqualTo(3);
            assertThat(daemon.home().resolve("storage.img")).doesNotExist();

            ServerInfo info = dolly.json(ServerInfo.class, "storage", "init", "--size", "2G");
            assertThat(info.storageDriver()).isEqualTo("btrfs");
            assertThat(info.storageTotalBytes()).isGreaterThan(1L << 30);
            assertThat(dolly.run("storage", "init", "--size", "2G").exitCode()).isEqualTo(3);

            dolly.succeed("create", "data-image", "-f", DaemonProcess.PROJECT_ROOT.resolve("examples/chinook/image.yaml").toString(), "-q");
            DataContainer container = dolly.json(DataContainer.class, "create", "data-container", "-i", "chinook", "-n", "kept");
            try (Connection connection = connect(container); Statement statement = connection.createStatement()) {
                statement.execute("delete from invoice_line");
            }
            assertThat(dolly.run("storage", "init", "--size", "2G").exitCode()).isNotZero();

            daemon.stop();
            daemon.unmountAll();
            try (var entries = Files.list(daemon.home().resolve("storage"))) {
                assertThat(entries.toList()).isEmpty();
            }
            daemon.start();

            assertThat(dolly.json(ServerInfo.class, "info").storageDriver()).isEqualTo("btrfs");
            try (Connection connection = connect(dolly.json(DataContainer.class, "get", "data-container", "kept")); Statement statement = connection.createStatement()) {
                assertThat(count(statement, "select count(*) from invoice_line")).isZero();
                assertThat(count(statement, "select count(*) from track")).isEqualTo(3503);
            }
            dolly.succeed("delete", "data-container", "kept");
            dolly.succeed("delete", "data-image", "chinook");
        }
    }

    /**
     * A daemon that dies during {@code storage init} (issue 11's crash points, after mkfs and after the mount)
     * leaves the storage where it was when it starts again, with no file system file or mount, and the init runs again.
     */
    @ParameterizedTest
    @ValueSource(strings = {"storage.init.formatted", "storage.init.mounted"})
    void anInterruptedInitLeavesNothingAndRunsAgain(String point)
            throws Exception
    {
        Path ext4 = TestImagesAndContainers.testFileSystem("DOLLY_TEST_EXT4");
        DaemonProcess crashing = DaemonProcess.withNewHome(ext4, Map.of("DOLLY_CRASH_AT", point)).start();
        try {
            assertThat(new Cli(crashing.environment()).run("storage", "init", "--size", "2G").exitCode()).isNotZero();
            assertThat(crashing.awaitExit(Duration.ofMinutes(2))).isEqualTo(137);
            assertThat(crashing.home().resolve("storage.img")).exists();
        }
        finally {
            crashing.stop();
        }
        Files.deleteIfExists(DollyHome.daemonFile(crashing.home()));
        try (DaemonProcess daemon = crashing.with(Map.of("DOLLY_CRASH_AT", "")).start()) {
            Cli dolly = new Cli(daemon.environment());
            assertThat(dolly.json(ServerInfo.class, "info").storageDriver()).isEqualTo("overlay");
            assertThat(daemon.home().resolve("storage.img")).doesNotExist();
            try (var lines = Files.lines(Path.of("/proc/self/mountinfo"))) {
                assertThat(lines.map(line -> line.split(" ")[4]).filter(mountPoint -> mountPoint.startsWith(daemon.home() + "/")).toList()).isEmpty();
            }

            assertThat(dolly.json(ServerInfo.class, "storage", "init", "--size", "2G").storageDriver()).isEqualTo("btrfs");
        }
    }
}
