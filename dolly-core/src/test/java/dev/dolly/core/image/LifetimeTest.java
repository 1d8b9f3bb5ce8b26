package dev.dolly.core.image;

import dev.dolly.api.DollyException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LifetimeTest
{
    @Test
    void parsesSpawnDurations()
    {
        assertThat(Lifetime.parse("90m", "lifetime").duration()).isEqualTo(Duration.ofMinutes(90));
        assertThat(Lifetime.parse("48h", "lifetime").duration()).isEqualTo(Duration.ofDays(2));
        assertThat(Lifetime.parse("10h30m", "lifetime").duration()).isEqualTo(Duration.ofMinutes(630));
        assertThat(Lifetime.parse("7d", "lifetime").duration()).isEqualTo(Duration.ofDays(7));
        assertThat(Lifetime.parse("5s", "lifetime").duration()).isEqualTo(Duration.ofSeconds(5));
        assertThat(Lifetime.parse("0", "lifetime").isForever()).isTrue();
        assertThat(Lifetime.parse(" 7d ", "lifetime").duration()).isEqualTo(Duration.ofDays(7));
        assertThat(Lifetime.parse("1d12h", "lifetime").duration()).isEqualTo(Duration.ofHours(36));
        assertThat(Lifetime.parse(null, "lifetime").isForever()).isTrue();
    }

    @Test
    void expiresAfterItsDuration()
    {
        Instant now = Instant.parse("2026-11-21T10:00:00Z");
        assertThat(Lifetime.parse("90m", "lifetime").expiry(now)).contains(Instant.parse("2026-11-21T11:30:00Z"));
        assertThat(Lifetime.FOREVER.expiry(now)).isEmpty();
    }

    @Test
    void refusesOtherText()
    {
        for (String text : new String[] {"", "m", "10", "1w", "-5m", "5 m", "h30", "30m10h", "1.5h"}) {
            assertThatThrownBy(() -> Lifetime.parse(text, "--lifetime"))
                    .isInstanceOf(DollyException.class)
                    .hasMessageContaining("--lifetime '" + text + "' is not a duration");
        }
    }
}
