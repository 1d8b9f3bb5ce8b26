package dev.dolly.api;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as Spawn writes them: {@code 90m}, {@code 48h}, {@code 10h30m}, {@code 7d}, {@code 45s}, and {@code 0}.
 * Lifetimes and the CLI's {@code --timeout} read them the same way. None is longer than {@link #MAXIMUM}
 * (10 years): {@code 0} means never, and longer ones would only overflow the dates they are added to.
 */
public final class Durations
{
    public static final Duration MAXIMUM = Duration.ofDays(3650);

    private static final Pattern FORMAT = Pattern.compile("(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

    private Durations() {}

    /**
     * @param what names the setting in the error message, such as {@code lifetime} or {@code --timeout}
     * @return the duration; {@link Duration#ZERO} for {@code 0}
     */
    public static Duration parse(String text, String what)
    {
        String value = text == null ? "" : text.strip();
        if (value.equals("0")) {
            return Duration.ZERO;
        }
        Matcher matcher = FORMAT.matcher(value);
        if (value.isEmpty() || !matcher.matches()) {
            throw DollyException.badInput(what + " '" + text + "' is not a duration: use a number with a unit, such as 90m, 48h, 10h30m or 7d (0 for never)");
        }
        Duration duration;
        try {
            duration = Duration.ofDays(number(matcher.group(1)))
                    .plusHours(number(matcher.group(2)))
                    .plusMinutes(number(matcher.group(3)))
                    .plusSeconds(number(matcher.group(4)));
        }
        catch (ArithmeticException e) {
            duration = null;
        }
        if (duration == null || duration.compareTo(MAXIMUM) > 0) {
            throw DollyException.badInput(what + " '" + text + "' is too long: the longest is " + MAXIMUM.toDays() + "d (10 years); use 0 for never.");
        }
        return duration;
    }

    private static long number(String group)
    {
        if (group == null) {
            return 0;
        }
        try {
            return Long.parseLong(group);
        }
        catch (NumberFormatException e) {
            throw new ArithmeticException("too large");
        }
    }
}
