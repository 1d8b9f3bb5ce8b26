package dev.dolly.daemon;

import java.util.List;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads samples out of a scrape of {@code /metrics} (Prometheus' text format). Shared with the end-to-end tests through
 * dolly-daemon's test jar.
 */
public final class PrometheusSamples
{
    private PrometheusSamples() {}

    /** The value of the first sample of the metric that has all the given labels, such as {@code status="READY"}. */
    public static OptionalDouble value(String metrics, String name, String... labels)
    {
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)} (\\S+)$").matcher(metrics);
        while (matcher.find()) {
            if (List.of(matcher.group(1).split(",")).containsAll(List.of(labels))) {
                return OptionalDouble.of(Double.parseDouble(matcher.group(2)));
            }
        }
        return OptionalDouble.empty();
    }
}
