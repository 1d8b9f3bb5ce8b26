package dev.dolly.core.process;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Runs programs to their end: engine tools ({@code initdb}, {@code pg_restore}, the MariaDB client), file system
 * tools ({@code btrfs}, {@code cp}, {@code mount}, {@code zfs}, {@code sync}) and system tools ({@code id},
 * {@code useradd}, {@code losetup}). Tests of code whose tools are not at hand (ZFS) replace it with a fake that
 * records the commands.
 */
public interface CommandRunner
{
    /**
     * Runs a command to its end; never throws for a non-zero exit code, which is in the result. A program that
     * cannot start (not installed) exits with 127, as in a shell.
     *
     * @throws dev.dolly.api.DollyException when the command's timeout passes (the program is killed) or the thread
     *         is interrupted
     */
    Result run(Command command);

    /** Runs a program with its arguments only: no extra variables, no input, no time limit. */
    default Result run(List<String> arguments)
    {
        return run(Command.of(arguments));
    }

    /** Runs commands as child processes of this JVM, with standard error merged into the output. */
    static SystemCommandRunner system()
    {
        return SystemCommandRunner.INSTANCE;
    }

    /**
     * @param output what the program printed, standard output and error together, stripped; only the end of a long
     *         output (which says what went wrong), after {@code …}
     */
    record Result(int exitCode, String output)
    {
        public Result
        {
            requireNonNull(output, "output is null");
        }

        public boolean succeeded()
        {
            return exitCode == 0;
        }
    }
}
