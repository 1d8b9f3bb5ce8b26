package dev.dolly.core.process;

import dev.dolly.api.DollyException;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * The one place where Dolly starts processes: commands run to their end ({@link #run}) and servers that keep running
 * with their output in a log file ({@link #launch}). Every process gets a clean environment: no {@code PG*},
 * {@code MYSQL*}, {@code MARIADB*} or {@code LC_*} variables from the daemon's own, and the C locale, so that
 * programs neither connect where the daemon's user would nor print messages Dolly cannot read.
 */
public final class SystemCommandRunner
        implements CommandRunner
{
    static final SystemCommandRunner INSTANCE = new SystemCommandRunner();

    /** Output beyond this is dropped from the start: the end of a program's output says what went wrong. */
    private static final int MAXIMUM_OUTPUT = 64 * 1024;
    private static final File NO_INPUT = new File("/dev/null");
    private static final int NOT_FOUND = 127;

    private SystemCommandRunner() {}

    @Override
    public Result run(Command command)
    {
        requireNonNull(command, "command is null");
        ProcessBuilder builder = builder(command).redirectErrorStream(true);
        if (command.input().isEmpty()) {
            builder.redirectInput(ProcessBuilder.Redirect.from(NO_INPUT));
        }
        String program = command.programName();
        Process process;
        try {
            process = builder.start();
        }
        catch (IOException e) {
            return new Result(NOT_FOUND, command.arguments().getFirst() + ": " + e.getMessage());
        }
        OutputCollector collector = new OutputCollector(process.getInputStream());
        Thread reader = Thread.ofPlatform().daemon().name("output of " + program).start(collector);
        command.input().ifPresent(input -> Thread.ofPlatform().daemon().name("input of " + program).start(() -> {
            try (OutputStream output = process.getOutputStream()) {
                input.writeTo(output);
            }
            catch (IOException ignored) {
                // the program stopped reading: its exit code and output tell why
            }
        }));
        try {
            if (command.timeout().isPresent()) {
                Duration timeout = command.timeout().get();
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                    reader.join(Duration.ofSeconds(5));
                    throw DollyException.engineFailed(program + " did not finish within " + timeout.toSeconds() + " seconds and was stopped. Its output: " + collector.text());
                }
            }
            else {
                process.waitFor();
            }
            reader.join(Duration.ofSeconds(30));
            return new Result(process.exitValue(), collector.text());
        }
        catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw DollyException.failed("Interrupted while running " + program);
        }
    }

    /**
     * Starts a program that keeps running, such as a database server, with its standard output and error appended
     * to {@code logFile}; its standard input is empty and its time unlimited, whatever the command says.
     */
    public Process launch(Command command, Path logFile)
    {
        requireNonNull(command, "command is null");
        requireNonNull(logFile, "logFile is null");
        ProcessBuilder builder = builder(command)
                .redirectInput(ProcessBuilder.Redirect.from(NO_INPUT))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectErrorStream(true);
        try {
            return builder.start();
        }
        catch (IOException e) {
            throw DollyException.engineFailed("Cannot run " + command.arguments().getFirst() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Starts a program whose standard output the caller reads as it comes, such as pg_restore writing a dump's data
     * as SQL text; its standard error goes to {@code errorFile}, its standard input is empty and its time unlimited,
     * whatever the command says: the caller waits for it and destroys it.
     */
    public Process stream(Command command, Path errorFile)
    {
        requireNonNull(command, "command is null");
        requireNonNull(errorFile, "errorFile is null");
        ProcessBuilder builder = builder(command)
                .redirectInput(ProcessBuilder.Redirect.from(NO_INPUT))
                .redirectError(errorFile.toFile());
        try {
            return builder.start();
        }
        catch (IOException e) {
            throw DollyException.failed("Cannot run " + command.arguments().getFirst() + ": " + e.getMessage(), e);
        }
    }

    private static ProcessBuilder builder(Command command)
    {
        ProcessBuilder builder = new ProcessBuilder(command.arguments());
        command.directory().ifPresent(directory -> builder.directory(directory.toFile()));
        Map<String, String> environment = builder.environment();
        cleanEnvironment(environment);
        environment.putAll(command.environment());
        return builder;
    }

    /** No {@code PG*}, {@code MYSQL*}, {@code MARIADB*} or {@code LC_*} variables from the daemon's own environment, and the C locale. */
    static void cleanEnvironment(Map<String, String> environment)
    {
        environment.keySet().removeIf(name -> name.startsWith("PG") || name.startsWith("MYSQL") || name.startsWith("MARIADB") || name.startsWith("LC_"));
        environment.put("LC_ALL", "C");
        environment.put("LANG", "C");
    }

    private static final class OutputCollector
            implements Runnable
    {
        private final InputStream input;
        private final ByteArrayOutputStream output = new ByteArrayOutputStream();
        private boolean truncated;

        OutputCollector(InputStream input)
        {
            this.input = input;
        }

        @Override
        public void run()
        {
            byte[] buffer = new byte[8192];
            try (input) {
                int count;
                while ((count = input.read(buffer)) >= 0) {
                    append(buffer, count);
                }
            }
            catch (IOException ignored) {
                // the process went away; keep what was read
            }
        }

        private synchronized void append(byte[] buffer, int count)
        {
            output.write(buffer, 0, count);
            if (output.size() > 2 * MAXIMUM_OUTPUT) {
                byte[] all = output.toByteArray();
                output.reset();
                output.write(all, all.length - MAXIMUM_OUTPUT, MAXIMUM_OUTPUT);
                truncated = true;
            }
        }

        synchronized String text()
        {
            String text = output.toString(StandardCharsets.UTF_8);
            if (text.length() > MAXIMUM_OUTPUT) {
                text = text.substring(text.length() - MAXIMUM_OUTPUT);
                truncated = true;
            }
            return (truncated ? "…" : "") + text.strip();
        }
    }
}
