package dev.dolly.tests;

import java.nio.file.Path;
import java.util.Map;

import static dev.dolly.tests.DaemonOnDriver.testFileSystem;

/**
 * A storage driver the end-to-end tests run on: the test file system it needs (an environment variable of
 * .ci/test-filesystems), the driver the daemon must pick there, and whether the daemon detects it there or must be
 * told with {@code DOLLY_STORAGE_DRIVER} (copy, on ext4, where detection picks overlay).
 */
enum DriverUnderTest
{
    BTRFS("DOLLY_TEST_BTRFS", "btrfs", true),
    REFLINK("DOLLY_TEST_XFS", "reflink", true),
    OVERLAY("DOLLY_TEST_EXT4", "overlay", true),
    COPY("DOLLY_TEST_EXT4", "copy", false);

    private final String fileSystemVariable;
    private final String driverName;
    private final boolean detected;

    DriverUnderTest(String fileSystemVariable, String driverName, boolean detected)
    {
        this.fileSystemVariable = fileSystemVariable;
        this.driverName = driverName;
        this.detected = detected;
    }

    /** The directory daemon homes are made in: on the file system the driver needs. */
    Path homeParent()
    {
        return testFileSystem(fileSystemVariable);
    }

    /** The driver the daemon must pick, as {@code dolly info} names it. */
    String driverName()
    {
        return driverName;
    }

    /** Settings that choose the driver, if detection would not. */
    Map<String, String> environment()
    {
        return detected ? Map.of() : Map.of("DOLLY_STORAGE_DRIVER", driverName);
    }

    /** The driver's name, which display names show. */
    @Override
    public String toString()
    {
        return driverName;
    }
}
