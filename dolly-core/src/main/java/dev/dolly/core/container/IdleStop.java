package dev.dolly.core.container;

import dev.dolly.api.DollyException;
import dev.dolly.api.Durations;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * How long a container's server may go without a client connection before the daemon stops it: {@code 30m},
 * {@code 45s}, {@code 1h30m}, at least one second; {@code off} (or {@code 0}) for never.
 */
public final class IdleStop
{
    public static final Duration MINIMUM = Duration.ofSeconds(1);

    private IdleStop() {}

    /**
     * @param what names the setting in the error message, such as {@code --idle-stop}
     * @return empty for {@code off}
     */
    public static Optional<Duration> parse(String text, String what)
    {
        String value = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        if (value.equals("off") || value.equals("0")) {
            return Optional.empty();
        }
        Duration duration;
        try {
            duration = Durations.parse(value, what);
        }
        catch (DollyException e) {
            throw DollyException.badInput(what + " '" + text + "' is not a duration: use a number with a unit, such as 30m, 2h or 45s (off for never).");
        }
        if (duration.compareTo(MINIMUM) < 0) {
            throw DollyException.badInput(what + " '" + text + "' is too short: the shortest is 1s; use off for never.");
        }
        return Optional.of(duration);
    }
}
