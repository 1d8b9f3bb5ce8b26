package dev.dolly.tests;

import java.nio.file.Path;
import java.util.Map;

/** The MySQL engine with the copy storage driver. */
class TestMySqlWithCopy
        extends TestMySql
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
