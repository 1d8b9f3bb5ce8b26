package dev.dolly.core.auth;

import dev.dolly.api.DollyException;
import dev.dolly.api.ErrorCode;
import dev.dolly.core.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SignInThrottleTest
{
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T10:00:00Z"));
    private final SignInThrottle throttle = new SignInThrottle(clock);

    @Test
    void blocksAUserAfterFiveFailuresWithADelayThatDoubles()
    {
        for (int attempt = 1; attempt < SignInThrottle.FREE_FAILURES_PER_USER; attempt++) {
            throttle.checkAllowed("alice", "10.0.0.1");
            throttle.failed("alice", "10.0.0.1");
        }
        throttle.checkAllowed("alice", "10.0.0.1");
        throttle.failed("alice", "10.0.0.1");

        // the fifth failure blocks for a second, from any address
        assertThatThrownBy(() -> throttle.checkAllowed("alice", "10.0.0.2"))
                .isInstanceOf(DollyException.class)
                .hasMessageContaining("Try again in 1 second")
                .extracting(exception -> ((DollyException) exception).errorCode()).isEqualTo(ErrorCode.TOO_MANY_ATTEMPTS);
        clock.advance(Duration.ofSeconds(1));
        throttle.checkAllowed("alice", "10.0.0.2");
        throttle.failed("alice", "10.0.0.2");

        // the sixth blocks for two seconds
        clock.advance(Duration.ofMillis(1999));
        assertThatThrownBy(() -> throttle.checkAllowed("alice", "10.0.0.3")).hasMessageContaining("1 second");
        clock.advance(Duration.ofMillis(1));
        assertThatCode(() -> throttle.checkAllowed("alice", "10.0.0.3")).doesNotThrowAnyException();
    }

    @Test
    void blocksAnAddressThatTriesManyUserNames()
    {
        for (int attempt = 0; attempt < SignInThrottle.FREE_FAILURES_PER_ADDRESS; attempt++) {
            throttle.checkAllowed("user" + attempt, "10.0.0.9");
            throttle.failed("user" + attempt, "10.0.0.9");
        }
        assertThatThrownBy(() -> throttle.checkAllowed("someone-else", "10.0.0.9")).hasMessageContaining("Too many failed sign-ins");
        assertThatCode(() -> throttle.checkAllowed("someone-else", "10.0.0.10")).doesNotThrowAnyException();
    }

    @Test
    void theDelayStopsGrowingAtFifteenMinutes()
    {
        for (int attempt = 0; attempt < 40; attempt++) {
            throttle.failed("alice", "10.0.0.1");
        }
        clock.advance(SignInThrottle.MAXIMUM_DELAY.minusSeconds(1));
        assertThatThrownBy(() -> throttle.checkAllowed("alice", "10.0.0.1")).hasMessageContaining("1 second");
        clock.advance(Duration.ofSeconds(1));
        assertThatCode(() -> throttle.checkAllowed("alice", "10.0.0.1")).doesNotThrowAnyException();
    }

    @Test
    void attemptsNotYetDecidedCountAsFailures()
    {
        // attempts made in parallel: none has failed yet when the next one comes
        for (int attempt = 0; attempt < SignInThrottle.FREE_FAILURES_PER_USER; attempt++) {
            throttle.attempt("alice", "10.0.0." + attempt);
        }
        assertThatThrownBy(() -> throttle.attempt("alice", "10.0.0.99")).hasMessageContaining("Too many failed sign-ins");

        // one that succeeds clears the count of the user name
        throttle.succeeded("alice", "10.0.0.4");
        assertThatCode(() -> throttle.attempt("alice", "10.0.0.4")).doesNotThrowAnyException();
    }

    @Test
    void aSuccessClearsTheFailures()
    {
        for (int attempt = 0; attempt < SignInThrottle.FREE_FAILURES_PER_USER - 1; attempt++) {
            throttle.failed("alice", "10.0.0.1");
        }
        throttle.succeeded("alice", "10.0.0.1");
        throttle.failed("alice", "10.0.0.1");
        assertThatCode(() -> throttle.checkAllowed("alice", "10.0.0.1")).doesNotThrowAnyException();
    }

    @Test
    void forgetsOldFailures()
    {
        for (int attempt = 0; attempt < SignInThrottle.FREE_FAILURES_PER_USER - 1; attempt++) {
            throttle.failed("alice", "10.0.0.1");
        }
        clock.advance(SignInThrottle.MEMORY.plusSeconds(1));
        throttle.checkAllowed("alice", "10.0.0.1");
        throttle.failed("alice", "10.0.0.1");
        assertThat(catchBlocked()).isFalse();
    }

    private boolean catchBlocked()
    {
        try {
            throttle.checkAllowed("alice", "10.0.0.1");
            return false;
        }
        catch (DollyException e) {
            return true;
        }
    }
}
