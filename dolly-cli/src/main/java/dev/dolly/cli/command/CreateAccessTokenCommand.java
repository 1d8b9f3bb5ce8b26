package dev.dolly.cli.command;

import dev.dolly.api.CreateAccessTokenRequest;
import dev.dolly.api.NewAccessToken;
import dev.dolly.api.client.DollyClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/** {@code dolly create access-token --purpose TEXT [--expires D]}: prints the new token, once. */
@Command(
        name = "access-token",
        aliases = {"access-tokens", "accesstoken", "token"},
        description = {
                "Create an access token of your own, for CI pipelines and scripts: use it with DOLLY_ACCESS_TOKEN or --access-token.",
                "It is shown this once (Dolly keeps only a hash of it) and works until revoked, or until --expires."})
final class CreateAccessTokenCommand
        implements Callable<Integer>
{
    private final CommandContext context;

    @Mixin
    GlobalOptions global;

    @Mixin
    OutputOptions output;

    @Option(names = "--purpose", required = true, paramLabel = "TEXT", description = "What the token is for, such as \"nightly refresh\".")
    String purpose;

    @Option(names = "--expires", paramLabel = "DURATION", description = "Stop working after this long: 90m, 48h, 7d. Default: never.")
    String expires;

    CreateAccessTokenCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
    {
        DollyClient client = new DaemonConnector(context).connect(global);
        NewAccessToken token = client.createAccessToken(new CreateAccessTokenRequest(purpose, expires));
        output.print(context, token, global.quiet, token.token(), "Access token generated: " + token.token());
        return 0;
    }
}
