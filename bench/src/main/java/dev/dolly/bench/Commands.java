package dev.dolly.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs system programs (mount, mkfs, btrfs, hyperfine) and returns what they print. */
final class Commands
{
    private Commands() {}

    /** Runs the command; fails with its output when it does not exit with 0 within an hour. */
    static String run(List<String> command)
            throws IOException, InterruptedException
    {
        return run(command, Map.of());
    }

    static String run(List<String> command, Map<String, String> environment)
            throws IOException, InterruptedException
    {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor();
            throw new IllegalStateException(command.getFirst() + " did not finish within 60 minutes");
        }
        String text = new String(output, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited with " + process.exitValue() + ":\n" + text);
        }
        return text;
    }
}
