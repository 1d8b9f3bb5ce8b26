package dev.dolly.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.List;
import java.util.Locale;

/**
 * The seconds of every run of one measurement, and their median, minimum and maximum. In the results:
 * {@code {"runs": [...], "medianSeconds": …, "minSeconds": …, "maxSeconds": …}}.
 */
record Timings(List<Double> runs)
{
    Timings
    {
        runs = List.copyOf(runs);
    }

    /** Seconds from one {@link System#nanoTime()} to another, to the millisecond. */
    static double seconds(long startNanos, long endNanos)
    {
        return round((endNanos - startNanos) / 1e9);
    }

    static double round(double value)
    {
        return Math.round(value * 1000) / 1000.0;
    }

    /** The median of sorted whole numbers (milliseconds, bytes): the mean of the two middle ones for an even count, rounded down. */
    static long median(List<Long> sorted)
    {
        int size = sorted.size();
        return size % 2 == 1 ? sorted.get(size / 2) : (sorted.get(size / 2 - 1) + sorted.get(size / 2)) / 2;
    }

    boolean isEmpty()
    {
        return runs.isEmpty();
    }

    double median()
    {
        List<Double> sorted = sorted();
        int size = sorted.size();
        if (size == 0) {
            throw new IllegalStateException("no runs");
        }
        return size % 2 == 1 ? sorted.get(size / 2) : round((sorted.get(size / 2 - 1) + sorted.get(size / 2)) / 2);
    }

    double min()
    {
        return sorted().getFirst();
    }

    double max()
    {
        return sorted().getLast();
    }

    /** {@code 1.23 s (1.10–1.50)} */
    String summary()
    {
        return String.format(Locale.ROOT, "%.2f s (%.2f–%.2f)", median(), min(), max());
    }

    @JsonValue
    Serialized serialized()
    {
        return isEmpty() ? new Serialized(runs, null, null, null) : new Serialized(runs, median(), min(), max());
    }

    private List<Double> sorted()
    {
        return runs.stream().sorted().toList();
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Serialized(List<Double> runs, Double medianSeconds, Double minSeconds, Double maxSeconds) {}
}
