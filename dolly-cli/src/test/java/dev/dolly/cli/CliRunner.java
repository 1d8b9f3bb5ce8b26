package dev.dolly.cli;

import dev.dolly.cli.command.CommandContext;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Runs the whole CLI in-process, with its own environment, a fixed clock and captured output. */
final class CliRunner
{
    static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    private final Map<String, String> environment = new HashMap<>();
    private LauncherSettings launcherSettings = new LauncherSettings(Optional.empty(), LauncherSettings.currentJava(), Optional.empty(), LauncherSettings.DAEMON_MAIN_CLASS);
    private Duration daemonTimeout = Duration.ofSeconds(5);
    private Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private byte[] stdin = new byte[0];

    CliRunner(Path home)
    {
        environment.put("DOLLY_HOME", home.toString());
        // never the configuration of whoever runs the tests
        environment.put("DOLLY_CONFIG", home.resolveSibling("config").toString());
    }

    CliRunner withVariable(String name, String value)
    {
        environment.put(name, value);
        return this;
    }

    CliRunner withLauncherSettings(LauncherSettings launcherSettings)
    {
        this.launcherSettings = launcherSettings;
        return this;
    }

    /** A clock other than the fixed one at {@link #NOW}, for commands that wait. */
    CliRunner withClock(Clock clock)
    {
        this.clock = clock;
        return this;
    }

    /** What the next commands read on stdin. */
    CliRunner withStdin(String text)
    {
        this.stdin = text.getBytes(StandardCharsets.UTF_8);
        return this;
    }

    CliRunner withDaemonTimeout(Duration daemonTimeout)
    {
        this.daemonTimeout = daemonTimeout;
        return this;
    }

    Result run(String... args)
    {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        CommandContext context = new CommandContext(
                environment,
                new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(stderr, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(stdin),
                launcherSettings,
                clock,
                Duration.ofMillis(5),
                daemonTimeout);
        int exitCode = new DollyCommandLine(context).run(args);
        return new Result(exitCode, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
    }

    record Result(int exitCode, String stdout, String stderr) {}
}
