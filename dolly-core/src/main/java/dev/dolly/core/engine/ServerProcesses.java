package dev.dolly.core.engine;

import dev.dolly.api.DollyException;
import dev.dolly.core.runtime.ServerProcess;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;


/**
 * What every engine does around its server processes, which the {@link dev.dolly.core.runtime.ContainerRuntime}
 * launches and stops: prepare their data directory for the {@link EngineUser}, wait for them, and quote the end of
 * their log when they fail.
 */
public final class ServerProcesses
{
    private static final int LOG_TAIL_LINES = 30;
    private static final int LOG_TAIL_BYTES = 16 * 1024;
    // a server that cannot bind logs a handful of lines after the failed bind, and then exits
    private static final int ADDRESS_IN_USE_LINES = 10;

    private ServerProcesses() {}

    /**
     * Makes a data directory startable: refuses a sealed image (storage drivers seal images with a read-only root,
     * and starting one would write to every clone's origin), and makes the directory private to its owner, as the
     * servers require. The runtime makes it the server's account's when it launches the server.
     */
    public static void claimDataDirectory(Path directory)
            throws IOException
    {
        if (!Files.getPosixFilePermissions(directory).contains(PosixFilePermission.OWNER_WRITE)) {
            throw DollyException.engineFailed(directory + " is a sealed image, which is never started: create a data container from it instead.");
        }
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
    }

    /** A readiness probe that gives up as soon as the server has exited: waiting longer would change nothing. */
    public static Readiness.Probe whileAlive(ServerProcess server, Readiness.Probe probe)
    {
        return () -> {
            if (!server.isAlive()) {
                throw new Readiness.GiveUp("the server exited while starting" + server.exitCode().stream().mapToObj(code -> " (exit code " + code + ")").findFirst().orElse(""), null);
            }
            return probe.ready();
        };
    }

    /** The last lines of a server's log, for the message of a failure. */
    public static String tail(Path logFile)
    {
        try (RandomAccessFile file = new RandomAccessFile(logFile.toFile(), "r")) {
            long length = file.length();
            int size = (int) Math.min(length, LOG_TAIL_BYTES);
            byte[] bytes = new byte[size];
            file.seek(length - size);
            file.readFully(bytes);
            List<String> lines = new String(bytes, StandardCharsets.UTF_8).lines().toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        }
        catch (IOException e) {
            return "(cannot read the log: " + e.getMessage() + ")";
        }
    }

    /** Whether one of the last lines of a server's log says its port was in use. */
    public static boolean logSaysAddressInUse(Path logFile)
    {
        List<String> lines = tail(logFile).lines().toList();
        return lines.subList(Math.max(0, lines.size() - ADDRESS_IN_USE_LINES), lines.size()).stream()
                .anyMatch(line -> line.contains("Address already in use"));
    }

    /** The host to reach a server on, given the address it listens on. */
    public static String connectHost(String listenAddress)
    {
        String first = listenAddress.split(",")[0].strip();
        return switch (first) {
            case "*", "0.0.0.0", "" -> "127.0.0.1";
            case "::" -> "::1";
            default -> first;
        };
    }
}
