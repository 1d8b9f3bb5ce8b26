package dev.dolly.bench;

import java.util.List;
import java.util.Locale;

/** The pieces of the Markdown reports: tables and how figures are written. */
final class Markdown
{
    private Markdown() {}

    static String table(List<String> header, List<List<String>> rows)
    {
        StringBuilder text = new StringBuilder();
        text.append("| ").append(String.join(" | ", header)).append(" |\n");
        text.append("|").append("---|".repeat(header.size())).append("\n");
        for (List<String> row : rows) {
            text.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        return text.toString().strip();
    }

    /** {@code 1.50×}, or {@code not measured} */
    static String ratio(Double value)
    {
        return value == null ? "not measured" : String.format(Locale.ROOT, "%.2f×", value);
    }

    /** {@code 0.123 s} */
    static String seconds(double value)
    {
        return String.format(Locale.ROOT, "%.3f s", value);
    }

    /** {@code 12.3 MiB}, or {@code ?} when unknown */
    static String megabytes(Long bytes)
    {
        return bytes == null || bytes < 0 ? "?" : String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
    }

    static String met(boolean met)
    {
        return met ? "met" : "**not met**";
    }
}
