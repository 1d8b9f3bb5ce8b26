package dev.dolly.core.runtime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/** The cgroup of one server: one directory per hierarchy (two on cgroup v1, memory and pids; one on v2). */
final class ControlGroup
{
    private static final Logger LOG = LoggerFactory.getLogger(ControlGroup.class);

    private final String name;
    private final List<Path> directories;
    private final boolean unified;

    ControlGroup(String name, List<Path> directories, boolean unified)
    {
        this.name = requireNonNull(name, "name is null");
        this.directories = List.copyOf(requireNonNull(directories, "directories is null"));
        this.unified = unified;
    }

    String name()
    {
        return name;
    }

    List<Path> directories()
    {
        return directories;
    }

    /** The files a process writes its id to to join the cgroup, one per hierarchy. */
    List<Path> processFiles()
    {
        return directories.stream().map(directory -> directory.resolve("cgroup.procs")).toList();
    }

    /** The processes in the cgroup, exited ones not yet reaped (zombies) left out. */
    List<Long> processes()
    {
        List<Long> processes = new ArrayList<>();
        for (Path file : processFiles()) {
            try {
                for (String line : Files.readAllLines(file)) {
                    if (!line.isBlank()) {
                        long process = Long.parseLong(line.strip());
                        if (!processes.contains(process) && Processes.isRunning(process)) {
                            processes.add(process);
                        }
                    }
                }
            }
            catch (NoSuchFileException e) {
                // removed meanwhile: nothing runs there
            }
            catch (IOException | NumberFormatException e) {
                LOG.warn("Cannot read {}: {}", file, e.getMessage());
            }
        }
        return processes;
    }

    /** Kills every process of the cgroup and waits until none is left (or the timeout passes). */
    boolean killAll(Duration timeout)
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        Path kill = directories.getFirst().resolve("cgroup.kill");
        do {
            if (unified && Files.isRegularFile(kill)) {
                try {
                    ControlGroups.write(kill, "1");
                }
                catch (IOException e) {
                    LOG.warn("Cannot write {}: {}", kill, e.getMessage());
                }
            }
            List<Long> processes = processes();
            if (processes.isEmpty()) {
                return true;
            }
            // one by one on cgroup v1: a process may fork meanwhile, so look again until none is left
            processes.forEach(process -> ProcessHandle.of(process).ifPresent(ProcessHandle::destroyForcibly));
            Processes.pause(Duration.ofMillis(5));
        }
        while (System.nanoTime() - deadline < 0);
        return processes().isEmpty();
    }

    /** Removes the cgroup's directories; logs and leaves them when processes are still there. */
    void remove()
    {
        for (Path directory : directories) {
            try {
                Files.deleteIfExists(directory);
            }
            catch (IOException e) {
                LOG.warn("Cannot remove the cgroup {}: {}", directory, e.getMessage());
            }
        }
    }
}
