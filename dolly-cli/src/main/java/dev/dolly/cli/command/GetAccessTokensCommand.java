package dev.dolly.cli.command;

import dev.dolly.api.client.DollyClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/** {@code dolly get access-tokens}: the caller's own, never the tokens themselves. */
@Command(
        name = "access-tokens",
        aliases = {"access-token", "accesstokens", "tokens"},
        description = "List your access tokens: ID, purpose, when created, last used and when they expire.")
final class GetAccessTokensCommand
        implements Callable<Integer>
{
    private final CommandContext context;

    @Mixin
    GlobalOptions global;

    @Mixin
    OutputOptions output;

    GetAccessTokensCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
    {
        DollyClient client = new DaemonConnector(context).connect(global);
        AccessTokenTable.output(context).printList(client.listAccessTokens(), output, global.quiet);
        return 0;
    }
}
