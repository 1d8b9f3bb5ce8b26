package dev.dolly.core.engine;

import dev.dolly.api.DollyException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs engine programs, capturing what they print. */
public final class Processes
{
    /** Output beyond this is dropped from the start: the end of a program's output says what went wrong. */
    private static final int MAXIMUM_OUTPUT = 64 * 1024;

    public record Result(int exitCode, String output)
    {
        public boolean succeeded()
        {
            return exitCode == 0;
        }
    }

    private Processes() {}

    /**
     * Runs a command to its end, with stdout and stderr merged, in a clean environment: no {@code PG*} variables
     * or {@code MYSQL*} variables from the daemon's own environment, C locale, plus {@code extraEnvironment}.
     */
    public static Result run(List<String> command, Map<String, String> extraEnvironment, Path directory, Duration timeout)
    {
        return run(command, extraEnvironment, directory, timeout, null);
    }

    /** What a program reads on its standard input, written while it runs. */
    @FunctionalInterface
    public interface StandardInput
    {
        void writeTo(OutputStream output)
                throws IOException;
    }

    /**
     * Like {@link #run(List, Map, Path, Duration)}, with {@code input} written to the program's standard input on a
     * thread of its own (nothing when {@code null}). A program that exits early ends the writing quietly.
     */
    public static Result run(List<String> command, Map<String, String> extraEnvironment, Path directory, Duration timeout, StandardInput input)
    {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true);
        if (input == null) {
            builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        }
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        Map<String, String> environment = builder.environment();
        cleanEnvironment(environment);
        environment.putAll(extraEnvironment);

        String program = Path.of(command.getFirst()).getFileName().toString();
        Process process;
        try {
            process = builder.start();
        }
        catch (IOException e) {
            throw DollyException.failed("Cannot run " + command.getFirst() + ": " + e.getMessage(), e);
        }
        OutputCollector collector = new OutputCollector(process.getInputStream());
        Thread reader = Thread.ofPlatform().daemon().name("output of " + program).start(collector);
        if (input != null) {
            Thread.ofPlatform().daemon().name("input of " + program).start(() -> {
                try (OutputStream output = process.getOutputStream()) {
                    input.writeTo(output);
                }
                catch (IOException ignored) {
                    // the program stopped reading: its exit code and output tell why
                }
            });
        }
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                reader.join(Duration.ofSeconds(5));
                throw DollyException.failed(program + " did not finish within " + timeout.toSeconds() + " seconds and was stopped. Its output: " + collector.text().strip());
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

    /** No {@code PG*} or {@code MYSQL*} variables from the daemon's own environment, and the C locale. */
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
            return truncated ? "…" + text : text;
        }
    }
}
