package dev.dolly.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs system programs (mount, mkfs, btrfs, pg_dump, hyperfine) and returns what they print. */
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

    /** What the command prints, whatever its exit code; {@code unknown (…)} when it cannot run. For descriptions, not measurements. */
    static String output(List<String> command)
    {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(30, TimeUnit.SECONDS);
            return text;
        }
        catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    /** The file system type of the path, as {@code stat -f} names it ({@code ext2/ext3} for ext4: they share a magic number). */
    static String filesystemType(Path path)
    {
        return output(List.of("stat", "-f", "-c", "%T", path.toString())).strip();
    }

    static boolean isInstalled(String tool)
    {
        for (String directory : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(directory, tool))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", tool)) || Files.isExecutable(Path.of("/sbin", tool));
    }
}
