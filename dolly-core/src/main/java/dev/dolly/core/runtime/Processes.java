package dev.dolly.core.runtime;

import dev.dolly.api.DollyException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code /proc} tells about processes that are not the daemon's children. An exited process whose parent does
 * not reap it (a zombie) still answers signals; it is not running.
 */
final class Processes
{
    private static final Path PROC = Path.of("/proc");

    private Processes() {}

    /** Whether the process exists and has not exited. */
    static boolean isRunning(long process)
    {
        return state(process).filter(state -> state != 'Z' && state != 'X').isPresent();
    }

    /** The state letter of {@code /proc/<pid>/stat} ({@code R}, {@code S}, {@code Z}, ...), empty when it does not exist. */
    static Optional<Character> state(long process)
    {
        try {
            String stat = Files.readString(PROC.resolve(String.valueOf(process)).resolve("stat"));
            // the command name in parentheses may hold spaces and parentheses: the state follows the last ')'
            int end = stat.lastIndexOf(')');
            return end < 0 || end + 2 >= stat.length() ? Optional.empty() : Optional.of(stat.charAt(end + 2));
        }
        catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The children of a process (of its main thread, which is the only thread of the programs started here). */
    static List<Long> children(long process)
    {
        List<Long> children = new ArrayList<>();
        try {
            String text = Files.readString(PROC.resolve(String.valueOf(process)).resolve("task").resolve(String.valueOf(process)).resolve("children"));
            for (String child : text.strip().split("\\s+")) {
                if (!child.isEmpty()) {
                    children.add(Long.parseLong(child));
                }
            }
        }
        catch (IOException | NumberFormatException e) {
            // gone
        }
        return children;
    }

    /**
     * Whether the process is the first process of a PID namespace below the daemon's: the {@code NSpid} line of its
     * status names more than one id, the last being 1.
     */
    static boolean isNamespaceInit(long process)
    {
        try {
            for (String line : Files.readAllLines(PROC.resolve(String.valueOf(process)).resolve("status"))) {
                if (line.startsWith("NSpid:")) {
                    String[] ids = line.substring("NSpid:".length()).strip().split("\\s+");
                    return ids.length > 1 && ids[ids.length - 1].equals("1");
                }
            }
        }
        catch (IOException e) {
            // gone
        }
        return false;
    }

    /** Sends a signal by name ({@code INT}, {@code TERM}) to a process; whether it was sent. */
    static boolean signal(long process, String signal)
    {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(process)).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return kill.waitFor() == 0;
        }
        catch (IOException e) {
            throw DollyException.engineFailed("Cannot run kill: " + e.getMessage(), e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DollyException.failed("Interrupted while signalling process " + process);
        }
    }

    static void pause(Duration duration)
    {
        try {
            Thread.sleep(duration);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DollyException.failed("Interrupted while waiting for a server process");
        }
    }
}
