package dev.dolly.cli.output;

import java.time.Duration;
import java.time.Instant;

import static java.util.Objects.requireNonNull;

/** Times the way people say them: {@code 18 hours ago}, {@code just now}, {@code in 4 days}. */
public final class RelativeTime
{
    private static final long MINUTE = 60;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;
    private static final long MONTH = 30 * DAY;
    private static final long YEAR = 365 * DAY;

    private RelativeTime() {}

    /** How long ago (or, for a time to come, in how long) {@code time} is, seen from {@code now}. */
    public static String format(Instant time, Instant now)
    {
        requireNonNull(time, "time is null");
        requireNonNull(now, "now is null");
        long seconds = Duration.between(time, now).toSeconds();
        if (seconds >= 0) {
            return seconds < MINUTE ? "just now" : amount(seconds) + " ago";
        }
        // a time to come is rounded, not cut: a lifetime of 7 days shows as "in 7 days", not "in 6 days", after a minute
        return -seconds < MINUTE ? "in less than a minute" : "in " + roundedAmount(-seconds);
    }

    /** An expiry time: {@code never} when there is none, {@code expired} when it has passed. */
    public static String expiry(Instant expiresAt, Instant now)
    {
        requireNonNull(now, "now is null");
        if (expiresAt == null) {
            return "never";
        }
        if (!expiresAt.isAfter(now)) {
            return "expired";
        }
        return format(expiresAt, now);
    }

    private static String amount(long seconds)
    {
        if (seconds < HOUR) {
            return plural(seconds / MINUTE, "minute");
        }
        if (seconds < DAY) {
            return plural(seconds / HOUR, "hour");
        }
        if (seconds < MONTH) {
            return plural(seconds / DAY, "day");
        }
        if (seconds < YEAR) {
            return plural(seconds / MONTH, "month");
        }
        return plural(seconds / YEAR, "year");
    }

    private static String roundedAmount(long seconds)
    {
        long[] sizes = {MINUTE, HOUR, DAY, MONTH, YEAR};
        String[] units = {"minute", "hour", "day", "month", "year"};
        for (int index = 0; index < sizes.length - 1; index++) {
            long count = Math.round((double) seconds / sizes[index]);
            if (count * sizes[index] < sizes[index + 1]) {
                return plural(Math.max(count, 1), units[index]);
            }
        }
        return plural(Math.round((double) seconds / YEAR), "year");
    }

    private static String plural(long count, String unit)
    {
        return count + " " + unit + (count == 1 ? "" : "s");
    }
}
