package dev.dolly.core.container;

import dev.dolly.core.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class VolumeSizesTest
{
    private final List<Runnable> queued = new ArrayList<>();
    private final AtomicInteger measurements = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong(100);
    private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    private final VolumeSizes sizes = new VolumeSizes(volume -> {
        measurements.incrementAndGet();
        return OptionalLong.of(bytes.get());
    }, queued::add, clock, Duration.ofSeconds(30));

    @Test
    void measuresInTheBackgroundAndAnswersFromMemory()
    {
        assertThat(sizes.size("containers/1")).isEmpty();
        assertThat(sizes.size("containers/1")).isEmpty();
        // one measurement, even when asked twice meanwhile
        assertThat(queued).hasSize(1);
        runQueued();
        assertThat(sizes.size("containers/1")).hasValue(100);
        assertThat(sizes.size("containers/1")).hasValue(100);
        assertThat(queued).isEmpty();
        assertThat(measurements).hasValue(1);
    }

    @Test
    void measuresAgainWhenOld()
    {
        sizes.size("containers/1");
        runQueued();
        bytes.set(200);
        clock.advance(Duration.ofSeconds(31));
        // the old size until the new one is measured
        assertThat(sizes.size("containers/1")).hasValue(100);
        runQueued();
        assertThat(sizes.size("containers/1")).hasValue(200);
        assertThat(measurements).hasValue(2);
    }

    @Test
    void knownNeverMeasures()
    {
        assertThat(sizes.known("containers/1")).isEmpty();
        assertThat(queued).isEmpty();
    }

    @Test
    void forgetsDeletedVolumes()
    {
        sizes.size("containers/1");
        runQueued();
        sizes.forget("containers/1");
        assertThat(sizes.known("containers/1")).isEmpty();

        // a measurement that overlapped a deletion is dropped
        sizes.size("containers/2");
        sizes.forget("containers/2");
        runQueued();
        assertThat(sizes.known("containers/2")).isEmpty();
    }

    private void runQueued()
    {
        List<Runnable> tasks = new ArrayList<>(queued);
        queued.clear();
        tasks.forEach(Runnable::run);
    }
}
