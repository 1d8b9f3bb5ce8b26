package dev.dolly.cli.command;

import dev.dolly.api.client.DollyClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/** {@code dolly get teams} (administrators only). */
@Command(name = "teams", aliases = "team", description = "List the teams and their members (administrators only).")
final class GetTeamsCommand
        implements Callable<Integer>
{
    private final CommandContext context;

    @Mixin
    GlobalOptions global;

    @Mixin
    OutputOptions output;

    GetTeamsCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
    {
        DollyClient client = new DaemonConnector(context).connect(global);
        TeamTable.output(context).printList(client.listTeams(), output, global.quiet);
        return 0;
    }
}
