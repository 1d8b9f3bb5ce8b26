package dev.dolly.tests;

import dev.dolly.api.DataImage;
import dev.dolly.api.ResourceStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10: "an image build timeout (a pg_sleep(1e9) pre-script must not hold a build slot forever)". A real daemon
 * with {@code DOLLY_BUILD_TIMEOUT=30s} and one build at once per user, on the overlay driver (whose volumes are
 * mounts), builds a real PostgreSQL image whose pre-script sleeps for ever.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestBuildTimeout
{
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private DaemonProcess daemon;
    private Cli dolly;
    private Path work;

    @BeforeAll
    void startDaemon()
            throws Exception
    {
        // a first build without the timeout installs the engine in the home: on a busy machine that alone can take longer than the timeout
        daemon = DaemonProcess.withNewHome(DriverUnderTest.OVERLAY.homeParent(), Map.of()).start();
        dolly = new Cli(daemon.environment());
        work = Files.createTempDirectory(daemon.home().getParent(), "work");
        dolly.succeed("create", "data-image", "-f", definition("installs", "").toString(), "-q");
        daemon.stop();
        daemon = daemon.with(Map.of("DOLLY_BUILD_TIMEOUT", TIMEOUT.toSeconds() + "s", "DOLLY_QUOTA_CONCURRENT_BUILDS", "1")).start();
    }

    @AfterAll
    void stopDaemon()
            throws Exception
    {
        if (daemon != null) {
            for (DataImage image : dolly.json(DataImage[].class, "get", "data-images")) {
                dolly.succeed("delete", "data-image", String.valueOf(image.id()));
            }
            daemon.close();
        }
    }

    @Test
    void aPreScriptThatSleepsForEverFailsAfterTheTimeoutLeavesNothingAndFreesTheBuildSlot()
            throws Exception
    {
        long start = System.nanoTime();
        Cli.Result result = dolly.run("create", "data-image", "-f", definition("sleeper", "preScript: select pg_sleep(1e9);").toString());
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("DOLLY_BUILD_TIMEOUT");
        assertThat(took).isBetween(TIMEOUT, TIMEOUT.plusSeconds(60));
        DataImage sleeper = dolly.json(DataImage.class, "get", "data-image", "sleeper");
        assertThat(sleeper.status()).isEqualTo(ResourceStatus.FAILED);
        // the statement ran when the time was up, and it was ended with its server
        assertThat(sleeper.statusMessage()).isEqualTo("The build ran longer than DOLLY_BUILD_TIMEOUT allows (30s) and was stopped in step 'pre-script'. "
                + "Make the definition's scripts faster, or ask an administrator to raise DOLLY_BUILD_TIMEOUT.");
        Path volume = daemon.home().resolve("storage/images/" + sleeper.id());
        assertThat(volume).doesNotExist();
        assertThat(Engines.postgresProcessesUnder(daemon.home().resolve("storage"))).isEmpty();
        assertThat(mountsUnder(daemon.home().resolve("storage/images"))).isEmpty();
        assertThat(daemon.home().resolve("logs/engines/image-" + sleeper.id() + ".log")).doesNotExist();

        // with one build at once allowed, the slot is free again: the next build is accepted
        DataImage next = dolly.json(DataImage.class, "create", "data-image", "-f", definition("next", "").toString(), "--no-wait");
        assertThat(next.status()).isEqualTo(ResourceStatus.PENDING);
        Cli.Result refused = dolly.run("create", "data-image", "-f", definition("one-too-many", "").toString(), "--no-wait");
        assertThat(refused.exitCode()).isEqualTo(8);
        assertThat(refused.stderr()).contains("DOLLY_QUOTA_CONCURRENT_BUILDS allows 1 at once per user");
        awaitSettled(next.id());
    }

    /** Waits until a build is over, however it ends. */
    private void awaitSettled(long id)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + TIMEOUT.plusSeconds(30).toNanos();
        while (dolly.json(DataImage.class, "get", "data-image", String.valueOf(id)).status() == ResourceStatus.PENDING) {
            assertThat(System.nanoTime()).as("build " + id + " still pending").isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private Path definition(String name, String lines)
            throws IOException
    {
        Path file = work.resolve(name + ".yaml");
        Files.writeString(file, "name: " + name + "\nsourceType: empty\nengine: postgresql\nversion: 17\n" + lines + "\n");
        return file;
    }

    /** The mount points below a directory, from the kernel's table. */
    private static List<String> mountsUnder(Path directory)
            throws IOException
    {
        try (var lines = Files.lines(Path.of("/proc/self/mountinfo"))) {
            return lines.map(line -> line.split(" ")[4])
                    .filter(mountPoint -> mountPoint.startsWith(directory + "/"))
                    .toList();
        }
    }
}
