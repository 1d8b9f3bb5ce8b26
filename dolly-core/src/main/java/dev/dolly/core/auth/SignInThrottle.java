package dev.dolly.core.auth;

import dev.dolly.api.DollyException;
import dev.dolly.api.ErrorCode;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Slows down password guessing: after {@value #FREE_FAILURES_PER_USER} failed sign-ins for a user name, or
 * {@value #FREE_FAILURES_PER_ADDRESS} from a client address (which many people may share, behind NAT or a proxy), the
 * next attempt for it is refused for a delay that doubles with every further failure (1 s, 2 s, 4 s … up to 15
 * minutes), whether the password would be right or not. A successful sign-in clears the user name's and the
 * address's failures. State is kept in memory: a daemon restart clears it.
 *
 * <p>Sign-ins go through {@link #attempt}, which counts an attempt as failed as it lets it through, so that attempts
 * made in parallel are counted before their passwords are verified, not after.
 */
final class SignInThrottle
{
    static final int FREE_FAILURES_PER_USER = 5;
    static final int FREE_FAILURES_PER_ADDRESS = 20;
    static final Duration FIRST_DELAY = Duration.ofSeconds(1);
    static final Duration MAXIMUM_DELAY = Duration.ofMinutes(15);
    /** Failures older than this are forgotten. */
    static final Duration MEMORY = Duration.ofHours(1);

    private final Clock clock;
    private final Map<String, Failures> failures = new HashMap<>();

    SignInThrottle(Clock clock)
    {
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Refuses the attempt while the user name or the address is blocked. */
    synchronized void checkAllowed(String user, String address)
    {
        Instant now = clock.instant();
        forgetOld(now);
        Instant until = max(blockedUntil("user:" + user), blockedUntil("address:" + address));
        if (until != null && now.isBefore(until)) {
            long seconds = Math.max(1, (Duration.between(now, until).toMillis() + 999) / 1000);
            throw new DollyException(ErrorCode.TOO_MANY_ATTEMPTS, "Too many failed sign-ins for this user or from this address. Try again in "
                    + seconds + " second" + (seconds == 1 ? "" : "s") + ".");
        }
    }

    /**
     * Refuses the attempt while the user name or the address is blocked; otherwise counts it as a failure until
     * {@link #succeeded} clears it.
     */
    synchronized void attempt(String user, String address)
    {
        checkAllowed(user, address);
        failed(user, address);
    }

    synchronized void failed(String user, String address)
    {
        Instant now = clock.instant();
        record("user:" + user, FREE_FAILURES_PER_USER, now);
        record("address:" + address, FREE_FAILURES_PER_ADDRESS, now);
    }

    synchronized void succeeded(String user, String address)
    {
        failures.remove("user:" + user);
        failures.remove("address:" + address);
    }

    private void record(String key, int freeFailures, Instant now)
    {
        Failures previous = failures.get(key);
        int count = previous == null ? 1 : previous.count() + 1;
        Instant blockedUntil = null;
        if (count >= freeFailures) {
            int doublings = Math.min(count - freeFailures, 20);
            Duration delay = FIRST_DELAY.multipliedBy(1L << doublings);
            blockedUntil = now.plus(delay.compareTo(MAXIMUM_DELAY) > 0 ? MAXIMUM_DELAY : delay);
        }
        failures.put(key, new Failures(count, now, blockedUntil));
    }

    private Instant blockedUntil(String key)
    {
        Failures entry = failures.get(key);
        return entry == null ? null : entry.blockedUntil();
    }

    private void forgetOld(Instant now)
    {
        failures.values().removeIf(entry -> entry.last().plus(MEMORY).isBefore(now) && (entry.blockedUntil() == null || entry.blockedUntil().isBefore(now)));
    }

    private static Instant max(Instant first, Instant second)
    {
        if (first == null) {
            return second;
        }
        return second == null || first.isAfter(second) ? first : second;
    }

    private record Failures(int count, Instant last, Instant blockedUntil) {}
}
