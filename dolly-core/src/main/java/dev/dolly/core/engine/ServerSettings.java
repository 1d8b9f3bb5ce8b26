package dev.dolly.core.engine;

import dev.dolly.api.DollyException;

import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * How to run a server.
 *
 * @param listenAddress the address the server listens on, {@code 127.0.0.1} unless configured
 * @param port the TCP port
 * @param parameters engine settings (for PostgreSQL, {@code shared_buffers} and the like) that override the defaults
 * @param logFile where the server writes its log
 */
public record ServerSettings(String listenAddress, int port, Map<String, String> parameters, java.nio.file.Path logFile)
{
    public ServerSettings
    {
        requireNonNull(listenAddress, "listenAddress is null");
        if (port <= 0 || port > 65535) {
            throw DollyException.badInput("Port " + port + " is not a TCP port: use one between 1 and 65535.");
        }
        parameters = Map.copyOf(requireNonNull(parameters, "parameters is null"));
        requireNonNull(logFile, "logFile is null");
    }
}
