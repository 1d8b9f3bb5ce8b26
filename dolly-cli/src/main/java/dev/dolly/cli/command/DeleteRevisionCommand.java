package dev.dolly.cli.command;

import dev.dolly.api.Revision;
import dev.dolly.api.client.DollyClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/** {@code dolly delete revision NAME rev.N...} */
@Command(
        name = "revision",
        aliases = {"revisions", "rev", "revs"},
        description = "Delete revisions of a data container. Refused for rev.0 (its image), the revision it is on, and revisions others are stacked on.")
final class DeleteRevisionCommand
        implements Callable<Integer>
{
    private final CommandContext context;

    @Mixin
    GlobalOptions global;

    @Parameters(index = "0", paramLabel = "CONTAINER", description = "The container: its name or ID.")
    String container;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "REVISION", description = "The revisions to delete, such as rev.1.")
    List<String> revisions;

    DeleteRevisionCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
    {
        DollyClient client = new DaemonConnector(context).connect(global);
        return new Deletion(context, "Revision").deleteEach(revisions, revision -> {
            Revision deleted = client.deleteRevision(container, revision);
            if (deleted == null || global.quiet) {
                return deleted == null ? null : deleted.name();
            }
            return deleted.name() + "' of data container '" + deleted.container();
        }, global.quiet, false);
    }
}
