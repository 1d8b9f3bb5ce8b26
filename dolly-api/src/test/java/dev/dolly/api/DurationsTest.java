package dev.dolly.api;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DurationsTest
{
    @Test
    void takesDurationsUpToTheMaximum()
    {
        assertThat(Durations.parse("3650d", "--lifetime")).isEqualTo(Duration.ofDays(3650));
        assertThat(Durations.parse("3649d23h59m60s", "--lifetime")).isEqualTo(Duration.ofDays(3650));
        assertThat(Durations.parse("87600h", "--lifetime")).isEqualTo(Duration.ofDays(3650));
        assertThat(Durations.parse("0", "--lifetime")).isZero();
    }

    @Test
    void refusesLongerOnesWithTheMaximumInTheMessage()
    {
        for (String text : new String[] {"3650d1s", "3651d", "87601h", "400000000000d", "99999999999999999999d", "9223372036854775807s", "106751991167301d"}) {
            assertThatThrownBy(() -> Durations.parse(text, "--lifetime"))
                    .isInstanceOfSatisfying(DollyException.class, exception -> assertThat(exception.errorCode()).isEqualTo(ErrorCode.BAD_INPUT))
                    .hasMessage("--lifetime '" + text + "' is too long: the longest is 3650d (10 years); use 0 for never.");
        }
    }
}
