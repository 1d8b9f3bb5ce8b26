package dev.dolly.tests;

import java.nio.file.Path;

/** Images and containers with the reflink storage driver. */
class TestImagesAndContainersWithReflink
        extends TestImagesAndContainers
{
    @Override
    Path homeParent()
    {
        return testFileSystem("DOLLY_TEST_XFS");
    }

    @Override
    String expectedDriver()
    {
        return "reflink";
    }
}
