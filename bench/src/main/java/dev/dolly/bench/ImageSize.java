package dev.dolly.bench;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The images the benchmark builds: pgbench's tables at three scales, or the Chinook sample. */
enum ImageSize
{
    PGBENCH_100M("100m", 6, 100L << 20),
    PGBENCH_1G("1g", 65, 1L << 30),
    PGBENCH_5G("5g", 330, 5L << 30),
    CHINOOK("chinook", 0, 100L << 20);

    private final String id;
    private final int scale;
    private final long approximateBytes;

    ImageSize(String id, int scale, long approximateBytes)
    {
        this.id = id;
        this.scale = scale;
        this.approximateBytes = approximateBytes;
    }

    @JsonValue
    String id()
    {
        return id;
    }

    /** pgbench's scale: 100,000 accounts per unit, about 15 MB. */
    int scale()
    {
        if (!pgbenchLike()) {
            throw new IllegalStateException(id + " is not a pgbench-like image");
        }
        return scale;
    }

    boolean pgbenchLike()
    {
        return scale > 0;
    }

    /** An upper bound of the database's size, for the free-space check (no more than 100 MB for Chinook). */
    long approximateBytes()
    {
        return approximateBytes;
    }

    static ImageSize fromId(String id)
    {
        for (ImageSize size : values()) {
            if (size.id.equals(id)) {
                return size;
            }
        }
        throw new IllegalArgumentException("Unknown size '" + id + "': use " + Arrays.stream(values()).map(ImageSize::id).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString()
    {
        return id;
    }
}
