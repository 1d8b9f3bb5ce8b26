package dev.dolly.core.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Finds the server process of a data directory by its command line, as an administrator would with {@code ps}: its
 * pid file names the process id it has in a PID namespace of its own, which means nothing outside it.
 */
public final class ServerProcessFinder
{
    private ServerProcessFinder() {}

    /**
     * The live process of {@code program} ({@code postgres}, {@code mariadbd}) whose arguments name the data
     * directory, as {@code -D DIRECTORY} or {@code --datadir=DIRECTORY}.
     *
     * @throws AssertionError when none runs
     */
    public static ProcessHandle serverOf(Path dataDirectory, String program)
    {
        String directory = dataDirectory.toAbsolutePath().toString();
        return ProcessHandle.allProcesses()
                .filter(ProcessHandle::isAlive)
                .filter(process -> process.info().command().map(command -> command.endsWith("/" + program)).orElse(false))
                .filter(process -> process.info().arguments().map(arguments -> Arrays.stream(arguments)
                        .anyMatch(argument -> argument.equals(directory) || argument.endsWith("=" + directory))).orElse(false))
                .findFirst()
                .orElseThrow(() -> new AssertionError("No " + program + " process runs on " + directory));
    }

    /** The {@code Uid:} line of a process's status: real, effective, saved and file-system user ids. */
    public static String uidLine(ProcessHandle process)
            throws IOException
    {
        return Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status")).stream()
                .filter(line -> line.startsWith("Uid:"))
                .findFirst()
                .orElseThrow();
    }
}
