package dev.dolly.core.image;

import dev.dolly.api.DollyException;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long an image or a container lives: {@code 90m}, {@code 48h}, {@code 10h30m}, {@code 7d}, {@code 45s}, or
 * {@code 0} for ever.
 */
public record Lifetime(Duration duration)
{
    private static final Pattern FORMAT = Pattern.compile("(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

    public static final Lifetime FOREVER = new Lifetime(Duration.ZERO);

    /**
     * @param what names the setting in error messages, such as {@code lifetime} or {@code --lifetime}
     */
    public static Lifetime parse(String text, String what)
    {
        if (text == null) {
            return FOREVER;
        }
        String value = text.strip();
        if (value.equals("0")) {
            return FOREVER;
        }
        Matcher matcher = FORMAT.matcher(value);
        if (value.isEmpty() || !matcher.matches()) {
            throw DollyException.badInput(what + " '" + text + "' is not a duration: use a number with a unit, such as 90m, 48h, 10h30m or 7d (0 for never)");
        }
        Duration duration = Duration.ZERO;
        duration = duration.plusDays(number(matcher.group(1)));
        duration = duration.plusHours(number(matcher.group(2)));
        duration = duration.plusMinutes(number(matcher.group(3)));
        duration = duration.plusSeconds(number(matcher.group(4)));
        return new Lifetime(duration);
    }

    public boolean isForever()
    {
        return duration.isZero();
    }

    public Optional<Instant> expiry(Instant from)
    {
        return isForever() ? Optional.empty() : Optional.of(from.plus(duration));
    }

    private static long number(String group)
    {
        return group == null ? 0 : Long.parseLong(group);
    }
}
