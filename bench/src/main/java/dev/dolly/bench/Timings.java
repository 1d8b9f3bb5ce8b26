package dev.dolly.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The seconds of every run of one measurement, and their median, minimum and maximum. */
final class Timings
{
    private final List<Double> seconds = new ArrayList<>();

    void add(long startNanos, long endNanos)
    {
        seconds.add(round((endNanos - startNanos) / 1e9));
    }

    List<Double> runs()
    {
        return List.copyOf(seconds);
    }

    boolean isEmpty()
    {
        return seconds.isEmpty();
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

    Map<String, Object> toJson()
    {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("runs", runs());
        if (!isEmpty()) {
            json.put("medianSeconds", median());
            json.put("minSeconds", min());
            json.put("maxSeconds", max());
        }
        return json;
    }

    /** {@code 1.234 s (1.100–1.500)} */
    String summary()
    {
        return String.format(java.util.Locale.ROOT, "%.2f s (%.2f–%.2f)", median(), min(), max());
    }

    private List<Double> sorted()
    {
        return seconds.stream().sorted().toList();
    }

    static double round(double value)
    {
        return Math.round(value * 1000) / 1000.0;
    }
}
