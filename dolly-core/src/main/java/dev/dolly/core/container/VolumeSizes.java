package dev.dolly.core.container;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * The sizes of container volumes, for listings. Measuring a volume can mean walking its whole file tree, which has
 * no place in a request that lists many containers or has just created one: a size is measured in the background
 * when first asked for, answered from memory afterwards, and measured again in the background once it is older than
 * {@code maximumAge}. Until the first measurement is done the size is unknown (empty).
 */
final class VolumeSizes
{
    private static final Logger LOG = LoggerFactory.getLogger(VolumeSizes.class);

    private record Measurement(OptionalLong bytes, Instant at) {}

    private final Function<String, OptionalLong> measure;
    private final Executor executor;
    private final Clock clock;
    private final Duration maximumAge;
    private final Map<String, Measurement> measurements = new ConcurrentHashMap<>();
    private final Set<String> measuring = ConcurrentHashMap.newKeySet();
    /** Counts {@link #forget} calls: a measurement that overlapped one may be of a deleted volume, and is dropped. */
    private final AtomicLong forgotten = new AtomicLong();

    /**
     * @param measure the size of a volume, as the storage driver tells it
     * @param executor where measurements run
     */
    VolumeSizes(Function<String, OptionalLong> measure, Executor executor, Clock clock, Duration maximumAge)
    {
        this.measure = requireNonNull(measure, "measure is null");
        this.executor = requireNonNull(executor, "executor is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.maximumAge = requireNonNull(maximumAge, "maximumAge is null");
    }

    /** The last measured size of the volume, empty while unknown; starts a new measurement when there is none or it is old. */
    OptionalLong size(String volume)
    {
        requireNonNull(volume, "volume is null");
        Measurement last = measurements.get(volume);
        if (last == null || last.at().plus(maximumAge).isBefore(clock.instant())) {
            refresh(volume);
        }
        return last == null ? OptionalLong.empty() : last.bytes();
    }

    /** The last measured size of the volume, empty while unknown, without measuring it. */
    OptionalLong known(String volume)
    {
        Measurement last = measurements.get(requireNonNull(volume, "volume is null"));
        return last == null ? OptionalLong.empty() : last.bytes();
    }

    /** Forgets a deleted volume. */
    void forget(String volume)
    {
        forgotten.incrementAndGet();
        measurements.remove(volume);
    }

    private void refresh(String volume)
    {
        if (!measuring.add(volume)) {
            return;
        }
        long forgottenBefore = forgotten.get();
        try {
            executor.execute(() -> {
                try {
                    OptionalLong bytes = measure.apply(volume);
                    if (forgotten.get() == forgottenBefore) {
                        measurements.put(volume, new Measurement(bytes, clock.instant()));
                    }
                }
                catch (RuntimeException e) {
                    // deleted meanwhile, or unreadable: unknown until asked again
                    LOG.debug("Cannot measure volume {}", volume, e);
                }
                finally {
                    measuring.remove(volume);
                }
            });
        }
        catch (RuntimeException e) {
            measuring.remove(volume);
            LOG.debug("Cannot measure volume {}", volume, e);
        }
    }
}
