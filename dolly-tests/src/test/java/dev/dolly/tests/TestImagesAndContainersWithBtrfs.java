package dev.dolly.tests;

import java.nio.file.Path;

/** Images and containers with the btrfs storage driver. */
class TestImagesAndContainersWithBtrfs
        extends TestImagesAndContainers
{
    @Override
    Path homeParent()
    {
        return testFileSystem("DOLLY_TEST_BTRFS");
    }

    @Override
    String expectedDriver()
    {
        return "btrfs";
    }
}
