package dev.dolly.core.engine.postgresql;

import dev.dolly.api.DollyException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.BooleanSupplier;

import static java.util.Objects.requireNonNull;

/**
 * What a data directory's {@code postmaster.pid} says about its server: the postmaster's process id on the first
 * line and, from PostgreSQL 10 on, its state on the eighth ({@code starting}, {@code ready}, {@code standby},
 * {@code stopping}). The server rewrites the file in place as it goes, so a read may catch it half-written: anything
 * incomplete reads as "not yet".
 *
 * @param status the state line, when the server writes one and has written it yet
 */
record PostmasterPidFile(long pid, Optional<String> status)
{
    static final String FILE_NAME = "postmaster.pid";
    static final String READY = "ready";
    private static final int STATUS_LINE = 7;

    PostmasterPidFile
    {
        requireNonNull(status, "status is null");
    }

    /** The file's content, or empty when it does not exist (yet) or its first line is incomplete. */
    static Optional<PostmasterPidFile> read(Path file)
    {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        }
        catch (NoSuchFileException e) {
            return Optional.empty();
        }
        catch (IOException e) {
            return Optional.empty();
        }
    }

    static Optional<PostmasterPidFile> parse(String text)
    {
        int end = text.indexOf('\n');
        if (end <= 0) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(text.substring(0, end).strip());
        }
        catch (NumberFormatException e) {
            return Optional.empty();
        }
        // only complete lines: the status line ends with a newline once written
        List<String> lines = text.substring(0, text.lastIndexOf('\n')).lines().toList();
        Optional<String> status = lines.size() > STATUS_LINE ? Optional.of(lines.get(STATUS_LINE).strip()).filter(line -> !line.isEmpty()) : Optional.empty();
        return Optional.of(new PostmasterPidFile(pid, status));
    }

    /**
     * Waits, polling every few milliseconds, until the postmaster {@code pid} says it is ready for connections: far
     * sooner than {@code pg_ctl start --wait}, which looks every 100 ms. A file of another process (a stale one, left
     * by a crash) is ignored until the server replaces it.
     *
     * @param writesStatus whether this server version writes the status line (PostgreSQL 10 and later); when it does
     *         not, this returns at once and the caller waits by connecting instead
     * @param alive whether the starting postmaster still runs
     * @param exitCode its exit code once it has exited, for the message
     * @return whether the server said it is ready; {@code false} when it never will (before PostgreSQL 10)
     * @throws DollyException when the postmaster exits or the timeout passes first
     */
    static boolean awaitReady(Path file, long pid, boolean writesStatus, BooleanSupplier alive, java.util.function.Supplier<OptionalInt> exitCode, Duration timeout)
    {
        if (!writesStatus) {
            return false;
        }
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (true) {
            Optional<PostmasterPidFile> content = read(file);
            if (content.isPresent() && content.get().pid() == pid && content.get().status().filter(READY::equals).isPresent()) {
                return true;
            }
            if (!alive.getAsBoolean()) {
                // it may have become ready just before exiting: still a failed start
                throw DollyException.engineFailed("the server exited while starting" + exitCode.get().stream().mapToObj(code -> " (exit code " + code + ")").findFirst().orElse(""));
            }
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                throw DollyException.engineFailed("the server was not ready after " + timeout.toSeconds() + " seconds"
                        + content.filter(found -> found.pid() == pid).flatMap(PostmasterPidFile::status).map(status -> " (it says '" + status + "')").orElse(""));
            }
            // a server starts in tens of milliseconds, a recovery can take minutes: look often at first
            sleep(now - start < Duration.ofSeconds(1).toNanos() ? Duration.ofMillis(2) : Duration.ofMillis(20));
        }
    }

    private static void sleep(Duration pause)
    {
        try {
            Thread.sleep(pause);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DollyException.failed("Interrupted while waiting for PostgreSQL to start");
        }
    }
}
