package dev.dolly.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The machine a run measured on, as every result file records it.
 *
 * @param loopFilesOn the file system of the work directory, which holds the loop file systems' files
 */
record Machine(int nproc, long memoryBytes, String cpu, String kernel, String java, String loopFilesOn)
{
    static Machine describe(Path workDirectory)
            throws IOException
    {
        long memoryKilobytes = 0;
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) {
                memoryKilobytes = Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        String cpu = "unknown";
        for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("model name")) {
                cpu = line.substring(line.indexOf(':') + 1).strip();
                break;
            }
        }
        return new Machine(Runtime.getRuntime().availableProcessors(), memoryKilobytes * 1024, cpu, System.getProperty("os.version"),
                System.getProperty("java.vendor") + " " + System.getProperty("java.version"), Commands.filesystemType(workDirectory));
    }

    /** The memory in GiB, as the reports write it: {@code 7.8}. */
    String memoryGibibytes()
    {
        return String.format(Locale.ROOT, "%.1f", memoryBytes / (double) (1L << 30));
    }
}
