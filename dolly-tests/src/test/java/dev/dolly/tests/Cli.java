package dev.dolly.tests;

import dev.dolly.api.Json;
import dev.dolly.cli.DollyCommandLine;
import dev.dolly.cli.LauncherSettings;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** Runs the real {@code dolly} CLI in this JVM, with its own environment and captured output. */
final class Cli
{
    private final Map<String, String> environment;
    private final LauncherSettings launcherSettings;

    Cli(Map<String, String> environment)
    {
        this.environment = Map.copyOf(requireNonNull(environment, "environment is null"));
        // as the ./dolly launcher sets it up: the CLI can start the packaged daemon in the background
        Path daemonModule = DaemonProcess.PROJECT_ROOT.resolve("dolly-daemon/target");
        this.launcherSettings = new LauncherSettings(
                Optional.of(daemonModule.resolve("dolly-daemon.jar") + ":" + daemonModule.resolve("lib") + "/*"),
                LauncherSettings.currentJava(),
                Optional.of(DaemonProcess.PROJECT_ROOT),
                LauncherSettings.DAEMON_MAIN_CLASS);
    }

    /** The same CLI with other environment variables set, such as another DOLLY_CONFIG or DOLLY_ACCESS_TOKEN. */
    Cli with(Map<String, String> variables)
    {
        Map<String, String> changed = new HashMap<>(environment);
        changed.putAll(variables);
        return new Cli(changed);
    }

    Result run(String... arguments)
    {
        return runWithStdin("", arguments);
    }

    /** Runs a command that reads {@code stdin}, such as a password with --password-stdin. */
    Result runWithStdin(String stdin, String... arguments)
    {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int exitCode = new DollyCommandLine(environment, new PrintStream(stdout, true, StandardCharsets.UTF_8), new PrintStream(stderr, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), launcherSettings).run(arguments);
        return new Result(exitCode, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
    }

    /** Runs a command that must succeed. */
    Result succeed(String... arguments)
    {
        return succeedWithStdin("", arguments);
    }

    /** Runs a command that reads {@code stdin} and must succeed. */
    Result succeedWithStdin(String stdin, String... arguments)
    {
        Result result = runWithStdin(stdin, arguments);
        if (result.exitCode() != 0) {
            throw new AssertionError("dolly " + String.join(" ", arguments) + " exited " + result.exitCode() + "\nstdout: " + result.stdout() + "\nstderr: " + result.stderr());
        }
        return result;
    }

    /** Runs a command that must succeed and prints JSON, read as {@code type}. */
    <T> T json(Class<T> type, String... arguments)
    {
        String[] withOutput = new String[arguments.length + 2];
        System.arraycopy(arguments, 0, withOutput, 0, arguments.length);
        withOutput[arguments.length] = "-o";
        withOutput[arguments.length + 1] = "json";
        Result result = succeed(withOutput);
        try {
            return Json.json().readValue(result.stdout(), type);
        }
        catch (java.io.IOException e) {
            throw new AssertionError("Not JSON: " + result.stdout(), e);
        }
    }

    record Result(int exitCode, String stdout, String stderr) {}
}
