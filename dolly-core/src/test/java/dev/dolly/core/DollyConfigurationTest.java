package dev.dolly.core;

import dev.dolly.api.DollyException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DollyConfigurationTest
{
    @Test
    void sessionsLastTwelveHoursUnlessConfigured()
    {
        assertThat(DollyConfiguration.fromEnvironment(Map.of("DOLLY_HOME", "/tmp/dolly-home")).sessionLifetime()).isEqualTo(Duration.ofHours(12));
        assertThat(DollyConfiguration.fromEnvironment(Map.of("DOLLY_HOME", "/tmp/dolly-home", "DOLLY_SESSION_LIFETIME", "7d")).sessionLifetime())
                .isEqualTo(Duration.ofDays(7));
    }

    @Test
    void refusesSessionsThatNeverExpireOrAreNotDurations()
    {
        assertThatThrownBy(() -> DollyConfiguration.fromEnvironment(Map.of("DOLLY_HOME", "/tmp/dolly-home", "DOLLY_SESSION_LIFETIME", "0")))
                .isInstanceOf(DollyException.class)
                .hasMessageContaining("DOLLY_SESSION_LIFETIME");
        assertThatThrownBy(() -> DollyConfiguration.fromEnvironment(Map.of("DOLLY_HOME", "/tmp/dolly-home", "DOLLY_SESSION_LIFETIME", "a while")))
                .hasMessageContaining("DOLLY_SESSION_LIFETIME 'a while' is not a duration");
    }
}
