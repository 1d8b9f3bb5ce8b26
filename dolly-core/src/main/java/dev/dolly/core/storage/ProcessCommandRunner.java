package dev.dolly.core.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs commands as child processes; a command that cannot start (not installed) exits with 127, as in a shell. */
final class ProcessCommandRunner
        implements CommandRunner
{
    @Override
    public Result run(List<String> command)
    {
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Result(process.waitFor(), output.strip());
        }
        catch (IOException e) {
            return new Result(127, command.getFirst() + ": " + e.getMessage());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(130, command.getFirst() + ": interrupted");
        }
    }
}
