package dev.dolly.cli.command;

import dev.dolly.api.client.DollyClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/** {@code dolly delete access-token ID...}: revokes them at once. */
@Command(
        name = "access-token",
        aliases = {"access-tokens", "accesstoken", "token"},
        description = "Revoke access tokens of yours: they stop working at once.")
final class DeleteAccessTokenCommand
        implements Callable<Integer>
{
    private final CommandContext context;

    @Mixin
    GlobalOptions global;

    @Parameters(arity = "1..*", paramLabel = "ID", description = "The tokens' IDs, from 'dolly get access-tokens'.")
    List<String> ids;

    DeleteAccessTokenCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
    {
        DollyClient client = new DaemonConnector(context).connect(global);
        return new Deletion(context, "Access token").deleteEach(ids, id -> String.valueOf(client.deleteAccessToken(id).id()), global.quiet, false);
    }
}
