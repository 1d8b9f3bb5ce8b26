package dev.dolly.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * Reads what a running daemon holds from {@code /proc}, its home and the cgroup file systems: open files, threads,
 * resident memory, mounts below its file system, the engine processes it started, and what its containers leave on
 * disk (volumes, run directories, cgroups).
 */
final class DaemonResources
{
    /** The name Jetty's request threads get (as the kernel keeps it: 15 characters). */
    static final String HTTP_THREAD_NAME = "JettyServerThre";

    private static final List<Path> CGROUP_PARENTS = List.of(
            Path.of("/sys/fs/cgroup/dolly"),
            Path.of("/sys/fs/cgroup/unified/dolly"),
            Path.of("/sys/fs/cgroup/memory/dolly"),
            Path.of("/sys/fs/cgroup/pids/dolly"));

    private final long pid;
    private final Path home;
    private final Path filesystem;
    private final String cgroupMarker;

    /**
     * @param home the daemon's {@code DOLLY_HOME}
     * @param filesystem the mount point of the file system that holds it: mounts below it are counted
     */
    DaemonResources(long pid, Path home, Path filesystem)
    {
        this.pid = pid;
        this.home = requireNonNull(home, "home is null");
        this.filesystem = requireNonNull(filesystem, "filesystem is null");
        // cgroups are the machine's, shared with every daemon on it: a server's is named after its data directory, the
        // end of the path made readable (LocalProcessRuntime.serverName), which holds the end of this home's path
        String readable = home.toAbsolutePath().normalize().toString().replaceAll("[^A-Za-z0-9_.-]+", "-");
        this.cgroupMarker = readable.substring(Math.max(0, readable.length() - 20)) + "-storage-";
    }

    /** Asks the daemon's JVM for a full collection ({@link HeapSampler#collectGarbage}), so that resident memory holds what is live. */
    void collectGarbage()
            throws IOException, InterruptedException
    {
        HeapSampler.collectGarbage(pid);
    }

    ResourceSample sample(double elapsedSeconds, Integer containers)
            throws IOException
    {
        Path process = Path.of("/proc", String.valueOf(pid));
        Map<String, Integer> openFiles = openFilesByKind(process, home, filesystem.getParent());
        int openFileCount = openFiles.values().stream().mapToInt(Integer::intValue).sum();
        int classPathFiles = openFiles.entrySet().stream().filter(entry -> entry.getKey().endsWith(".jar")).mapToInt(Map.Entry::getValue).sum();
        long rssBytes = 0;
        for (String line : Files.readAllLines(process.resolve("status"))) {
            if (line.startsWith("VmRSS:")) {
                rssBytes = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        Map<String, Integer> threads = threadsByName(process);
        int threadCount = threads.values().stream().mapToInt(Integer::intValue).sum();
        String prefix = filesystem + "/";
        int mounts = (int) Files.readAllLines(process.resolve("mountinfo")).stream()
                .map(line -> line.split(" ")[4])
                .filter(point -> point.startsWith(prefix))
                .count();
        int engineProcesses = (int) ProcessHandle.of(pid).map(handle -> handle.descendants().count()).orElse(0L).longValue();
        Path storage = home.resolve("storage");
        int revisionVolumes = 0;
        if (Files.isDirectory(storage.resolve("revisions"))) {
            try (Stream<Path> containerDirectories = Files.list(storage.resolve("revisions"))) {
                for (Path directory : containerDirectories.toList()) {
                    revisionVolumes += count(directory);
                }
            }
        }
        int cgroups = 0;
        for (Path parent : CGROUP_PARENTS) {
            if (Files.isDirectory(parent)) {
                try (Stream<Path> entries = Files.list(parent)) {
                    cgroups += (int) entries.filter(Files::isDirectory).filter(entry -> entry.getFileName().toString().contains(cgroupMarker)).count();
                }
            }
        }
        String loadAverage = Files.readString(Path.of("/proc/loadavg")).strip().split(" ")[0];
        return new ResourceSample(elapsedSeconds, openFileCount, openFileCount - classPathFiles, threadCount, threads.getOrDefault(HTTP_THREAD_NAME, 0), rssBytes, mounts, engineProcesses,
                count(storage.resolve("containers")), revisionVolumes, count(home.resolve("run")), cgroups, containers, Double.parseDouble(loadAverage),
                openFiles, threads);
    }

    /**
     * The daemon's open files by what they are, numbers left out ({@code socket:[N]}, {@code pipe:[N]}), paths without
     * what belongs to this machine or run: {@code DOLLY_HOME/catalog.db}, {@code class path: jetty-server-N.N.N.jar},
     * {@code BENCH_DIRECTORY/daemon-btrfs.log}.
     */
    private static Map<String, Integer> openFilesByKind(Path process, Path home, Path benchDirectory)
            throws IOException
    {
        Map<String, Integer> files = new TreeMap<>();
        try (Stream<Path> descriptors = Files.list(process.resolve("fd"))) {
            for (Path descriptor : descriptors.toList()) {
                try {
                    Path link = Files.readSymbolicLink(descriptor);
                    String target;
                    if (link.startsWith(home)) {
                        target = "DOLLY_HOME/" + home.relativize(link);
                    }
                    else if (link.toString().endsWith(".jar")) {
                        target = "class path: " + link.getFileName();
                    }
                    else if (benchDirectory != null && link.startsWith(benchDirectory)) {
                        target = "BENCH_DIRECTORY/" + benchDirectory.relativize(link);
                    }
                    else {
                        target = link.toString();
                    }
                    target = target.replaceAll("\\d+", "N");
                    files.merge(target, 1, Integer::sum);
                }
                catch (NoSuchFileException e) {
                    // closed while we looked
                }
            }
        }
        return files;
    }

    /** The daemon's threads by name, numbers left out ({@code reaper}, {@code JettyServerThre}, {@code C2 CompilerThre}). */
    private static Map<String, Integer> threadsByName(Path process)
            throws IOException
    {
        Map<String, Integer> threads = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(process.resolve("task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String name = Files.readString(task.resolve("comm")).strip().replaceAll("[-#]?\\d+$", "");
                    threads.merge(name, 1, Integer::sum);
                }
                catch (NoSuchFileException e) {
                    // the thread ended while we looked
                }
            }
        }
        return threads;
    }

    private static int count(Path directory)
            throws IOException
    {
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        try (Stream<Path> entries = Files.list(directory)) {
            return (int) entries.count();
        }
    }

    /**
     * What the daemon held at one moment.
     *
     * @param elapsedSeconds since the clients started (negative before, for the start)
     * @param openFilesOutsideClassPath open files but the jars of the daemon's class path, which the JVM opens when it first
     * loads a class from one, and keeps open
     * @param threads all the daemon's threads; {@code httpThreads} of them Jetty's request threads
     * @param mounts mounts below the daemon's file system (overlays, ID-mapped views)
     * @param engineProcesses processes descending from the daemon: servers, their namespaces' helpers
     * @param containerVolumes entries of {@code storage/containers}
     * @param revisionVolumes entries of {@code storage/revisions/*}
     * @param runDirectories entries of {@code run/}, one per running server
     * @param containers containers the API lists, or {@code null} when not asked
     * @param cgroups the cgroups of this daemon's servers over every hierarchy (other daemons of the machine have theirs)
     * @param openFilesByKind at the start and the end only, {@code null} in between
     * @param threadsByName at the start and the end only, {@code null} in between
     */
    record ResourceSample(
            double elapsedSeconds,
            int openFiles,
            int openFilesOutsideClassPath,
            int threads,
            int httpThreads,
            long rssBytes,
            int mounts,
            int engineProcesses,
            int containerVolumes,
            int revisionVolumes,
            int runDirectories,
            int cgroups,
            Integer containers,
            double loadAverage,
            Map<String, Integer> openFilesByKind,
            Map<String, Integer> threadsByName)
    {
        ResourceSample withoutNames()
        {
            return new ResourceSample(elapsedSeconds, openFiles, openFilesOutsideClassPath, threads, httpThreads, rssBytes, mounts, engineProcesses,
                    containerVolumes, revisionVolumes, runDirectories, cgroups, containers, loadAverage, null, null);
        }

        /** Threads other than Jetty's request threads, whose pool gives back one idle thread a minute. */
        int threadsOutsideHttpPool()
        {
            return threads - httpThreads;
        }
    }
}
