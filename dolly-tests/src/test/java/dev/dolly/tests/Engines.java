package dev.dolly.tests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** What the operating system says about engine processes: the checks users would make with ps and ss. */
final class Engines
{
    private Engines() {}

    /** The postmaster running on a data directory, from its postmaster.pid, if it is alive. */
    static Optional<ProcessHandle> postmaster(Path dataDirectory)
            throws IOException
    {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(pidFile);
        return ProcessHandle.of(Long.parseLong(lines.getFirst().strip())).filter(ProcessHandle::isAlive);
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

    private static boolean parentCommandLineContains(ProcessHandle process, Path directory)
    {
        return process.parent()
                .flatMap(parent -> parent.info().commandLine())
                .map(line -> line.contains(directory.toString()))
                .orElse(false);
    }
}
