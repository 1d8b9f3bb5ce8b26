package dev.dolly.core.storage;

import dev.dolly.core.process.Command;
import dev.dolly.core.process.CommandRunner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real file systems the drivers are tested on, set up by {@code .ci/test-filesystems up}. Without them a test
 * is skipped, or fails when {@code CI} is {@code true}.
 */
final class MountedTestFileSystems
{
    static final String BTRFS = "DOLLY_TEST_BTRFS";
    static final String XFS = "DOLLY_TEST_XFS";
    static final String EXT4 = "DOLLY_TEST_EXT4";

    private MountedTestFileSystems() {}

    /** The mount point a variable names; skips (or fails in CI) when it is not set or not a directory. */
    static Path require(String variable)
    {
        String value = System.getenv(variable);
        if (value == null || value.isBlank() || !Files.isDirectory(Path.of(value))) {
            unavailable(variable + " does not name a mounted test file system. As root, run: eval \"$(.ci/test-filesystems up)\"");
        }
        return Path.of(value);
    }

    /** Skips (or fails in CI) unless the tests run as root. */
    static void requireRoot(String why)
    {
        if (!StorageDrivers.runningAsRoot()) {
            unavailable("The tests must run as root: " + why);
        }
    }

    /** A fresh directory below a test file system that other users may traverse, as engines running as another user must. */
    static Path freshDirectory(Path fileSystem, String prefix)
    {
        try {
            Path directory = fileSystem.resolve(prefix + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
            Files.createDirectory(directory);
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx--x--x"));
            return directory;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The user ID a file belongs to, not following a link. */
    static int owner(Path path)
            throws IOException
    {
        return (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    }

    /** Runs a shell script as an account (user and group), without supplementary groups; needs root. */
    static CommandRunner.Result runAs(int account, String script)
    {
        return CommandRunner.system().run(Command.of("setpriv", "--reuid=" + account, "--regid=" + account, "--clear-groups", "--", "sh", "-c", script));
    }

    private static void unavailable(String message)
    {
        if ("true".equals(System.getenv("CI"))) {
            fail(message);
        }
        assumeTrue(false, message);
    }
}
