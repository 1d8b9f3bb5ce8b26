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

    /**
     * Thrown by a probe when trying again is pointless (the server exited, or refused the credentials): the wait ends
     * at once with its message.
     */
    public static final class GiveUp
            extends RuntimeException
    {
        public GiveUp(String message, Throwable cause)
        {
            super(message, cause);
        }
    }

    private Readiness() {}

    /**
     * Retries {@code probe} until it answers {@code true}.
     *
     * @param description what is awaited, for the message, such as {@code PostgreSQL on port 54321}
     * @throws DollyException ENGINE_FAILED when the deadline passes first
     */
    public static void await(String description, Duration timeout, Probe probe)
    {
        await(description, timeout, FIRST_PAUSE, probe);
    }

    /**
     * Retries {@code probe} until it answers {@code true}, first after {@code firstPause}, then twice as long each
     * time up to half a second.
     *
     * @throws DollyException ENGINE_FAILED when the deadline passes first, or the probe gives up
     */
    public static void await(String description, Duration timeout, Duration firstPause, Probe probe)
    {
        requireNonNull(description, "description is null");
        requireNonNull(timeout, "timeout is null");
        requireNonNull(firstPause, "firstPause is null");
        requireNonNull(probe, "probe is null");
        long deadline = System.nanoTime() + timeout.toNanos();
        Duration pause = firstPause;
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
            catch (GiveUp e) {
                throw DollyException.engineFailed(description + " failed: " + e.getMessage(), e.getCause() == null ? e : e.getCause());
            }
            catch (Exception e) {
                lastFailure = String.valueOf(e.getMessage());
            }
            if (System.nanoTime() - deadline >= 0) {
                throw DollyException.engineFailed(description + " was not ready after " + timeout.toSeconds() + " seconds: " + lastFailure);
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
