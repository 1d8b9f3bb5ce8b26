package dev.dolly.core.quota;

import dev.dolly.api.DollyException;

import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

import static java.util.Objects.requireNonNull;

/**
 * One per-user limit, set by the administrator with a variable of the daemon's environment: a whole number of at
 * least 1, or {@value #UNLIMITED}.
 *
 * @param variable the environment variable that sets it, which messages name
 * @param limit the most a user may have; empty for no limit
 */
public record Quota(String variable, OptionalInt limit)
{
    public static final String UNLIMITED = "unlimited";

    public Quota
    {
        requireNonNull(variable, "variable is null");
        requireNonNull(limit, "limit is null");
        if (limit.isPresent() && limit.getAsInt() < 1) {
            throw new IllegalArgumentException(variable + ": a limit is at least 1: " + limit.getAsInt());
        }
    }

    public static Quota of(String variable, int limit)
    {
        return new Quota(variable, OptionalInt.of(limit));
    }

    public static Quota unlimited(String variable)
    {
        return new Quota(variable, OptionalInt.empty());
    }

    /** The quota a variable sets, or its default when it is not set. */
    static Quota fromEnvironment(Map<String, String> environment, String variable, int defaultLimit)
    {
        String text = environment.get(variable);
        if (text == null || text.isBlank()) {
            return of(variable, defaultLimit);
        }
        String value = text.strip().toLowerCase(Locale.ROOT);
        if (value.equals(UNLIMITED)) {
            return unlimited(variable);
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1) {
                return of(variable, limit);
            }
        }
        catch (NumberFormatException ignored) {
            // refused below
        }
        throw DollyException.badInput(variable + " '" + text.strip() + "' must be a whole number of at least 1, or " + UNLIMITED + " (the default is "
                + defaultLimit + ").");
    }

    /** Whether a user who has {@code count} may have one more. */
    public boolean allowsOneMoreThan(int count)
    {
        return limit.isEmpty() || count < limit.getAsInt();
    }

    /** The limit as the administrator writes it: {@code 20} or {@value #UNLIMITED}. */
    @Override
    public String toString()
    {
        return limit.isPresent() ? String.valueOf(limit.getAsInt()) : UNLIMITED;
    }
}
