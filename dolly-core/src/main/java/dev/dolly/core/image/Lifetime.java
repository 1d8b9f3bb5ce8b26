package dev.dolly.core.image;

import dev.dolly.api.Durations;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How long an image or a container lives: {@code 90m}, {@code 48h}, {@code 10h30m}, {@code 7d}, {@code 45s}, or
 * {@code 0} for ever.
 */
public record Lifetime(Duration duration)
{
    public static final Lifetime FOREVER = new Lifetime(Duration.ZERO);

    /**
     * @param what names the setting in error messages, such as {@code lifetime} or {@code --lifetime}
     */
    public static Lifetime parse(String text, String what)
    {
        if (text == null) {
            return FOREVER;
        }
        return new Lifetime(Durations.parse(text, what));
    }

    public boolean isForever()
    {
        return duration.isZero();
    }

    public Optional<Instant> expiry(Instant from)
    {
        return isForever() ? Optional.empty() : Optional.of(from.plus(duration));
    }
}
