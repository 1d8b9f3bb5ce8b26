package dev.dolly.tests;

import java.nio.file.Path;

/** The MySQL engine with the overlay storage driver. */
class TestMySqlWithOverlay
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
        return "overlay";
    }
}
