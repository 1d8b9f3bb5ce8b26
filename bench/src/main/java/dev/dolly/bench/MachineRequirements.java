package dev.dolly.bench;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** What the machine must offer before a run starts: root (loop mounts), the file system tools, free space. */
final class MachineRequirements
{
    private MachineRequirements() {}

    /** Fails with what to do when the machine cannot run the benchmark with these options. */
    static void check(BenchmarkOptions options)
            throws IOException
    {
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new IllegalStateException("the benchmark makes loop-mounted file systems: run it as root");
        }
        Set<String> tools = new LinkedHashSet<>(List.of("mount", "umount", "truncate"));
        for (StorageDriver driver : options.drivers()) {
            tools.addAll(driver.tools());
        }
        for (String tool : tools) {
            if (!Commands.isInstalled(tool)) {
                throw new IllegalStateException(tool + " is not installed (Debian/Ubuntu: apt-get install btrfs-progs xfsprogs e2fsprogs)");
            }
        }
        Files.createDirectories(options.workDirectory());
        long largest = options.sizes().stream().mapToLong(ImageSize::approximateBytes).max().orElse(0);
        // one sparse file system at a time, which may fill up (the copy driver), plus the dump of the largest image
        long needed = options.filesystemBytes() + largest;
        FileStore store = Files.getFileStore(options.workDirectory());
        if (store.getUsableSpace() < needed) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "%s has %.1f GiB free; the benchmark needs %.1f GiB (a %.0f GiB file system at a time, and the dump of the largest image). "
                            + "Free some space, or use --work-directory or --filesystem-size.",
                    options.workDirectory(), store.getUsableSpace() / (double) (1L << 30), needed / (double) (1L << 30),
                    options.filesystemBytes() / (double) (1L << 30)));
        }
        long largestNeeded = 4 * largest + (2L << 30);
        if (options.drivers().contains(StorageDriver.COPY) && options.filesystemBytes() < largestNeeded) {
            throw new IllegalStateException("--filesystem-size is too small for the copy driver and the largest image: give at least "
                    + (largestNeeded >> 30) + "G");
        }
    }
}
