package dev.dolly.daemon.web;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * Writing HTML by hand, safely: every text that does not come from this package goes through {@link #text}, which
 * escapes what HTML gives a meaning to, in element content and in quoted attribute values alike.
 */
final class Html
{
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private Html() {}

    /** The text, escaped for element content and for attribute values in double or single quotes; empty for null. */
    static String text(Object value)
    {
        if (value == null) {
            return "";
        }
        String text = value.toString();
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (int index = 0; index < text.length(); index++) {
            char character = text.charAt(index);
            switch (character) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(character);
            }
        }
        return escaped.toString();
    }

    /** A path segment of a link, with everything but unreserved characters percent-encoded, then escaped. */
    static String pathSegment(Object value)
    {
        return text(java.net.URLEncoder.encode(String.valueOf(value), java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"));
    }

    static String list(List<String> values)
    {
        return values == null || values.isEmpty() ? "" : text(String.join(", ", values));
    }

    static String timestamp(Instant instant)
    {
        return instant == null ? "" : "<time datetime=\"" + text(instant) + "\">" + text(TIMESTAMP.format(instant)) + "</time>";
    }

    /** When something expires, relative to now: {@code in 2 days}, {@code in 5 hours}, {@code expired}; empty for never. */
    static String expires(Instant expiresAt, Instant now)
    {
        if (expiresAt == null) {
            return "";
        }
        Duration left = Duration.between(now, expiresAt);
        String relative;
        if (left.isNegative() || left.isZero()) {
            relative = "expired";
        }
        else if (left.toDays() >= 1) {
            relative = "in " + plural(left.toDays(), "day");
        }
        else if (left.toHours() >= 1) {
            relative = "in " + plural(left.toHours(), "hour");
        }
        else {
            relative = "in " + plural(Math.max(1, left.toMinutes()), "minute");
        }
        return "<time datetime=\"" + text(expiresAt) + "\" title=\"" + text(TIMESTAMP.format(expiresAt)) + "\">" + relative + "</time>";
    }

    private static String plural(long count, String unit)
    {
        return count + " " + unit + (count == 1 ? "" : "s");
    }

    /** Bytes as the CLI shows them: {@code 12.3 MiB}; empty when unknown. */
    static String bytes(Long bytes)
    {
        if (bytes == null) {
            return "";
        }
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
