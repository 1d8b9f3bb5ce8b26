package dev.dolly.cli.command;

import dev.dolly.api.client.ServerTrust;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Optional;

/** The options every command that talks to a daemon takes. */
final class GlobalOptions
{
    static final String SERVER_VARIABLE = "DOLLY_SERVER";
    static final String ACCESS_TOKEN_VARIABLE = "DOLLY_ACCESS_TOKEN";
    /** spawnctl's variable, which pipelines written for Spawn set. */
    static final String SPAWNCTL_ACCESS_TOKEN_VARIABLE = "SPAWNCTL_ACCESS_TOKEN";

    @Option(names = "--server", paramLabel = "URL",
            description = "The Dolly server to use, for example http://dolly.example.com:7370. Default: $DOLLY_SERVER, "
                    + "else the server of 'dolly auth login', else the local daemon of DOLLY_HOME, started when needed.")
    String server;

    @Option(names = {"--access-token", "--accessToken"}, paramLabel = "TOKEN",
            description = "The access token to use (--accessToken is spawnctl's spelling). Default: $DOLLY_ACCESS_TOKEN, else $SPAWNCTL_ACCESS_TOKEN "
                    + "(safer: command lines are visible to other users), else the session of 'dolly auth login', else the local daemon's administrator token.")
    String accessToken;

    @Option(names = "--ca-certificate", paramLabel = "FILE",
            description = "A PEM file with the certificate authority (or the self-signed certificate) of an https server, trusted "
                    + "besides the JDK's. Default: $DOLLY_CA_CERTIFICATE.")
    String caCertificate;

    @Option(names = {"-q", "--quiet"}, description = "Print only names, and no progress.")
    boolean quiet;

    Optional<String> server(CommandContext context)
    {
        return nonBlank(server).or(() -> context.variable(SERVER_VARIABLE));
    }

    Optional<String> accessToken(CommandContext context)
    {
        return nonBlank(accessToken).or(() -> environmentAccessToken(context));
    }

    /** The token of the environment: DOLLY_ACCESS_TOKEN, else spawnctl's SPAWNCTL_ACCESS_TOKEN. */
    static Optional<String> environmentAccessToken(CommandContext context)
    {
        return context.variable(ACCESS_TOKEN_VARIABLE).or(() -> context.variable(SPAWNCTL_ACCESS_TOKEN_VARIABLE));
    }

    /** The certificate authorities https servers are checked against: the JDK's, and the file given, if any. */
    ServerTrust trust(CommandContext context)
    {
        if (nonBlank(caCertificate).isPresent()) {
            return ServerTrust.withCertificateAuthorities(Path.of(caCertificate.strip()), "--ca-certificate");
        }
        return environmentTrust(context);
    }

    /** The same, for commands without {@code --ca-certificate}: the JDK's, and the file of DOLLY_CA_CERTIFICATE, if any. */
    static ServerTrust environmentTrust(CommandContext context)
    {
        return context.variable(ServerTrust.CA_CERTIFICATE_VARIABLE)
                .map(file -> ServerTrust.withCertificateAuthorities(Path.of(file), ServerTrust.CA_CERTIFICATE_VARIABLE))
                .orElse(ServerTrust.jdk());
    }

    private static Optional<String> nonBlank(String value)
    {
        return Optional.ofNullable(value).map(String::strip).filter(text -> !text.isEmpty());
    }
}
