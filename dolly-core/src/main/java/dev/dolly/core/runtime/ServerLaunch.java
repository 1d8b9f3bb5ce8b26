package dev.dolly.core.runtime;

import dev.dolly.core.engine.EngineUser;

import java.nio.file.Path;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * What an engine asks the runtime to run.
 *
 * @param dataDirectory the data directory of the server, which names it for the runtime
 * @param command the server program and its arguments, every setting Dolly relies on among them
 * @param account the account the server runs as
 * @param logFile the file the server's output is appended to; the daemon opens it, the server never does
 * @param visibleDirectories directories the server needs below {@code /tmp} (its socket directory), which stay visible
 *         in a private {@code /tmp}
 */
public record ServerLaunch(Path dataDirectory, List<String> command, EngineUser account, Path logFile, List<Path> visibleDirectories)
{
    public ServerLaunch
    {
        dataDirectory = requireNonNull(dataDirectory, "dataDirectory is null").toAbsolutePath();
        command = List.copyOf(requireNonNull(command, "command is null"));
        if (command.isEmpty()) {
            throw new IllegalArgumentException("command is empty");
        }
        requireNonNull(account, "account is null");
        logFile = requireNonNull(logFile, "logFile is null").toAbsolutePath();
        visibleDirectories = List.copyOf(requireNonNull(visibleDirectories, "visibleDirectories is null"));
    }

}
