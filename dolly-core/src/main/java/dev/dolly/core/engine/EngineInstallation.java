package dev.dolly.core.engine;

import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/**
 * Binaries of one engine version, ready to run.
 *
 * @param engine the engine's name, such as {@code postgresql}
 * @param version the exact version, such as {@code 17.6.0}
 * @param binDirectory the directory holding the server programs (for PostgreSQL: initdb, pg_ctl, postgres)
 */
public record EngineInstallation(String engine, String version, Path binDirectory)
{
    public EngineInstallation
    {
        requireNonNull(engine, "engine is null");
        requireNonNull(version, "version is null");
        requireNonNull(binDirectory, "binDirectory is null");
    }

    /** The major version: {@code 17} for {@code 17.6.0}, {@code 9.6} for {@code 9.6.24}. */
    public String majorVersion()
    {
        String[] parts = version.split("\\.");
        if (parts[0].equals("9") && parts.length > 1) {
            return parts[0] + "." + parts[1];
        }
        return parts[0];
    }
}
