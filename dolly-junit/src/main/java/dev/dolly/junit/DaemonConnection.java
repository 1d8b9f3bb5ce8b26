package dev.dolly.junit;

import dev.dolly.api.DaemonAddress;
import dev.dolly.api.DollyException;
import dev.dolly.api.DollyHome;
import dev.dolly.api.ErrorCode;
import dev.dolly.api.client.DollyClient;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * Finds the daemon the tests talk to, as the CLI does: {@code DOLLY_SERVER} with {@code DOLLY_ACCESS_TOKEN} (CI), else
 * the local daemon of {@code DOLLY_HOME} with that home's administrator token (or {@code DOLLY_ACCESS_TOKEN}), started
 * with {@code dolly daemon start} when it does not run. The {@code dolly} command is {@code DOLLY_COMMAND}, else the
 * one on the {@code PATH}.
 */
final class DaemonConnection
{
    static final String SERVER_VARIABLE = "DOLLY_SERVER";
    static final String ACCESS_TOKEN_VARIABLE = "DOLLY_ACCESS_TOKEN";
    static final String COMMAND_VARIABLE = "DOLLY_COMMAND";
    private static final long START_TIMEOUT_SECONDS = 120;

    private final Map<String, String> environment;

    DaemonConnection(Map<String, String> environment)
    {
        this.environment = Map.copyOf(requireNonNull(environment, "environment is null"));
    }

    DollyClient connect()
    {
        Optional<String> accessToken = variable(ACCESS_TOKEN_VARIABLE);
        Optional<String> server = variable(SERVER_VARIABLE);
        if (server.isPresent()) {
            String token = accessToken.orElseThrow(() -> new DollyException(ErrorCode.NOT_AUTHENTICATED,
                    SERVER_VARIABLE + " is " + server.get() + " but " + ACCESS_TOKEN_VARIABLE + " is not set. Set it to an access token of that "
                            + "server ('dolly create access-token'), or unset " + SERVER_VARIABLE + " to use the local daemon."));
            String url = server.get().contains("://") ? server.get() : "http://" + server.get();
            return new DollyClient(URI.create(url), token);
        }
        Path home = DollyHome.resolve(environment);
        Optional<DaemonAddress> address = DollyHome.readDaemonAddress(home).filter(DaemonConnection::alive);
        if (address.isEmpty()) {
            start(home);
            address = DollyHome.readDaemonAddress(home).filter(DaemonConnection::alive);
            if (address.isEmpty()) {
                throw DollyException.failed("'dolly daemon start' ended but no daemon runs for " + home + ": see its log " + DollyHome.daemonLogFile(home) + ".");
            }
        }
        return DollyClient.of(address.get(), accessToken.orElseGet(() -> administratorToken(home)));
    }

    private void start(Path home)
    {
        String command = variable(COMMAND_VARIABLE).orElseGet(() -> onPath("dolly").orElseThrow(() -> DollyException.failed(
                "No Dolly daemon runs for " + home + ", and there is no 'dolly' command on the PATH to start one. Start it with "
                        + "'dolly daemon start', set " + COMMAND_VARIABLE + " to the dolly command, or set " + SERVER_VARIABLE + " and "
                        + ACCESS_TOKEN_VARIABLE + " to use a Dolly server.")));
        ProcessBuilder builder = new ProcessBuilder(List.of(command, "daemon", "start", "-q"))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(environment);
        builder.environment().put(DollyHome.HOME_VARIABLE, home.toString());
        try {
            Process process = builder.start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(START_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw DollyException.failed("'" + command + " daemon start' did not end within " + START_TIMEOUT_SECONDS + " seconds.");
            }
            if (process.exitValue() != 0) {
                throw DollyException.failed("'" + command + " daemon start' failed with exit code " + process.exitValue() + ":\n"
                        + new String(output, StandardCharsets.UTF_8).strip());
            }
        }
        catch (IOException e) {
            throw DollyException.failed("Cannot run '" + command + " daemon start': " + e.getMessage() + ". Set " + COMMAND_VARIABLE
                    + " to the dolly command.", e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DollyException.failed("Interrupted while starting the Dolly daemon", e);
        }
    }

    private static String administratorToken(Path home)
    {
        Path file = DollyHome.adminTokenFile(home);
        try {
            String token = Files.readString(file).strip();
            if (!token.isEmpty()) {
                return token;
            }
        }
        catch (NoSuchFileException e) {
            // said below
        }
        catch (IOException e) {
            throw new DollyException(ErrorCode.NOT_AUTHENTICATED, "Cannot read the administrator token " + file + " (" + e.getMessage()
                    + "). Run the tests as the user that owns " + home + ", or set " + ACCESS_TOKEN_VARIABLE + ".", e);
        }
        throw new DollyException(ErrorCode.NOT_AUTHENTICATED, "There is no administrator token in " + file + ". Set " + ACCESS_TOKEN_VARIABLE + ".");
    }

    private Optional<String> onPath(String name)
    {
        String path = environment.getOrDefault("PATH", "");
        for (String directory : path.split(File.pathSeparator)) {
            if (!directory.isBlank() && Files.isExecutable(Path.of(directory, name))) {
                return Optional.of(Path.of(directory, name).toString());
            }
        }
        return Optional.empty();
    }

    private Optional<String> variable(String name)
    {
        return Optional.ofNullable(environment.get(name)).filter(value -> !value.isBlank());
    }

    private static boolean alive(DaemonAddress address)
    {
        return address.url() != null && ProcessHandle.of(address.pid()).map(ProcessHandle::isAlive).orElse(false);
    }
}
