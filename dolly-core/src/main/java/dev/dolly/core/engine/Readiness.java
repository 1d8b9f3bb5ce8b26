package dev.dolly.core.engine;

import dev.dolly.api.DollyException;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * Waits until a server is ready by retrying a probe until a deadline, in the spirit of Testcontainers' wait
 * strategies. A probe that returns {@code false} or throws is retried; the last failure ends up in the message.
 */
public final class Readiness
{
    private static final Duration FIRST_PAUSE = Duration.ofMillis(20);
    private static final Duration LONGEST_PAUSE = Duration.ofMillis(500);

    /** One attempt to reach the server. */
    @FunctionalInterface
    public interface Probe
    {
        boolean ready()
                throws Exception;
    }

    private Readiness() {}

    /**
     * Retries {@code probe} until it answers {@code true}.
     *
     * @param description what is awaited, for the message, such as {@code PostgreSQL on port 54321}
     * @throws DollyException OPERATION_FAILED when the deadline passes first
     */
    public static void await(String description, Duration timeout, Probe probe)
    {
        requireNonNull(description, "description is null");
        requireNonNull(timeout, "timeout is null");
        requireNonNull(probe, "probe is null");
        long deadline = System.nanoTime() + timeout.toNanos();
        Duration pause = FIRST_PAUSE;
        String lastFailure = "it did not answer";
        while (true) {
            try {
                if (probe.ready()) {
                    return;
                }
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw DollyException.failed("Interrupted while waiting for " + description);
            }
            catch (Exception e) {
                lastFailure = String.valueOf(e.getMessage());
            }
            if (System.nanoTime() - deadline >= 0) {
                throw DollyException.failed(description + " was not ready after " + timeout.toSeconds() + " seconds: " + lastFailure);
            }
            try {
                Thread.sleep(pause);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw DollyException.failed("Interrupted while waiting for " + description);
            }
            pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
        }
    }
}
