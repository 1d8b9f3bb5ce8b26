package dev.dolly.tests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** What the operating system says about engine processes: the checks users would make with ps and ss. */
final class Engines
{
    private Engines() {}

    /**
     * The postmaster running on a data directory, if it is alive: the postgres process started with {@code -D} and
     * that directory. Its postmaster.pid may say 1, the process id it has in a PID namespace of its own.
     */
    static Optional<ProcessHandle> postmaster(Path dataDirectory)
            throws IOException
    {
        if (!Files.exists(dataDirectory.resolve("postmaster.pid"))) {
            return Optional.empty();
        }
        String directory = dataDirectory.toAbsolutePath().toString();
        return ProcessHandle.allProcesses()
                .filter(ProcessHandle::isAlive)
                .filter(process -> process.info().command().map(command -> command.endsWith("/postgres")).orElse(false))
                .filter(process -> process.info().arguments().map(arguments -> arguments.length >= 2 && arguments[0].equals("-D") && arguments[1].equals(directory))
                        .orElse(false))
                .findFirst();
    }

    /** Every live postgres process whose command line mentions the directory. */
    static List<ProcessHandle> postgresProcessesUnder(Path directory)
    {
        return ProcessHandle.allProcesses()
                .filter(process -> process.info().command().map(command -> command.endsWith("/postgres")).orElse(false))
                .filter(process -> process.info().commandLine().map(line -> line.contains(directory.toString())).orElse(false)
                        || process.info().arguments().map(arguments -> String.join(" ", arguments).contains(directory.toString())).orElse(false)
                        || parentCommandLineContains(process, directory))
                .toList();
    }

    /** Every live MariaDB or MySQL server whose command line mentions the directory (its --datadir). */
    static List<ProcessHandle> mariadbProcessesUnder(Path directory)
    {
        return ProcessHandle.allProcesses()
                .filter(process -> process.info().command().map(command -> command.endsWith("/mariadbd") || command.endsWith("/mysqld")).orElse(false))
                .filter(process -> process.info().arguments().map(arguments -> String.join(" ", arguments).contains(directory.toString())).orElse(false))
                .toList();
    }

    /** The operating-system user a process runs as. */
    static String user(ProcessHandle process)
    {
        return process.info().user().orElseThrow();
    }

    /** The real, effective, saved and file-system UIDs of a process, from {@code /proc/<pid>/status}, as {@code ps -o uid} reads them. */
    static List<Integer> uids(ProcessHandle process)
    {
        try {
            String line = Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status")).stream()
                    .filter(text -> text.startsWith("Uid:"))
                    .findFirst()
                    .orElseThrow();
            return Arrays.stream(line.substring("Uid:".length()).strip().split("\\s+")).map(Integer::valueOf).toList();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The one UID a process runs as: real, effective, saved and file-system UIDs are all that one. */
    static int uid(ProcessHandle process)
    {
        List<Integer> uids = uids(process);
        if (uids.stream().distinct().count() != 1) {
            throw new AssertionError("process " + process.pid() + " has several UIDs: " + uids);
        }
        return uids.getFirst();
    }

    /** Whether a UID is one of the engine accounts of the daemon's default range (DOLLY_ENGINE_UIDS). */
    static boolean isEngineAccount(int uid)
    {
        return uid >= 2_000_000_000 && uid <= 2_000_099_999;
    }

    private static boolean parentCommandLineContains(ProcessHandle process, Path directory)
    {
        return process.parent()
                .flatMap(parent -> parent.info().commandLine())
                .map(line -> line.contains(directory.toString()))
                .orElse(false);
    }
}
