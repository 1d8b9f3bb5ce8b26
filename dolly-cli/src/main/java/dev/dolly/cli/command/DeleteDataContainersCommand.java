package dev.dolly.cli.command;

import dev.dolly.api.DataContainer;
import dev.dolly.api.client.DollyClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/** {@code dolly delete data-container REF...} */
@Command(
        name = Aliases.DATA_CONTAINER,
        aliases = {"data-containers", "datacontainer", "datacontainers", "dc"},
        description = "Delete data containers: stops their servers and removes their data.")
final class DeleteDataContainersCommand
        implements Callable<Integer>
{
    private final CommandContext context;

    @Mixin
    GlobalOptions global;

    @Parameters(arity = "1..*", paramLabel = "CONTAINER", description = "The containers to delete: names or IDs.")
    List<String> references;

    DeleteDataContainersCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
    {
        DollyClient client = new DaemonConnector(context).connect(global);
        return new Deletion(context, "Data container").deleteEach(references, reference -> {
            DataContainer deleted = client.deleteContainer(reference);
            return deleted == null ? null : deleted.name();
        }, global.quiet);
    }
}
