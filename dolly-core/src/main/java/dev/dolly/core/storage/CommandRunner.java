package dev.dolly.core.storage;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Runs the file system tools the drivers need ({@code btrfs}, {@code cp}, {@code mount}, {@code zfs}). Tests of
 * drivers whose file system is not at hand (ZFS) replace it with a fake that records the commands.
 */
public interface CommandRunner
{
    /** Runs a command to its end; never throws for a non-zero exit code, which is in the result. */
    Result run(List<String> command);

    /** Runs a command as separate processes of this JVM, with standard error merged into the output. */
    static CommandRunner system()
    {
        return new ProcessCommandRunner();
    }

    /**
     * @param output what the command printed, standard output and error together, stripped
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
