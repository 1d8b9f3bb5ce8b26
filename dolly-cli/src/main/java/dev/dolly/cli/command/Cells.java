package dev.dolly.cli.command;

import dev.dolly.api.ResourceStatus;
import dev.dolly.cli.output.RelativeTime;

import java.time.Instant;
import java.util.List;

/** How table cells show the fields images and containers share. */
final class Cells
{
    private Cells() {}

    /** Bytes in binary units, such as {@code 1.5 GiB}. */
    static String bytes(long bytes)
    {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + " B" : String.format(java.util.Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    static String list(List<String> values)
    {
        return values == null ? "" : String.join(",", values);
    }

    static String engine(String engine, String version)
    {
        if (engine == null) {
            return "";
        }
        return version == null ? engine : engine + " " + version;
    }

    /** An image's engine, saying so when another version runs than the one asked for: {@code mysql 8.0 (runs 11.4.5-MariaDB)}. */
    static String engine(String engine, String requestedVersion, String version)
    {
        if (engine == null || requestedVersion == null || version == null || version.equals(requestedVersion) || version.startsWith(requestedVersion + ".")) {
            return engine(engine, version);
        }
        return engine + " " + requestedVersion + " (runs " + version + ")";
    }

    static String status(ResourceStatus status)
    {
        return status == null ? "" : status.displayName();
    }

    static String created(Instant createdAt, Instant now)
    {
        return createdAt == null ? "" : RelativeTime.format(createdAt, now);
    }
}
