package dev.dolly.bench;

import dev.dolly.api.DataContainer;
import dev.dolly.api.DataImage;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Density: the disk space and memory each of many idle containers of one image takes. Containers are created one
 * after the other with the default settings; the file system's used bytes are read right before and right after
 * each creation (after {@code sync -f}, so that btrfs has committed its transaction); after some idle time, the
 * memory of each container's postmaster and all its descendants is read from {@code /proc/PID/smaps_rollup}.
 */
final class DensityMeasurement
{
    static final double TARGET_DISK_PERCENT = 5;
    static final double TARGET_MEMORY_MB = 30;

    private final int containers;
    private final int idleSeconds;

    DensityMeasurement(int containers, int idleSeconds)
    {
        this.containers = containers;
        this.idleSeconds = idleSeconds;
    }

    DensityResult measure(DriverSession session, DataImage image, Long databaseSize)
            throws IOException, InterruptedException
    {
        Log.log("[" + session.driver() + "] Density: " + containers + " containers of " + image.name());
        Path mountpoint = session.filesystem().mountpoint();
        long imageBytes = image.sizeBytes() == null ? 0 : image.sizeBytes();
        FilesystemUsage initial = usage(session);
        List<DataContainer> created = new ArrayList<>();
        List<DiskGrowth> growths = new ArrayList<>();
        for (int i = 1; i <= containers; i++) {
            FilesystemUsage before = usage(session);
            DataContainer container = session.createContainer(image.name(), "density");
            created.add(container);
            FilesystemUsage after = usage(session);
            long growth = after.measuredBytes() - before.measuredBytes();
            growths.add(new DiskGrowth(growth, after.statfsUsedBytes() - before.statfsUsedBytes()));
            Log.log(String.format(Locale.ROOT, "  container %d: +%d bytes (%.2f %% of the image)", i, growth, 100.0 * growth / imageBytes));
        }
        Log.log("  idle for " + idleSeconds + " s");
        Thread.sleep(idleSeconds * 1000L);
        List<DensityContainer> rows = new ArrayList<>();
        for (int i = 0; i < created.size(); i++) {
            DataContainer container = created.get(i);
            DiskGrowth growth = growths.get(i);
            ProcessMemory memory = memory(session, container);
            rows.add(new DensityContainer(container.name(), growth.measuredBytes(), growth.statfsBytes(),
                    imageBytes == 0 ? null : Timings.round(100.0 * growth.measuredBytes() / imageBytes), memory.processes(), memory.pss(), memory.rss()));
        }
        FilesystemUsage afterIdle = usage(session);
        DensityResult result = new DensityResult(session.driver(), Commands.filesystemType(mountpoint), image.name(), imageBytes, databaseSize,
                session.driver() == StorageDriver.BTRFS
                        ? "btrfs filesystem usage -b: Overall Used (data + metadata, metadata counted twice for DUP), after syncfs"
                        : "statfs: total − free blocks, after syncfs",
                "sum of Pss (and of Rss) from /proc/PID/smaps_rollup over the postmaster and all its descendants, after "
                        + idleSeconds + " s idle; Pss is the one quoted",
                initial.measuredBytes(), afterIdle.measuredBytes() - initial.measuredBytes(), rows, DensitySummary.of(rows, imageBytes));
        for (DataContainer container : created) {
            session.deleteContainer(container.name());
        }
        return result;
    }

    /** Bytes used on the session's file system, after syncfs so that btrfs has committed its transaction. */
    private static FilesystemUsage usage(DriverSession session)
            throws IOException, InterruptedException
    {
        Path mountpoint = session.filesystem().mountpoint();
        Commands.run(List.of("sync", "-f", mountpoint.toString()));
        FileStore store = Files.getFileStore(mountpoint);
        long statfs = store.getTotalSpace() - store.getUnallocatedSpace();
        long measured = statfs;
        if (session.driver() == StorageDriver.BTRFS) {
            for (String line : Commands.run(List.of("btrfs", "filesystem", "usage", "-b", mountpoint.toString())).lines().toList()) {
                String stripped = line.strip();
                if (stripped.startsWith("Used:")) {
                    measured = Long.parseLong(stripped.substring("Used:".length()).strip().split("\\s+")[0]);
                    break;
                }
            }
        }
        return new FilesystemUsage(statfs, measured);
    }

    /** Pss and Rss summed over the container's postmaster and all its descendants. */
    private static ProcessMemory memory(DriverSession session, DataContainer container)
            throws IOException
    {
        Path volume = session.daemon().home().resolve("storage/containers/" + container.id());
        Path dataDirectory = Files.exists(volume.resolve("postmaster.pid")) ? volume : volume.resolve("merged");
        long postmaster = postmaster(dataDirectory);
        List<Long> pids = new ArrayList<>();
        pids.add(postmaster);
        ProcessHandle.of(postmaster).ifPresent(handle -> handle.descendants().forEach(child -> pids.add(child.pid())));
        long pss = 0;
        long rss = 0;
        long processes = 0;
        for (long pid : pids) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of("/proc", String.valueOf(pid), "smaps_rollup"));
            }
            catch (IOException e) {
                continue; // exited meanwhile
            }
            processes++;
            for (String line : lines) {
                if (line.startsWith("Pss:")) {
                    pss += kilobytes(line) * 1024;
                }
                else if (line.startsWith("Rss:")) {
                    rss += kilobytes(line) * 1024;
                }
            }
        }
        return new ProcessMemory(processes, pss, rss);
    }

    /**
     * The postmaster of a data directory: the postgres process started with {@code -D} and that directory. Its
     * {@code postmaster.pid} names it as the server's own PID namespace sees it (1, as root), not as this process does.
     */
    private static long postmaster(Path dataDirectory)
    {
        String directory = dataDirectory.toAbsolutePath().normalize().toString();
        return ProcessHandle.allProcesses()
                .filter(process -> process.info().command().map(command -> command.endsWith("/postgres")).orElse(false))
                .filter(process -> process.info().arguments().map(arguments -> List.of(arguments).contains(directory)).orElse(false))
                .map(ProcessHandle::pid)
                .min(Long::compare)
                .orElseThrow(() -> new IllegalStateException("no postgres process runs on " + directory));
    }

    private static long kilobytes(String line)
    {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }

    /**
     * @param statfsUsedBytes total − free blocks
     * @param measuredBytes what counts: {@code btrfs filesystem usage}'s Used on btrfs, statfs elsewhere
     */
    private record FilesystemUsage(long statfsUsedBytes, long measuredBytes) {}

    private record DiskGrowth(long measuredBytes, long statfsBytes) {}

    private record ProcessMemory(long processes, long pss, long rss) {}

    /** One driver's density, as {@code drivers[]} of {@code density.json}. */
    record DensityResult(
            StorageDriver storageDriver,
            String filesystem,
            String image,
            long imageSizeBytes,
            Long databaseSizeBytes,
            String diskMeasure,
            String memoryMeasure,
            long usedBytesAtStart,
            long usedBytesGrowthAfterIdle,
            List<DensityContainer> containers,
            DensitySummary summary) {}

    /**
     * One container's share.
     *
     * @param usedBytesGrowth the measured used bytes right after its creation minus right before
     * @param percentOfImage that growth as a share of the image's data directory; {@code null} when the image's size is unknown
     */
    record DensityContainer(
            String container,
            long usedBytesGrowth,
            long statfsUsedBytesGrowth,
            Double percentOfImage,
            long processes,
            long pssBytes,
            long rssBytes) {}

    /** Medians and maxima over the containers, and whether the targets were met. */
    record DensitySummary(
            long growthMedianBytes,
            long growthMaxBytes,
            double growthMaxPercentOfImage,
            double growthMedianPercentOfImage,
            long pssMedianBytes,
            long pssMaxBytes,
            long rssMedianBytes,
            long rssMaxBytes,
            boolean diskTargetMet,
            boolean memoryTargetMet)
    {
        static DensitySummary of(List<DensityContainer> containers, long imageBytes)
        {
            List<Long> growth = containers.stream().map(DensityContainer::usedBytesGrowth).sorted().toList();
            List<Long> pss = containers.stream().map(DensityContainer::pssBytes).sorted().toList();
            List<Long> rss = containers.stream().map(DensityContainer::rssBytes).sorted().toList();
            return new DensitySummary(Timings.median(growth), growth.getLast(), Timings.round(100.0 * growth.getLast() / imageBytes),
                    Timings.round(100.0 * Timings.median(growth) / imageBytes), Timings.median(pss), pss.getLast(), Timings.median(rss), rss.getLast(),
                    100.0 * growth.getLast() / imageBytes < TARGET_DISK_PERCENT, pss.getLast() <= TARGET_MEMORY_MB * 1e6);
        }
    }
}
