package dev.dolly.core.engine;

import dev.dolly.api.DollyException;
import dev.dolly.core.process.Command;
import dev.dolly.core.process.CommandRunner;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * What every engine does with its server processes: prepare their data directory and log, launch them as the
 * {@link EngineUser}, signal them, wait for them to exit, and quote the end of their log when they fail.
 */
public final class ServerProcesses
{
    private static final Optional<Path> SETSID = Stream.of("/usr/bin/setsid", "/bin/setsid").map(Path::of).filter(Files::isExecutable).findFirst();
    private static final int LOG_TAIL_LINES = 30;
    private static final int LOG_TAIL_BYTES = 16 * 1024;

    private ServerProcesses() {}

    /**
     * Runs a server as the engine user in a session of its own (so that a terminal's signals to the daemon do not
     * reach it), in {@code directory}, with its output appended to the log file. {@code setpriv} and {@code setsid}
     * replace themselves with the server, so the process is the server itself.
     */
    public static Process launch(EngineUser engineUser, List<String> command, Path directory, Path logFile)
    {
        requireNonNull(engineUser, "engineUser is null");
        requireNonNull(command, "command is null");
        List<String> session = new ArrayList<>();
        SETSID.ifPresent(setsid -> session.add(setsid.toString()));
        session.addAll(command);
        return CommandRunner.system().launch(Command.of(engineUser.wrap(session)).inDirectory(directory), logFile);
    }

    /**
     * Makes a data directory startable: refuses a sealed image (storage drivers seal images with a read-only root,
     * and starting one would write to every clone's origin), gives a clone that came from the daemon's user to the
     * engine user, and makes the directory private to it, as the servers require.
     */
    public static void claimDataDirectory(EngineUser engineUser, Path directory)
            throws IOException
    {
        if (!Files.getPosixFilePermissions(directory).contains(PosixFilePermission.OWNER_WRITE)) {
            throw DollyException.engineFailed(directory + " is a sealed image, which is never started: create a data container from it instead.");
        }
        if (engineUser.switchesUser() && !engineUser.owns(directory)) {
            // a clone of an image (or a revision of another account): its files become this account's
            engineUser.takeOwnership(directory);
        }
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
    }

    /** A readiness probe that gives up as soon as the server has exited: waiting longer would change nothing. */
    public static Readiness.Probe whileAlive(Process server, Readiness.Probe probe)
    {
        return () -> {
            if (!server.isAlive()) {
                throw new Readiness.GiveUp("the server exited while starting (exit code " + server.exitValue() + ")", null);
            }
            return probe.ready();
        };
    }

    /** The log goes to a file the engine user may append to, in a directory it can reach. */
    public static void prepareLogFile(EngineUser engineUser, Path logFile)
            throws IOException
    {
        Path directory = logFile.getParent();
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory);
            engineUser.takeOwnership(directory);
        }
        if (!Files.exists(logFile)) {
            Files.createFile(logFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        engineUser.takeOwnership(logFile);
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

    /**
     * Sends a signal ({@code TERM}, {@code INT}) to a server, which may run as another user than the daemon.
     *
     * @return why it failed, or empty when the signal was sent or the process is gone anyway
     */
    public static Optional<String> signal(ProcessHandle process, String signal)
    {
        CommandRunner.Result result = CommandRunner.system().run(Command.of("kill", "-" + signal, String.valueOf(process.pid())).withTimeout(Duration.ofSeconds(10)));
        if (result.succeeded() || !process.isAlive()) {
            return Optional.empty();
        }
        return Optional.of(result.output().strip());
    }

    /**
     * Waits for a process to exit in steps of a few milliseconds, so that a stop returns as soon as the server is
     * gone: saves, loads and deletes wait for it.
     *
     * @return whether it exited within the timeout
     */
    public static boolean awaitExit(ProcessHandle process, Duration timeout, String description)
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = 1;
        while (process.isAlive() && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(pause);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw DollyException.failed("Interrupted while stopping " + description);
            }
            pause = Math.min(pause * 2, 20);
        }
        return !process.isAlive();
    }
}
