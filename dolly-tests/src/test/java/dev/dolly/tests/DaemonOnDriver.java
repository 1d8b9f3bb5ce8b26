package dev.dolly.tests;

import dev.dolly.api.DataContainer;
import dev.dolly.api.DataImage;
import dev.dolly.api.ServerInfo;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One real daemon per storage driver a parameterised test class runs on, its home on the file system of that driver,
 * with an example image made before the tests and everything deleted through Dolly after them. Subclasses are
 * {@code @ParameterizedClass}es whose source gives the {@link DriverUnderTest}s; the tests of one driver share its
 * daemon, and the invocations share the one test instance ({@code PER_CLASS}), whose daemon each replaces.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DaemonOnDriver
{
    static final Path EXAMPLES = DaemonProcess.PROJECT_ROOT.resolve("examples");

    @Parameter
    DriverUnderTest driver;

    DaemonProcess daemon;
    Cli dolly;

    /** The definition of the image the tests start from, below {@code examples/}, such as {@code chinook/image.yaml}. */
    abstract String exampleImage();

    /** More settings of the daemon's environment, such as a port range or quotas. */
    Map<String, String> daemonSettings()
    {
        return Map.of();
    }

    @BeforeParameterizedClassInvocation
    void startDaemon()
            throws Exception
    {
        Map<String, String> environment = new HashMap<>(driver.environment());
        environment.putAll(daemonSettings());
        daemon = DaemonProcess.withNewHome(driver.homeParent(), environment).start();
        dolly = new Cli(daemon.environment());
        assertThat(dolly.json(ServerInfo.class, "info").storageDriver()).isEqualTo(driver.driverName());
        dolly.succeed("create", "data-image", "-f", EXAMPLES.resolve(exampleImage()).toString(), "-q");
    }

    /**
     * Deletes every container and image through Dolly, which knows how its driver removes volumes (read-only btrfs
     * snapshots, overlay mounts).
     */
    static void deleteEverything(Cli dolly)
    {
        for (DataContainer container : dolly.json(DataContainer[].class, "get", "data-containers")) {
            dolly.succeed("delete", "data-container", container.name());
        }
        // newest first: with overlay, images graduated from revisions are stacked on older ones
        for (DataImage image : Arrays.asList(dolly.json(DataImage[].class, "get", "data-images")).reversed()) {
            dolly.succeed("delete", "data-image", String.valueOf(image.id()));
        }
    }

    @AfterParameterizedClassInvocation
    void stopDaemon()
            throws Exception
    {
        if (daemon != null) {
            try {
                deleteEverything(dolly);
            }
            finally {
                daemon.close();
                // the invocations share one test instance: a driver whose daemon does not start must not find the last one's
                daemon = null;
                dolly = null;
            }
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
