package dev.dolly.tests;

import java.nio.file.Path;
import java.util.Map;

/** Images and containers with the copy storage driver. */
class TestImagesAndContainersWithCopy
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
        return "copy";
    }

    @Override
    Map<String, String> environment()
    {
        return Map.of("DOLLY_STORAGE_DRIVER", "copy");
    }
}
