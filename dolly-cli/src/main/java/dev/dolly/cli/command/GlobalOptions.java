package dev.dolly.cli.command;

import picocli.CommandLine.Option;

import java.util.Optional;

/** The options every command that talks to a daemon takes. */
final class GlobalOptions
{
    static final String SERVER_VARIABLE = "DOLLY_SERVER";
    static final String ACCESS_TOKEN_VARIABLE = "DOLLY_ACCESS_TOKEN";

    @Option(names = "--server", paramLabel = "URL",
            description = "The Dolly server to use, for example http://dolly.example.com:7370. Default: $DOLLY_SERVER, "
                    + "else the server of 'dolly auth login', else the local daemon of DOLLY_HOME, started when needed.")
    String server;

    @Option(names = "--access-token", paramLabel = "TOKEN",
            description = "The access token to use. Default: $DOLLY_ACCESS_TOKEN (safer: command lines are visible to other users), "
                    + "else the session of 'dolly auth login', else the local daemon's administrator token.")
    String accessToken;

    @Option(names = {"-q", "--quiet"}, description = "Print only names, and no progress.")
    boolean quiet;

    Optional<String> server(CommandContext context)
    {
        return nonBlank(server).or(() -> context.variable(SERVER_VARIABLE));
    }

    Optional<String> accessToken(CommandContext context)
    {
        return nonBlank(accessToken).or(() -> context.variable(ACCESS_TOKEN_VARIABLE));
    }

    private static Optional<String> nonBlank(String value)
    {
        return Optional.ofNullable(value).map(String::strip).filter(text -> !text.isEmpty());
    }
}
