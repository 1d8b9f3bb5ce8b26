package dev.dolly.cli.command;

import dev.dolly.api.client.DollyClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/** {@code dolly get users} (administrators only). */
@Command(name = "users", aliases = "user", description = "List the users, with their teams (administrators only).")
final class GetUsersCommand
        implements Callable<Integer>
{
    private final CommandContext context;

    @Mixin
    GlobalOptions global;

    @Mixin
    OutputOptions output;

    GetUsersCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
    {
        DollyClient client = new DaemonConnector(context).connect(global);
        UserTable.output(context).printList(client.listUsers(), output, global.quiet);
        return 0;
    }
}
