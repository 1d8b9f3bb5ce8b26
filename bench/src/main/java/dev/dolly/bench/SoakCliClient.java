package dev.dolly.bench;

import dev.dolly.bench.SoakReport.CliCommandSummary;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * The CLI client of the soak: the real {@code ./dolly} command, one process per command, as the local administrator
 * of the daemon's home, running a sequence of commands whose exit codes are known: a container's life (0 each) and
 * refusals (2 for what does not exist, 1 for an image in use), with a pause between sequences.
 */
final class SoakCliClient
{
    private static final long COMMAND_TIMEOUT_MINUTES = 10;

    private final Path dolly;
    private final Map<String, String> environment;
    private final String image;
    private final Map<String, Tally> tallies = new LinkedHashMap<>();
    private int sequences;

    SoakCliClient(Path projectRoot, Path home, String image)
    {
        this.dolly = requireNonNull(projectRoot, "projectRoot is null").resolve("dolly");
        this.environment = Map.of("DOLLY_HOME", requireNonNull(home, "home is null").toString());
        this.image = requireNonNull(image, "image is null");
    }

    /** Runs sequences, with {@code pauseSeconds} between them, until the deadline ({@link System#nanoTime()}). */
    void runUntil(long deadlineNanos, int pauseSeconds)
            throws IOException, InterruptedException
    {
        while (System.nanoTime() < deadlineNanos) {
            sequence();
            long pauseNanos = Math.min(TimeUnit.SECONDS.toNanos(pauseSeconds), deadlineNanos - System.nanoTime());
            if (pauseNanos > 0) {
                TimeUnit.NANOSECONDS.sleep(pauseNanos);
            }
        }
    }

    /** One sequence of commands, each checked against the exit code it should have. */
    void sequence()
            throws IOException, InterruptedException
    {
        sequences++;
        String container = "soak-cli-" + sequences;
        run(0, "create", "data-container", "-i", image, "-n", container, "-q");
        run(0, "save", "data-container", container, "-q");
        run(0, "load", "data-container", container, "-r", "rev.1", "-q");
        run(2, "load", "data-container", container, "-r", "rev.99");
        // refused while containers use it
        run(1, "delete", "data-image", image);
        run(2, "create", "data-container", "-i", "soak-no-such-image");
        run(0, "delete", "data-container", container, "-q");
        run(2, "get", "data-container", container);
    }

    private void run(int expectedExitCode, String... arguments)
            throws IOException, InterruptedException
    {
        List<String> command = new ArrayList<>();
        command.add(dolly.toString());
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        long started = System.nanoTime();
        Process process = builder.start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(COMMAND_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor();
        }
        double seconds = Timings.seconds(started, System.nanoTime());
        int exitCode = process.exitValue();
        // the container's name changes from one sequence to the next: the command is named with the first one's
        String key = "./dolly " + String.join(" ", arguments).replaceAll("soak-cli-\\d+", "soak-cli-N");
        Tally tally;
        synchronized (this) {
            tally = tallies.computeIfAbsent(key, ignored -> new Tally(expectedExitCode));
        }
        tally.add(exitCode, seconds, new String(output, StandardCharsets.UTF_8).strip());
    }

    synchronized List<CliCommandSummary> summaries()
    {
        return tallies.entrySet().stream().map(entry -> entry.getValue().summary(entry.getKey())).toList();
    }

    private static final class Tally
    {
        private final int expectedExitCode;
        private final List<Double> seconds = new ArrayList<>();
        private final Map<Integer, Integer> exitCodes = new TreeMap<>();
        private String unexpected;

        Tally(int expectedExitCode)
        {
            this.expectedExitCode = expectedExitCode;
        }

        synchronized void add(int exitCode, double runSeconds, String output)
        {
            seconds.add(runSeconds);
            exitCodes.merge(exitCode, 1, Integer::sum);
            if (exitCode != expectedExitCode && unexpected == null) {
                unexpected = "exit code " + exitCode + ": " + output;
            }
        }

        synchronized CliCommandSummary summary(String command)
        {
            return new CliCommandSummary(command, expectedExitCode, seconds.size(), SoakReport.percentile(seconds, 50), new TreeMap<>(exitCodes), unexpected);
        }
    }
}
