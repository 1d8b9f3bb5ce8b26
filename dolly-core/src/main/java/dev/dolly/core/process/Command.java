package dev.dolly.core.process;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A program to run and how: its arguments, variables added to a clean environment, its working directory, how long
 * it may take and what it reads on its standard input.
 *
 * @param environment variables added to the environment, which holds no {@code PG*}, {@code MYSQL*},
 *         {@code MARIADB*} or {@code LC_*} variables of the daemon's own and has the C locale
 * @param directory the working directory; empty for the daemon's
 * @param timeout how long the program may run before it is killed and the run fails; empty to wait for its end
 * @param input what the program reads, written on a thread of its own; empty for nothing ({@code /dev/null})
 */
public record Command(List<String> arguments, Map<String, String> environment, Optional<Path> directory, Optional<Duration> timeout, Optional<StandardInput> input)
{
    public Command
    {
        arguments = List.copyOf(arguments);
        if (arguments.isEmpty()) {
            throw new IllegalArgumentException("A command needs a program");
        }
        environment = Map.copyOf(environment);
        requireNonNull(directory, "directory is null");
        requireNonNull(timeout, "timeout is null");
        requireNonNull(input, "input is null");
    }

    /** The program and its arguments, with nothing else: no extra variables, no input, no time limit. */
    public static Command of(List<String> arguments)
    {
        return new Command(arguments, Map.of(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    public static Command of(String... arguments)
    {
        return of(List.of(arguments));
    }

    public Command withEnvironment(Map<String, String> environment)
    {
        return new Command(arguments, environment, directory, timeout, input);
    }

    public Command inDirectory(Path directory)
    {
        return new Command(arguments, environment, Optional.of(directory), timeout, input);
    }

    public Command withTimeout(Duration timeout)
    {
        return new Command(arguments, environment, directory, Optional.of(timeout), input);
    }

    public Command withInput(StandardInput input)
    {
        return new Command(arguments, environment, directory, timeout, Optional.of(input));
    }

    /** The program's file name, for messages. */
    public String programName()
    {
        return Path.of(arguments.getFirst()).getFileName().toString();
    }

    /** The command as one line, for messages. */
    public String line()
    {
        return String.join(" ", arguments);
    }

    /** What a program reads on its standard input, written while it runs. */
    @FunctionalInterface
    public interface StandardInput
    {
        void writeTo(OutputStream output)
                throws IOException;
    }
}
