package dev.dolly.core.runtime;

import dev.dolly.api.DollyException;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The resources each server may use: memory (its processes' resident memory and page cache, in bytes) and the
 * number of processes and threads.
 */
public record ServerLimits(long memoryBytes, long processes)
{
    public static final String MEMORY_VARIABLE = "DOLLY_CONTAINER_MEMORY_LIMIT";
    public static final String PROCESSES_VARIABLE = "DOLLY_CONTAINER_PIDS_LIMIT";
    public static final long DEFAULT_MEMORY_BYTES = 2L * 1024 * 1024 * 1024;
    public static final long DEFAULT_PROCESSES = 512;

    /** Less than this does not start a PostgreSQL or MariaDB server. */
    private static final long MINIMUM_MEMORY_BYTES = 64L * 1024 * 1024;
    private static final long MINIMUM_PROCESSES = 16;
    private static final Pattern SIZE = Pattern.compile("([0-9]{1,15})([kmgt]?)b?");

    public ServerLimits
    {
        if (memoryBytes < MINIMUM_MEMORY_BYTES) {
            throw DollyException.badInput("The memory limit of containers must be at least 64m.");
        }
        if (processes < MINIMUM_PROCESSES) {
            throw DollyException.badInput("The process limit of containers must be at least " + MINIMUM_PROCESSES + ".");
        }
    }

    /** The defaults: 2 GiB and 512 processes. */
    public static ServerLimits defaults()
    {
        return new ServerLimits(DEFAULT_MEMORY_BYTES, DEFAULT_PROCESSES);
    }

    /**
     * Reads {@value #MEMORY_VARIABLE} (a size such as {@code 2g}, {@code 512m} or a number of bytes) and
     * {@value #PROCESSES_VARIABLE} (a number), each with its default when unset.
     */
    public static ServerLimits fromEnvironment(Map<String, String> environment)
    {
        long memory = DEFAULT_MEMORY_BYTES;
        String memoryText = environment.getOrDefault(MEMORY_VARIABLE, "").strip();
        if (!memoryText.isEmpty()) {
            memory = parseSize(memoryText);
            if (memory < MINIMUM_MEMORY_BYTES) {
                throw DollyException.badInput(MEMORY_VARIABLE + " '" + memoryText + "' is too small: a database server needs at least 64m.");
            }
        }
        long processes = DEFAULT_PROCESSES;
        String processesText = environment.getOrDefault(PROCESSES_VARIABLE, "").strip();
        if (!processesText.isEmpty()) {
            try {
                processes = Long.parseLong(processesText);
            }
            catch (NumberFormatException e) {
                throw DollyException.badInput(PROCESSES_VARIABLE + " '" + processesText + "' must be a number of processes, such as 512.");
            }
            if (processes < MINIMUM_PROCESSES) {
                throw DollyException.badInput(PROCESSES_VARIABLE + " '" + processesText + "' is too small: a database server needs at least "
                        + MINIMUM_PROCESSES + " processes.");
            }
        }
        return new ServerLimits(memory, processes);
    }

    private static long parseSize(String text)
    {
        Matcher matcher = SIZE.matcher(text.toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw DollyException.badInput(MEMORY_VARIABLE + " '" + text + "' must be a size such as 2g, 512m or a number of bytes.");
        }
        long number = Long.parseLong(matcher.group(1));
        int shift = switch (matcher.group(2)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> 0;
        };
        if (number > Long.MAX_VALUE >> shift) {
            throw DollyException.badInput(MEMORY_VARIABLE + " '" + text + "' is larger than any machine's memory.");
        }
        return number << shift;
    }
}
