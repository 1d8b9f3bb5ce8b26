package dev.dolly.daemon;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MinimumRateInputStreamTest
{
    @Test
    void aFastBodyIsReadWhole()
            throws IOException
    {
        AtomicLong now = new AtomicLong();
        byte[] body = new byte[100_000];
        // 100 KB in 20 s: 5 KB a second
        InputStream input = new MinimumRateInputStream(new ByteArrayInputStream(body), () -> now.addAndGet(TimeUnit.MILLISECONDS.toNanos(1)));
        assertThat(input.readNBytes(200_000)).hasSize(100_000);
    }

    @Test
    void aBodyThatTricklesInIsCutOffAfterTheGrace()
    {
        AtomicLong now = new AtomicLong();
        // a byte a second
        InputStream input = new MinimumRateInputStream(new ByteArrayInputStream(new byte[1000]), () -> now.getAndAdd(TimeUnit.SECONDS.toNanos(1)));
        assertThatThrownBy(() -> {
            while (input.read() >= 0) {
                assertThat(now.get()).isLessThanOrEqualTo(TimeUnit.SECONDS.toNanos(12));
            }
        })
                .isInstanceOf(MinimumRateInputStream.TooSlowException.class)
                .hasMessage("The request body arrived too slowly (11 bytes in 11 s; at least 1024 bytes a second are needed after the first 10 s): "
                        + "the daemon stopped reading it.");
    }
}
