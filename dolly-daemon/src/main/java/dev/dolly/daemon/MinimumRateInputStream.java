package dev.dolly.daemon;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.function.LongSupplier;

import static java.util.Objects.requireNonNull;

/**
 * A request body that must arrive at {@link #MINIMUM_BYTES_PER_SECOND} on average once {@link #GRACE} has passed:
 * a client that sends its headers and then a byte a second fails its read with {@link TooSlowException} instead of
 * holding a thread of the daemon for as long as it likes. (A client that sends nothing at all is closed by the
 * connection's idle timeout.)
 */
final class MinimumRateInputStream
        extends FilterInputStream
{
    static final long MINIMUM_BYTES_PER_SECOND = 1024;
    static final Duration GRACE = Duration.ofSeconds(10);

    private final LongSupplier nanoTime;
    private final long started;
    private long bytes;

    MinimumRateInputStream(InputStream input)
    {
        this(input, System::nanoTime);
    }

    MinimumRateInputStream(InputStream input, LongSupplier nanoTime)
    {
        super(requireNonNull(input, "input is null"));
        this.nanoTime = requireNonNull(nanoTime, "nanoTime is null");
        this.started = nanoTime.getAsLong();
    }

    @Override
    public int read()
            throws IOException
    {
        int read = super.read();
        counted(read < 0 ? 0 : 1);
        return read;
    }

    @Override
    public int read(byte[] buffer, int offset, int length)
            throws IOException
    {
        int read = super.read(buffer, offset, length);
        counted(Math.max(read, 0));
        return read;
    }

    private void counted(int read)
            throws TooSlowException
    {
        bytes += read;
        Duration elapsed = Duration.ofNanos(nanoTime.getAsLong() - started);
        if (elapsed.compareTo(GRACE) > 0 && bytes < MINIMUM_BYTES_PER_SECOND * elapsed.toMillis() / 1000) {
            throw new TooSlowException("The request body arrived too slowly (" + bytes + " bytes in " + elapsed.toSeconds() + " s; at least "
                    + MINIMUM_BYTES_PER_SECOND + " bytes a second are needed after the first " + GRACE.toSeconds() + " s): the daemon stopped reading it.");
        }
    }

    static final class TooSlowException
            extends IOException
    {
        private static final long serialVersionUID = 1;

        TooSlowException(String message)
        {
            super(message);
        }
    }
}
