package dev.dolly.core.engine;

import dev.dolly.api.DollyException;
import dev.dolly.api.ErrorCode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReadinessTest
{
    @Test
    void retriesUntilReady()
    {
        AtomicInteger attempts = new AtomicInteger();
        Readiness.await("the server", Duration.ofSeconds(10), () -> {
            if (attempts.incrementAndGet() < 3) {
                throw new IllegalStateException("Connection refused");
            }
            return attempts.get() >= 4;
        });
        assertThat(attempts).hasValue(4);
    }

    @Test
    void reportsTheLastFailureAfterTheDeadline()
    {
        assertThatThrownBy(() -> Readiness.await("PostgreSQL on port 1", Duration.ofMillis(200), () -> {
            throw new IllegalStateException("Connection refused");
        }))
                .isInstanceOfSatisfying(DollyException.class, exception -> assertThat(exception.errorCode()).isEqualTo(ErrorCode.ENGINE_FAILED))
                .hasMessage("PostgreSQL on port 1 was not ready after 0 seconds: Connection refused");
    }
}
