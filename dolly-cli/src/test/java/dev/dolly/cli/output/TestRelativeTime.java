package dev.dolly.cli.output;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static dev.dolly.cli.output.RelativeTime.expiry;
import static dev.dolly.cli.output.RelativeTime.format;
import static org.assertj.core.api.Assertions.assertThat;

class TestRelativeTime
{
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    @Test
    void past()
    {
        assertThat(format(NOW, NOW)).isEqualTo("just now");
        assertThat(format(ago(Duration.ofSeconds(59)), NOW)).isEqualTo("just now");
        assertThat(format(ago(Duration.ofSeconds(60)), NOW)).isEqualTo("1 minute ago");
        assertThat(format(ago(Duration.ofMinutes(2).plusSeconds(59)), NOW)).isEqualTo("2 minutes ago");
        assertThat(format(ago(Duration.ofMinutes(59)), NOW)).isEqualTo("59 minutes ago");
        assertThat(format(ago(Duration.ofHours(1)), NOW)).isEqualTo("1 hour ago");
        assertThat(format(ago(Duration.ofHours(18)), NOW)).isEqualTo("18 hours ago");
        assertThat(format(ago(Duration.ofHours(24)), NOW)).isEqualTo("1 day ago");
        assertThat(format(ago(Duration.ofDays(29)), NOW)).isEqualTo("29 days ago");
        assertThat(format(ago(Duration.ofDays(30)), NOW)).isEqualTo("1 month ago");
        assertThat(format(ago(Duration.ofDays(364)), NOW)).isEqualTo("12 months ago");
        assertThat(format(ago(Duration.ofDays(365)), NOW)).isEqualTo("1 year ago");
        assertThat(format(ago(Duration.ofDays(800)), NOW)).isEqualTo("2 years ago");
    }

    @Test
    void future()
    {
        assertThat(format(NOW.plusSeconds(30), NOW)).isEqualTo("in less than a minute");
        assertThat(format(NOW.plus(Duration.ofMinutes(89)), NOW)).isEqualTo("in 1 hour");
        assertThat(format(NOW.plus(Duration.ofMinutes(90)), NOW)).isEqualTo("in 2 hours");
        // rounded rather than cut: a 7-day lifetime reads "in 7 days" while the build that set it finishes
        assertThat(format(NOW.plus(Duration.ofDays(7)).minus(Duration.ofMinutes(3)), NOW)).isEqualTo("in 7 days");
        assertThat(format(NOW.plus(Duration.ofHours(23)).plus(Duration.ofMinutes(40)), NOW)).isEqualTo("in 1 day");
        assertThat(format(NOW.plus(Duration.ofMinutes(59)).plusSeconds(40), NOW)).isEqualTo("in 1 hour");
        assertThat(format(NOW.plus(Duration.ofHours(47)), NOW)).isEqualTo("in 2 days");
        assertThat(format(NOW.plus(Duration.ofDays(400)), NOW)).isEqualTo("in 1 year");
        assertThat(format(NOW.plus(Duration.ofDays(4)), NOW)).isEqualTo("in 4 days");
        assertThat(format(NOW.plus(Duration.ofDays(1)), NOW)).isEqualTo("in 1 day");
    }

    @Test
    void expiries()
    {
        assertThat(expiry(null, NOW)).isEqualTo("never");
        assertThat(expiry(NOW, NOW)).isEqualTo("expired");
        assertThat(expiry(ago(Duration.ofDays(3)), NOW)).isEqualTo("expired");
        assertThat(expiry(NOW.plus(Duration.ofDays(4)).plusSeconds(5), NOW)).isEqualTo("in 4 days");
    }

    private static Instant ago(Duration duration)
    {
        return NOW.minus(duration);
    }
}
