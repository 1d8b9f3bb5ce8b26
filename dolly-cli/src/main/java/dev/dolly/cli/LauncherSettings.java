package dev.dolly.cli;

import java.nio.file.Path;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What the launcher script tells the CLI about the installation: how to start the daemon, which is a separate JVM
 * with its own class path, and where the installation lives.
 *
 * @param daemonClassPath the daemon's class path (system property {@code dolly.daemon.classpath})
 * @param javaExecutable the {@code java} command that runs the daemon (system property {@code dolly.java})
 * @param installationDirectory the installation or repository root, where {@code examples/} lives (system property
 *         {@code dolly.home.directory})
 * @param daemonMainClass the daemon's main class
 * @param commandName the name the command was run by, which its usage shows: {@code dolly}, or {@code spawnctl}
 *         through a symbolic link of that name (system property {@code dolly.command.name})
 */
public record LauncherSettings(
        Optional<String> daemonClassPath,
        String javaExecutable,
        Optional<Path> installationDirectory,
        String daemonMainClass,
        String commandName)
{
    public static final String DAEMON_CLASS_PATH_PROPERTY = "dolly.daemon.classpath";
    public static final String JAVA_PROPERTY = "dolly.java";
    public static final String INSTALLATION_DIRECTORY_PROPERTY = "dolly.home.directory";
    public static final String COMMAND_NAME_PROPERTY = "dolly.command.name";
    public static final String DAEMON_MAIN_CLASS = "dev.dolly.daemon.DaemonMain";
    public static final String DEFAULT_COMMAND_NAME = "dolly";

    public LauncherSettings
    {
        requireNonNull(daemonClassPath, "daemonClassPath is null");
        requireNonNull(javaExecutable, "javaExecutable is null");
        requireNonNull(installationDirectory, "installationDirectory is null");
        requireNonNull(daemonMainClass, "daemonMainClass is null");
        requireNonNull(commandName, "commandName is null");
    }

    public LauncherSettings(Optional<String> daemonClassPath, String javaExecutable, Optional<Path> installationDirectory, String daemonMainClass)
    {
        this(daemonClassPath, javaExecutable, installationDirectory, daemonMainClass, DEFAULT_COMMAND_NAME);
    }

    public static LauncherSettings fromSystemProperties()
    {
        return new LauncherSettings(
                property(DAEMON_CLASS_PATH_PROPERTY),
                property(JAVA_PROPERTY).orElseGet(LauncherSettings::currentJava),
                property(INSTALLATION_DIRECTORY_PROPERTY).map(Path::of),
                DAEMON_MAIN_CLASS,
                property(COMMAND_NAME_PROPERTY).orElse(DEFAULT_COMMAND_NAME));
    }

    /** The {@code java} that runs this CLI, for when the launcher did not name one. */
    public static String currentJava()
    {
        return ProcessHandle.current().info().command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static Optional<String> property(String name)
    {
        return Optional.ofNullable(System.getProperty(name)).filter(value -> !value.isBlank());
    }
}
