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

    /** {@code 2h}, {@code 1h30m}, {@code 45s}, {@code 1d5s}: as {@link #parse} reads it. */
    public static String format(Duration duration)
    {
        StringBuilder text = new StringBuilder();
        if (duration.toDays() > 0) {
            text.append(duration.toDays()).append('d');
        }
        if (duration.toHoursPart() > 0) {
            text.append(duration.toHoursPart()).append('h');
        }
        if (duration.toMinutesPart() > 0) {
            text.append(duration.toMinutesPart()).append('m');
        }
        if (duration.toSecondsPart() > 0 || text.isEmpty()) {
            text.append(duration.toSecondsPart()).append('s');
        }
        return text.toString();
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
