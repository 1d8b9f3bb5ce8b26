package dev.dolly.tests;

import java.nio.file.Path;

/** Images and containers with the overlay storage driver. */
class TestImagesAndContainersWithOverlay
        extends TestImagesAndContainers
{
    @Override
    Path homeParent()
    {
        return testFileSystem("DOLLY_TEST_EXT4");
    }

    @Override
    String expectedDriver()
    {
        return "overlay";
    }
}
