package dev.dolly.core.transform;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.LongBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.stream.Stream;

/**
 * A set of 64-bit keys that the heap holds only a bounded part of, whatever their number: keys are added in any order
 * into a run of at most {@code runSize} (sorted and written to a file of its own when full), then sealed once (the
 * runs merged into one sorted file, repeats dropped, mapped into memory) and searched by binary search, behind a filter
 * of at most 4 MiB that turns most absent keys away. The page cache, not the heap, holds the keys of a large set; a set
 * that fits in one run stays on the heap, sorted. The files live in
 * a directory of the daemon's temporary directory, readable by the daemon only, deleted on {@link #close}.
 *
 * <p>Not safe for concurrent adds; once sealed, searches may run at once.
 */
final class SortedKeys
        implements AutoCloseable
{
    /** 2 MiB of keys a run: what the heap holds of a set, at most, while keys are added. */
    static final int DEFAULT_RUN_SIZE = 1 << 18;
    /** Keys per mapped segment: a mapping holds at most 2 GiB. */
    private static final int SEGMENT_KEYS = 1 << 27;
    private static final int STREAM_BUFFER = 1 << 16;
    /** The filter in front of the search: 8 bits a key, between 1 Kibit and 32 Mibit (4 MiB on the heap). */
    private static final int MINIMUM_FILTER_BITS = 1 << 10;
    private static final int MAXIMUM_FILTER_BITS = 1 << 25;

    private final int runSize;
    private long[] run;
    private int runCount;
    private final List<Path> runs = new ArrayList<>();
    private Path directory;

    private boolean sealed;
    /** The sorted keys when nothing was written to a file. */
    private long[] keys;
    /** The sorted keys of the merged file, in segments. */
    private LongBuffer[] segments;
    private long size;
    /**
     * One bit per value of a key's top bits, set for the keys of the set: most keys searched for are not in it (every
     * text value of an image is looked up among the identifying originals), and most stop here, without the binary
     * search's dozen reads of a mapped file. With 3.3 million keys in 32 Mibit, 9 % of absent keys get past it.
     */
    private long[] filter;
    private int filterShift;

    SortedKeys()
    {
        this(DEFAULT_RUN_SIZE);
    }

    SortedKeys(int runSize)
    {
        if (runSize < 1) {
            throw new IllegalArgumentException("runSize must be at least 1");
        }
        this.runSize = runSize;
        this.run = new long[Math.min(16, runSize)];
    }

    void add(long key)
    {
        if (sealed) {
            throw new IllegalStateException("Keys cannot be added once the set is sealed");
        }
        if (runCount == run.length) {
            if (run.length < runSize) {
                run = Arrays.copyOf(run, (int) Math.min(runSize, run.length * 2L));
            }
            else {
                writeRun();
            }
        }
        run[runCount++] = key;
    }

    boolean isEmpty()
    {
        return sealed ? size == 0 : runCount == 0 && runs.isEmpty();
    }

    /** Sorts the keys for searching; keys cannot be added afterwards. Idempotent. */
    void seal()
    {
        if (sealed) {
            return;
        }
        if (runs.isEmpty()) {
            keys = distinctSorted(run, runCount);
            size = keys.length;
        }
        else {
            if (runCount > 0) {
                writeRun();
            }
            mapMerged(merge());
        }
        run = null;
        buildFilter();
        sealed = true;
    }

    private void buildFilter()
    {
        int bits = Math.clamp(Long.highestOneBit(Math.max(1, size) * 8 - 1) << 1, MINIMUM_FILTER_BITS, MAXIMUM_FILTER_BITS);
        filter = new long[bits / Long.SIZE];
        filterShift = Long.SIZE - Integer.numberOfTrailingZeros(bits);
        if (keys != null) {
            for (long key : keys) {
                setFilterBit(key);
            }
        }
        else {
            for (LongBuffer segment : segments) {
                for (int index = 0; index < segment.limit(); index++) {
                    setFilterBit(segment.get(index));
                }
            }
        }
    }

    private void setFilterBit(long key)
    {
        int bit = filterBit(key);
        filter[bit >>> 6] |= 1L << bit;
    }

    /** The top bits of a multiplicative hash of the key, which mixes all its bits. */
    private int filterBit(long key)
    {
        return (int) ((key * 0x9e3779b97f4a7c15L) >>> filterShift);
    }

    boolean contains(long key)
    {
        if (!sealed) {
            throw new IllegalStateException("The set is searched before it is sealed");
        }
        int bit = filterBit(key);
        if ((filter[bit >>> 6] & (1L << bit)) == 0) {
            return false;
        }
        if (keys != null) {
            return Arrays.binarySearch(keys, key) >= 0;
        }
        long low = 0;
        long high = size - 1;
        while (low <= high) {
            long middle = (low + high) >>> 1;
            long value = segments[(int) (middle / SEGMENT_KEYS)].get((int) (middle % SEGMENT_KEYS));
            if (value < key) {
                low = middle + 1;
            }
            else if (value > key) {
                high = middle - 1;
            }
            else {
                return true;
            }
        }
        return false;
    }

    /** How many distinct keys, once sealed. */
    long size()
    {
        if (!sealed) {
            throw new IllegalStateException("The set is counted before it is sealed");
        }
        return size;
    }

    /** The directory of the work files, if the keys went to files (for tests). */
    Optional<Path> directory()
    {
        return Optional.ofNullable(directory);
    }

    /** Deletes the files (the mappings go with the garbage collector); idempotent. */
    @Override
    public void close()
    {
        keys = null;
        segments = null;
        run = null;
        if (directory != null) {
            try (Stream<Path> files = Files.list(directory)) {
                for (Path file : files.toList()) {
                    Files.deleteIfExists(file);
                }
                Files.deleteIfExists(directory);
            }
            catch (IOException e) {
                throw new UncheckedIOException("Could not delete the leak check's work files in " + directory, e);
            }
            directory = null;
        }
    }

    private static long[] distinctSorted(long[] values, int count)
    {
        long[] sorted = Arrays.copyOf(values, count);
        Arrays.sort(sorted);
        int distinct = 0;
        for (int index = 0; index < sorted.length; index++) {
            if (index == 0 || sorted[index] != sorted[distinct - 1]) {
                sorted[distinct++] = sorted[index];
            }
        }
        return distinct == sorted.length ? sorted : Arrays.copyOf(sorted, distinct);
    }

    private void writeRun()
    {
        long[] sorted = distinctSorted(run, runCount);
        try {
            if (directory == null) {
                directory = Files.createTempDirectory("dolly-leak-check-");
            }
            Path file = directory.resolve("run-" + runs.size());
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE_NEW), STREAM_BUFFER))) {
                for (long key : sorted) {
                    out.writeLong(key);
                }
            }
            runs.add(file);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Could not write the leak check's keys to a work file", e);
        }
        runCount = 0;
    }

    /** Merges the runs into one file of distinct sorted keys, deleting them; returns it. */
    private Path merge()
    {
        Path merged = directory.resolve("keys");
        List<RunReader> readers = new ArrayList<>();
        try {
            PriorityQueue<RunReader> queue = new PriorityQueue<>(Comparator.comparingLong(RunReader::head));
            for (Path file : runs) {
                RunReader reader = new RunReader(file);
                readers.add(reader);
                if (reader.advance()) {
                    queue.add(reader);
                }
            }
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(merged, StandardOpenOption.CREATE_NEW), STREAM_BUFFER))) {
                boolean any = false;
                long last = 0;
                while (!queue.isEmpty()) {
                    RunReader reader = queue.poll();
                    long key = reader.head();
                    if (!any || key != last) {
                        out.writeLong(key);
                        size++;
                        last = key;
                        any = true;
                    }
                    if (reader.advance()) {
                        queue.add(reader);
                    }
                }
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("Could not merge the leak check's keys", e);
        }
        finally {
            for (RunReader reader : readers) {
                reader.close();
            }
        }
        try {
            for (Path file : runs) {
                Files.delete(file);
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("Could not delete the leak check's work files in " + directory, e);
        }
        runs.clear();
        return merged;
    }

    private void mapMerged(Path file)
    {
        int count = (int) ((size + SEGMENT_KEYS - 1) / SEGMENT_KEYS);
        segments = new LongBuffer[count];
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            for (int segment = 0; segment < count; segment++) {
                long first = (long) segment * SEGMENT_KEYS;
                long keysInSegment = Math.min(SEGMENT_KEYS, size - first);
                segments[segment] = channel.map(FileChannel.MapMode.READ_ONLY, first * Long.BYTES, keysInSegment * Long.BYTES).asLongBuffer();
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("Could not map the leak check's keys", e);
        }
    }

    /** One run's keys, read in order. */
    private static final class RunReader
    {
        private final DataInputStream in;
        private long head;

        RunReader(Path file)
                throws IOException
        {
            this.in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), STREAM_BUFFER));
        }

        long head()
        {
            return head;
        }

        /** Reads the next key into {@link #head}; false after the last. */
        boolean advance()
                throws IOException
        {
            try {
                head = in.readLong();
                return true;
            }
            catch (EOFException end) {
                return false;
            }
        }

        void close()
        {
            try {
                in.close();
            }
            catch (IOException ignored) {
                // a file only read, deleted next
            }
        }
    }
}
