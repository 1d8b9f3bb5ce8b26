package dev.dolly.tests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A small PostgreSQL 17 image of a test's own, built from one SQL script. */
final class ScriptsImage
{
    private ScriptsImage() {}

    /** Writes the script and its image definition into the directory and builds the image through the CLI. */
    static void create(Cli cli, Path directory, String name, String sql)
            throws IOException, InterruptedException
    {
        Files.createDirectories(directory.resolve("schema"));
        Files.writeString(directory.resolve("schema/01-" + name + ".sql"), sql);
        Files.writeString(directory.resolve("image.yaml"), "name: " + name + "\nsourceType: scripts\nengine: postgresql\nversion: 17\nscriptsFolders: [./schema]\n");
        cli.succeed("create", "data-image", "-f", directory.resolve("image.yaml").toString(), "-q");
    }
}
