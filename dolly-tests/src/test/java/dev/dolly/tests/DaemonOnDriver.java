package dev.dolly.tests;

import dev.dolly.api.DataContainer;
import dev.dolly.api.DataImage;
import dev.dolly.api.ServerInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One real daemon per test class, its home on the file system of one storage driver (one subclass per driver), with
 * an example image made before the tests and everything deleted through Dolly after them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DaemonOnDriver
{
    static final Path EXAMPLES = DaemonProcess.PROJECT_ROOT.resolve("examples");

    DaemonProcess daemon;
    Cli dolly;

    /** The directory the home is made in: on the file system the driver needs. */
    abstract Path homeParent();

    /** The driver the daemon must pick there. */
    abstract String expectedDriver();

    /** The definition of the image the tests start from, below {@code examples/}, such as {@code chinook/image.yaml}. */
    abstract String exampleImage();

    /** Settings that choose the driver, if detection would not. */
    Map<String, String> environment()
    {
        return Map.of();
    }

    @BeforeAll
    void startDaemon()
            throws Exception
    {
        daemon = DaemonProcess.withNewHome(homeParent(), environment()).start();
        dolly = new Cli(daemon.environment());
        assertThat(dolly.json(ServerInfo.class, "info").storageDriver()).isEqualTo(expectedDriver());
        dolly.succeed("create", "data-image", "-f", EXAMPLES.resolve(exampleImage()).toString(), "-q");
    }

    @AfterAll
    void stopDaemon()
            throws Exception
    {
        if (daemon != null) {
            // through Dolly, which knows how its driver removes volumes (read-only btrfs snapshots, overlay mounts)
            for (DataContainer container : dolly.json(DataContainer[].class, "get", "data-containers")) {
                dolly.succeed("delete", "data-container", container.name());
            }
            // newest first: with overlay, images graduated from revisions are stacked on older ones
            for (DataImage image : Arrays.asList(dolly.json(DataImage[].class, "get", "data-images")).reversed()) {
                dolly.succeed("delete", "data-image", String.valueOf(image.id()));
            }
            daemon.close();
        }
    }

    /** A test file system named by an environment variable of .ci/test-filesystems; in CI, a missing one fails the run. */
    static Path testFileSystem(String variable)
    {
        String value = System.getenv(variable);
        if (value == null || value.isBlank()) {
            String message = variable + " is not set: mount the test file systems as root with 'eval \"$(.ci/test-filesystems up)\"' (./run-tests does).";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(message);
            }
            Assumptions.abort(message);
        }
        return Path.of(value);
    }
}
