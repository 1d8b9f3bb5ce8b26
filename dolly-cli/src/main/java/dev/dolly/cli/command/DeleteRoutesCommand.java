package dev.dolly.cli.command;

import dev.dolly.api.client.DollyClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/** {@code dolly delete route NAME...} */
@Command(name = "route", aliases = "routes", description = "Delete routes: the daemon stops listening on their ports and closes their connections.")
final class DeleteRoutesCommand
        implements Callable<Integer>
{
    private final CommandContext context;

    @Mixin
    GlobalOptions global;

    @Parameters(arity = "1..*", paramLabel = "NAME", description = "The routes to delete: names or IDs.")
    List<String> references;

    DeleteRoutesCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
    {
        DollyClient client = new DaemonConnector(context).connect(global);
        return new Deletion(context, "Route").deleteEach(references, reference -> client.deleteRoute(reference).name(), global.quiet, false);
    }
}
