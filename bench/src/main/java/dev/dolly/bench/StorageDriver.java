package dev.dolly.bench;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** A storage driver the benchmark measures, with the file system it makes for it and the programs that needs. */
enum StorageDriver
{
    BTRFS("btrfs", "btrfs", List.of("mkfs.btrfs", "btrfs"), true),
    REFLINK("reflink", "xfs", List.of("mkfs.xfs"), true),
    OVERLAY("overlay", "ext4", List.of("mkfs.ext4"), true),
    // forced with DOLLY_STORAGE_DRIVER=copy: on ext4 the daemon would choose overlay
    COPY("copy", "ext4", List.of("mkfs.ext4"), false);

    private final String id;
    private final String filesystemType;
    @SuppressWarnings("ImmutableEnumChecker") // List.of: immutable
    private final List<String> tools;
    private final boolean copyOnWrite;

    StorageDriver(String id, String filesystemType, List<String> tools, boolean copyOnWrite)
    {
        this.id = id;
        this.filesystemType = filesystemType;
        this.tools = tools;
        this.copyOnWrite = copyOnWrite;
    }

    /** The driver's name, as the daemon reports it and the results record it. */
    @JsonValue
    String id()
    {
        return id;
    }

    /** {@code btrfs}, {@code xfs} (with reflink=1) or {@code ext4}: the file system {@link LoopFilesystem} makes. */
    String filesystemType()
    {
        return filesystemType;
    }

    /** The programs that make and measure the driver's file system. */
    List<String> tools()
    {
        return tools;
    }

    /** Whether a clone shares the image's data instead of copying it: the targets apply to these drivers. */
    boolean copyOnWrite()
    {
        return copyOnWrite;
    }

    static StorageDriver fromId(String id)
    {
        for (StorageDriver driver : values()) {
            if (driver.id.equals(id)) {
                return driver;
            }
        }
        throw new IllegalArgumentException("Unknown driver '" + id + "': use " + ids());
    }

    static String ids()
    {
        return Arrays.stream(values()).map(StorageDriver::id).collect(Collectors.joining(", "));
    }

    @Override
    public String toString()
    {
        return id;
    }
}
