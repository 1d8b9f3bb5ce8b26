package dev.dolly.cli.command;

import dev.dolly.api.DollyException;
import dev.dolly.api.DollyHome;
import dev.dolly.cli.LauncherSettings;
import dev.dolly.cli.daemon.LocalDaemon;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Everything a command may use from the outside world. Commands never read the process environment, the clock or
 * the standard streams directly, so that tests run the CLI in-process with their own.
 *
 * @param pollInterval how often to ask the daemon whether a build is done
 * @param daemonTimeout how long to wait for a daemon to start or stop
 */
public record CommandContext(
        Map<String, String> environment,
        PrintStream stdout,
        PrintStream stderr,
        InputStream stdin,
        LauncherSettings launcherSettings,
        Clock clock,
        Duration pollInterval,
        Duration daemonTimeout)
{
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(250);
    public static final Duration DEFAULT_DAEMON_TIMEOUT = Duration.ofSeconds(60);

    public CommandContext
    {
        environment = Map.copyOf(requireNonNull(environment, "environment is null"));
        requireNonNull(stdout, "stdout is null");
        requireNonNull(stderr, "stderr is null");
        requireNonNull(stdin, "stdin is null");
        requireNonNull(launcherSettings, "launcherSettings is null");
        requireNonNull(clock, "clock is null");
        requireNonNull(pollInterval, "pollInterval is null");
        requireNonNull(daemonTimeout, "daemonTimeout is null");
    }

    public static CommandContext of(Map<String, String> environment, PrintStream stdout, PrintStream stderr, InputStream stdin, LauncherSettings launcherSettings)
    {
        return new CommandContext(environment, stdout, stderr, stdin, launcherSettings, Clock.systemUTC(), DEFAULT_POLL_INTERVAL, DEFAULT_DAEMON_TIMEOUT);
    }

    /** An environment variable, treating an empty one as unset. */
    public Optional<String> variable(String name)
    {
        return Optional.ofNullable(environment.get(name)).map(String::strip).filter(value -> !value.isEmpty());
    }

    public Path home()
    {
        return DollyHome.resolve(environment);
    }

    public LocalDaemon localDaemon()
    {
        return new LocalDaemon(home(), environment, launcherSettings, daemonTimeout);
    }

    public Instant now()
    {
        return clock.instant();
    }

    /** A line on stderr about what is going on, unless the user asked for quiet. */
    void progress(boolean quiet, String message)
    {
        if (!quiet) {
            stderr.println(message);
        }
    }

    void sleep(Duration duration)
    {
        try {
            Thread.sleep(duration);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DollyException.failed("Interrupted while waiting for the daemon");
        }
    }
}
