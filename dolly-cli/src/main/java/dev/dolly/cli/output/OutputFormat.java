package dev.dolly.cli.output;

import java.util.Locale;

/** What {@code -o} chooses. */
public enum OutputFormat
{
    TABLE,
    JSON,
    YAML;

    public static OutputFormat fromName(String name)
    {
        for (OutputFormat format : values()) {
            if (format.name().equalsIgnoreCase(name.strip())) {
                return format;
            }
        }
        throw new IllegalArgumentException("Unknown output format '" + name + "': use table, json or yaml");
    }

    @Override
    public String toString()
    {
        return name().toLowerCase(Locale.ROOT);
    }
}
