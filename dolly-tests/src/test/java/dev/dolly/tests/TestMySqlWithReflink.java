package dev.dolly.tests;

import java.nio.file.Path;

/** The MySQL engine with the reflink storage driver. */
class TestMySqlWithReflink
        extends TestMySql
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
