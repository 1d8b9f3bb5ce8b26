package dev.dolly.cli.command;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version of this CLI, recorded at build time. */
final class DollyVersion
{
    private DollyVersion() {}

    static String version()
    {
        try (InputStream input = DollyVersion.class.getResourceAsStream("/dev/dolly/cli/version.properties")) {
            if (input == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(input);
            return properties.getProperty("version", "unknown");
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String line()
    {
        return "dolly version " + version();
    }
}
