package dev.dolly.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static java.util.Objects.requireNonNull;

/**
 * The heap a JVM uses, sampled by one {@code jstat -gc PID INTERVAL} process (from the JDK that runs the benchmark)
 * while a measurement runs: the peak of the whole used heap (survivors, eden and old generation) and of the old
 * generation alone, in bytes. What the old generation holds at its peak is what outlived a young collection: a heap
 * that holds a table's column would show it there.
 */
final class HeapSampler
        implements AutoCloseable
{
    private static final int INTERVAL_MILLISECONDS = 250;

    private final Process process;
    private final Thread reader;
    private volatile long peakUsedBytes;
    private volatile long peakOldBytes;
    private final AtomicInteger samples = new AtomicInteger();

    record Peak(long usedBytes, long oldGenerationBytes, int samples) {}

    private HeapSampler(Process process)
    {
        this.process = requireNonNull(process, "process is null");
        this.reader = Thread.ofPlatform().daemon().name("jstat-reader").start(this::read);
    }

    static HeapSampler start(long pid)
            throws IOException
    {
        Path java = Path.of(ProcessHandle.current().info().command().orElseThrow(() -> new IllegalStateException("The benchmark's java is unknown")));
        Path jstat = java.resolveSibling("jstat");
        return new HeapSampler(new ProcessBuilder(List.of(jstat.toString(), "-gc", String.valueOf(pid), String.valueOf(INTERVAL_MILLISECONDS)))
                .redirectErrorStream(true).start());
    }

    /**
     * Asks a JVM for a full collection ({@code jcmd PID GC.run}, from the JDK that runs the benchmark): the serial
     * collector then holds only what is live, and gives the heap it does not need back to the system. Without
     * {@code jcmd} next to this JVM's {@code java}, nothing happens.
     */
    static void collectGarbage(long pid)
            throws IOException, InterruptedException
    {
        Path jcmd = Path.of(ProcessHandle.current().info().command().orElse("java")).resolveSibling("jcmd");
        if (Files.isExecutable(jcmd)) {
            Commands.run(List.of(jcmd.toString(), String.valueOf(pid), "GC.run"));
        }
        else {
            Log.log("No jcmd next to " + ProcessHandle.current().info().command().orElse("java") + ": the daemon's heap is read without a collection");
        }
    }

    private void read()
    {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            List<String> header = null;
            String line;
            while ((line = lines.readLine()) != null) {
                List<String> fields = Arrays.asList(line.strip().split("\\s+"));
                if (fields.contains("EU")) {
                    header = fields;
                    continue;
                }
                if (header == null || fields.size() != header.size()) {
                    continue;
                }
                // jstat writes kilobytes
                long old = kilobytes(fields, header, "OU");
                long used = kilobytes(fields, header, "S0U") + kilobytes(fields, header, "S1U") + kilobytes(fields, header, "EU") + old;
                peakUsedBytes = Math.max(peakUsedBytes, used * 1024);
                peakOldBytes = Math.max(peakOldBytes, old * 1024);
                samples.incrementAndGet();
            }
        }
        catch (IOException | RuntimeException e) {
            // the sampler ends with the process
        }
    }

    private static long kilobytes(List<String> fields, List<String> header, String column)
    {
        int index = header.indexOf(column);
        return index < 0 ? 0 : (long) Double.parseDouble(fields.get(index));
    }

    /** Stops sampling; the peaks of everything sampled. */
    Peak stop()
            throws InterruptedException
    {
        close();
        reader.join(TimeUnit.SECONDS.toMillis(5));
        if (samples.get() == 0) {
            throw new IllegalStateException("jstat sampled nothing of the daemon's heap");
        }
        return new Peak(peakUsedBytes, peakOldBytes, samples.get());
    }

    @Override
    public void close()
    {
        process.destroy();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
